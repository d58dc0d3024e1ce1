/**
 * The contract between the studio's UI and its simulation Web Worker: the one comlink API
 * (`SimulatorApi`) and the plain, structured-clone-safe data it exchanges. The UI imports only
 * these types and `client.ts`; the worker side is `simulator.ts`.
 */

import type { ErrorCode } from "../../engine/host/index.js";

/** `speed` is virtual ms per real ms; Infinity runs as fast as possible (deterministic either way). */
export type ClockChoice = { kind: "virtual"; speed: number } | { kind: "system" };

export interface SimulationSettings {
  /** 1..8 workers, all in the one Web Worker thread. */
  workers: number;
  clock: ClockChoice;
  /** When true, snapshots go to the IndexedDB database `dbName` (IndexedDbRecoveryConfig) and a new run resumes from them. */
  recovery: boolean;
  dbName: string;
  /** Latest items kept per step (default 20). */
  previewLimit?: number;
  /** How often updates are pushed, in real ms (default 100). */
  updateIntervalMs?: number;
  /** Output lines kept and sent in total (default 10_000); beyond that they are only counted. */
  outputLimit?: number;
  /**
   * Call counters shared with the page (SLOTS_PER_WORKER Int32 slots; engine/runtime/callTracking.ts),
   * when the page is cross-origin isolated: every flow function is then wrapped so that the page can
   * see, and name, a call that never returns while this worker is blocked in it.
   */
  calls?: SharedArrayBuffer;
}

/** One of a step's latest items; `text` is a shortened preview of it (engine/preview.ts). */
export interface PreviewItem {
  epoch: number;
  worker: number;
  text: string;
}

/** A step's live statistics: how many items it emitted, and the latest of them, oldest first. */
export interface StepLive {
  count: number;
  latest: PreviewItem[];
  /** Window steps: how many items came too late for their window (sent to the step's `late` output). */
  late?: number;
}

/** A line a capture step wrote, as the runner would write it (stdout text, or a JSON line). */
export interface OutputLine {
  stepId: string;
  worker: number;
  epoch: number;
  line: string;
}

/** One thing that stops a flow from running (a validation problem, a step without a sample). */
export interface SimulationProblem {
  stepId?: string;
  /** JSON Pointer into the flow, when known. */
  path?: string;
  message: string;
  code?: ErrorCode;
}

export interface SimulationError {
  stepId?: string;
  worker?: number;
  /** The item being processed when a step failed, shortened. */
  item?: string;
  /** The failing step's kind ("map", "input", ...), when a step failed. */
  op?: string;
  /** Short: what was thrown ("RangeError: not a number"), or Eddy's own message, in the flow file's terms (`fn`, not `mapper`). */
  message: string;
  /** Where in the step's function it was thrown, as the runner prints it: 'at line 2, column 7 of the function `fn` of step "parse"'. */
  location?: string;
  /** A stable code (`FLOW_INVALID`, `SIM_SAMPLE_MISSING`, `RECOVERY_WORKER_COUNT`, ...); absent for errors thrown by user code. */
  code?: string;
  /** Every problem, when the flow cannot start (the first one is the error's stepId). */
  problems?: SimulationProblem[];
}

export type SimulationStatus = "starting" | "running" | "paused" | "stopping" | "done" | "stopped" | "failed";

export interface SimulationUpdate {
  status: SimulationStatus;
  /** Full snapshot of every step's live stats (counts + latest items) at this moment. */
  steps: Record<string, StepLive>;
  /** New output lines since the previous update (a delta). */
  output: OutputLine[];
  /** Lines not sent because `outputLimit` was reached (total so far). */
  outputDropped: number;
  /** The epoch the run resumed from when recovery found earlier progress (undefined on a fresh start). */
  resumedFrom?: number;
  /** The latest epoch seen. */
  epoch?: number;
  /**
   * With `settings.calls`: what each tracked function number stands for (`<step id>/<field>`). Sent
   * once, in an update posted as soon as the flow is compiled, before any function runs.
   */
  functions?: string[];
  /** `clock.now()` of the run, epoch ms. */
  virtualTime?: number;
  error?: SimulationError;
}

/** What `inspectState` found in a recovery database. */
export interface StoredState {
  /** Whether the database holds progress (a committed epoch or saved state). */
  exists: boolean;
  /** The epoch a resume would start from; undefined when there is no progress. */
  resumeEpoch?: number;
  /** How many workers wrote it (a resume needs the same number). */
  workers?: number;
  /** Why a run with `workers` workers would refuse to resume from it, if it would. */
  problem?: string;
}

export interface SimulatorApi {
  /**
   * Compiles the flow JSON (FlowDefinition) with its samples, runs it, calls `onUpdate` (a comlink
   * proxy) at most every `updateIntervalMs` and once at the end. Resolves with the final status;
   * never rejects for user errors (they come as status "failed" with `error`). Rejects only when
   * a run is already going on in this worker (code SIM_BUSY).
   */
  run(flow: unknown, settings: SimulationSettings, onUpdate: (update: SimulationUpdate) => void): Promise<SimulationStatus>;
  /** Halts the run within one scheduler slice (about 10 ms of work); time stands still. */
  pause(): void;
  resume(): void;
  /** Changes the pace of a virtual clock live (ignored by the system clock). */
  setSpeed(speed: number): void;
  /** Graceful stop at the next epoch boundary (StopSignal); resumes a paused run so that it can stop. */
  stop(): void;
  /** Deletes the IndexedDB recovery database `dbName`. Rejects (SIM_STATE_IN_USE) while a run uses it. */
  clearState(dbName: string): Promise<void>;
  /** Whether `dbName` holds stored progress, and the epoch a resume would start from (undefined when none). */
  inspectState(dbName: string, workers: number): Promise<StoredState>;
}
