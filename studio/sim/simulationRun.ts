/**
 * One simulated run: prepares the flow (prepare.ts), executes it with the engine's `execute` on
 * the run's clock, and pushes updates to the UI: at most one per `updateIntervalMs` of real time,
 * only when something changed, never while the previous one is still being delivered (a slow UI
 * gets fewer, larger updates), and one final update before the run resolves.
 *
 * Recovery: with `settings.recovery`, snapshots go to `IndexedDbRecoveryConfig(dbName)`; the flow's
 * own `execution.recovery` block is ignored (a file or Kafka store cannot run in a browser, and a
 * simulation must never touch production state). Without it, no recovery at all. The epochs are
 * the flow's `execution.epoch`, or, as with `eddy run`, periodic epochs of 10 s when it has none.
 *
 * Stuck calls: with `settings.calls` (a SharedArrayBuffer from a cross-origin isolated page), every
 * flow function is compiled wrapped by a `CallTracker` on those slots, and the names of the tracked
 * functions are posted at once after compiling, before anything runs: a call that never returns
 * blocks this worker, and the page must be able to name it without asking.
 */

import { IndexedDbRecoveryConfig } from "../../engine/host/index.js";
import { EddyError, defaultCompilerFrameOf, describeError, describeFrame, errorContext, inFlowTerms, thrownValue } from "../../engine/host/index.js";
import { FlowInvalidError } from "../../engine/host/index.js";
import { codeGenerator, extendHost } from "../../engine/host/index.js";
import { execute } from "../../engine/host/index.js";
import { StopSignal } from "../../engine/host/index.js";
import { CallTracker, SLOTS_PER_WORKER } from "../../engine/host/index.js";
import { browserHost } from "../host/browserHost.js";
import { LiveRecorder } from "./liveStats.js";
import { PacedClock, PausableSystemClock, realTime, type RealTime, type SimulationClock } from "./pacedClock.js";
import { FlowNotRunnableError, SIMULATION_OUTPUTS, prepareFlow } from "./prepare.js";
import type { SimulationError, SimulationSettings, SimulationStatus, SimulationUpdate } from "./simulatorApi.js";

export const DEFAULTS = { previewLimit: 20, updateIntervalMs: 100, outputLimit: 10_000 } as const;
export const MAX_WORKERS = 8;

export type UpdateListener = (update: SimulationUpdate) => unknown;

export interface RunEnvironment {
  /** Real time for pacing and for the update interval. */
  readonly real: RealTime;
  /** Where a virtual clock starts (epoch ms); now by default. */
  readonly startAt?: (() => number) | undefined;
}

export class SimulationRun {
  private status: SimulationStatus = "starting";
  private error: SimulationError | undefined;
  private resumedFrom: number | undefined;
  private readonly stopSignal = new StopSignal();
  private readonly recorder: LiveRecorder;
  readonly clock: SimulationClock;
  readonly dbName: string | undefined;
  private readonly interval: number;
  private cancelTimer: (() => void) | undefined;
  private delivering: Promise<unknown> | undefined;
  private lastStatus: SimulationStatus | undefined;
  private lastTime: number | undefined;
  /** The tracked functions' names, until an update has carried them. */
  private functions: string[] | undefined;

  constructor(
    private readonly settings: SimulationSettings,
    private readonly onUpdate: UpdateListener,
    private readonly env: RunEnvironment = { real: realTime },
  ) {
    checkSettings(settings);
    this.recorder = new LiveRecorder(settings.previewLimit ?? DEFAULTS.previewLimit, settings.outputLimit ?? DEFAULTS.outputLimit);
    this.interval = settings.updateIntervalMs ?? DEFAULTS.updateIntervalMs;
    const clock = settings.clock;
    this.clock = clock.kind === "system" ? new PausableSystemClock(env.real) : new PacedClock({ speed: clock.speed, startAt: (env.startAt ?? Date.now)(), real: env.real });
    this.dbName = settings.recovery ? settings.dbName : undefined;
    if (this.dbName !== undefined) this.recorder.output.onEpochClosed = () => this.sendNow();
  }

  pause(): void {
    this.clock.pause();
    if (this.status === "running") this.status = "paused";
  }

  resume(): void {
    this.clock.resume();
    if (this.status === "paused") this.status = "running";
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
  }

  stop(): void {
    if (this.status === "starting" || this.status === "running" || this.status === "paused") this.status = "stopping";
    this.stopSignal.request();
    // A paused run must go on to reach the epoch boundary it stops at.
    this.clock.resume();
  }

  /** Runs `json` to the end; never rejects. */
  async run(json: unknown): Promise<SimulationStatus> {
    this.schedule();
    try {
      const base = browserHost();
      const tracker = this.settings.calls !== undefined ? new CallTracker(new Int32Array(this.settings.calls, 0, SLOTS_PER_WORKER), 0, codeGenerator(base)) : undefined;
      // plainItems: the runner's worker threads copy items, so the studio refuses what the runner refuses.
      const host = extendHost(base, {
        clock: this.clock,
        writeStdout: () => {} /* every capture writes to the preview instead */,
        plainItems: true,
        outputs: SIMULATION_OUTPUTS,
        compileFunction: tracker !== undefined ? tracker.compiler(base.compileFunction) : base.compileFunction,
      });
      const prepared = prepareFlow(json, this.recorder, this.clock, host.compileFunction);
      if (tracker !== undefined) {
        this.functions = [...tracker.names()];
        this.sendNow();
      }
      const recoveryConfig = this.dbName !== undefined ? new IndexedDbRecoveryConfig(this.dbName) : undefined;
      await execute(prepared.flow, {
        workerCount: this.settings.workers,
        epochConfig: prepared.epochConfig,
        recoveryConfig,
        errors: "recorded",
        stop: this.stopSignal,
        host,
        onStart: ({ startEpoch, resumed }) => {
          if (resumed) this.resumedFrom = startEpoch;
          if (this.status === "starting") this.status = this.clock.paused ? "paused" : "running";
        },
      });
      this.status = this.stopSignal.requested ? "stopped" : "done";
    } catch (error) {
      this.status = "failed";
      this.error = simulationError(error);
    }
    this.cancelTimer?.();
    await this.delivering;
    await this.deliver();
    return this.status;
  }

  private schedule(): void {
    this.cancelTimer = this.env.real.setTimer(this.interval, () => {
      this.schedule();
      if (this.delivering === undefined && this.hasNews()) void this.deliver();
    });
  }

  /**
   * Posts an update at once without waiting for the UI to take it (a comlink call posts its message
   * synchronously; messages keep their order). Used at epoch close with recovery on, before the
   * epoch commits.
   */
  private sendNow(): void {
    const sending = this.onUpdate(this.update());
    if (sending instanceof Promise) sending.catch(() => {});
  }

  private hasNews(): boolean {
    return this.recorder.marks.changed || this.status !== this.lastStatus || this.clock.now() !== this.lastTime;
  }

  /** Sends an update and waits until the listener has taken it (a comlink call resolves then). */
  private async deliver(): Promise<void> {
    const update = this.update();
    const sending = (async () => {
      try {
        await this.onUpdate(update);
      } catch {
        // The UI went away or its handler failed: the run goes on; the next update may get through.
      }
    })();
    this.delivering = sending;
    await sending;
    this.delivering = undefined;
  }

  private update(): SimulationUpdate {
    const recorder = this.recorder;
    const time = this.clock.now();
    recorder.marks.changed = false;
    this.lastStatus = this.status;
    this.lastTime = time;
    const update: SimulationUpdate = {
      status: this.status,
      steps: recorder.snapshot(),
      output: recorder.output.take(),
      outputDropped: recorder.output.dropped,
      virtualTime: time,
    };
    if (this.resumedFrom !== undefined) update.resumedFrom = this.resumedFrom;
    if (recorder.marks.epoch >= 0) update.epoch = recorder.marks.epoch;
    if (this.error) update.error = this.error;
    if (this.functions !== undefined) {
      update.functions = this.functions;
      this.functions = undefined;
    }
    return update;
  }
}

function checkSettings(settings: SimulationSettings): void {
  const bad = (what: string, value: unknown) => new EddyError("SIM_SETTINGS_INVALID", `Simulation settings: ${what}; got ${String(value)}`);
  const { workers, previewLimit, updateIntervalMs, outputLimit } = settings;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw bad(`workers must be a whole number from 1 to ${MAX_WORKERS}`, workers);
  if (previewLimit !== undefined && !(Number.isInteger(previewLimit) && previewLimit >= 0)) throw bad("previewLimit must be a whole number, 0 or more", previewLimit);
  if (updateIntervalMs !== undefined && !(updateIntervalMs > 0)) throw bad("updateIntervalMs must be positive", updateIntervalMs);
  if (outputLimit !== undefined && !(Number.isInteger(outputLimit) && outputLimit >= 0)) throw bad("outputLimit must be a whole number, 0 or more", outputLimit);
  if (settings.recovery && (typeof settings.dbName !== "string" || settings.dbName.length === 0)) throw bad("dbName must name a database when recovery is on", settings.dbName);
  const calls = settings.calls;
  if (calls !== undefined && !(typeof SharedArrayBuffer === "function" && calls instanceof SharedArrayBuffer && calls.byteLength >= SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT)) {
    throw bad(`calls must be a SharedArrayBuffer of at least ${SLOTS_PER_WORKER} Int32 slots`, calls);
  }
}

/** What `read` returns, or undefined when it throws (a thrown Proxy's traps may). */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** The `code` of an Eddy error; undefined for anything else, even a Proxy whose traps throw. */
function codeOf(error: unknown): string | undefined {
  try {
    const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** What the UI shows for an error of a run: where it happened and what was thrown. */
export function simulationError(error: unknown): SimulationError {
  const code = codeOf(error);
  const flowError = safely(() => (error instanceof FlowInvalidError || error instanceof FlowNotRunnableError ? error : undefined));
  if (flowError) {
    const problems = flowError.problems.map(({ stepId, path, code, message }) => ({ stepId, path, code, message }));
    return { stepId: problems[0]?.stepId, message: flowError.message, code: flowError.code, problems };
  }
  const context = errorContext(error);
  // Eddy's own errors say everything in their message (told with the flow file's names); what user code threw gets its name too.
  const message = code !== undefined && safely(() => error instanceof Error) ? inFlowTerms((error as Error).message) : describeError(error);
  const result: SimulationError = { message };
  const frame = defaultCompilerFrameOf(thrownValue(error));
  if (frame) result.location = describeFrame(frame);
  if (code !== undefined) result.code = code;
  if (context) {
    result.stepId = context.stepId;
    result.op = context.op;
    result.worker = context.workerIndex;
    if (context.itemPreview !== undefined) result.item = context.itemPreview;
  } else {
    const stepId = safely(() => (typeof error === "object" && error !== null ? (error as { stepId?: unknown }).stepId : undefined));
    if (typeof stepId === "string") result.stepId = stepId;
  }
  return result;
}
