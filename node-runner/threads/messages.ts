/**
 * What the runner's main thread and its worker threads tell each other. Everything here crosses a
 * thread boundary, so it is plain data (structured clone): configs as `{ type, ... }` records,
 * errors as `ErrorReport`s.
 */

import type { MessagePort } from "node:worker_threads";
import type { ExchangeStats, WorkerMetrics } from "../../engine/host/index.js";
import type { ErrorReport } from "../errors/report.js";

/** Where a thread gets its flow: the flow file's path and text (the thread compiles the same text the main thread checked). */
export interface FlowSource {
  readonly path: string;
  readonly text: string;
}

export type EpochSetting = { readonly type: "periodic"; readonly length: number } | { readonly type: "testing" };
export type RecoverySetting =
  | { readonly type: "file"; readonly dir: string }
  | { readonly type: "kafka"; readonly brokers: readonly string[]; readonly topicPrefix: string };

/** What a worker thread needs to load (its `workerData`, or a `setup` message); how to run comes with `go`. */
export interface ThreadSetup {
  readonly source: FlowSource;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** This thread's slot in `calls` and `fence` (its index among this process's threads). */
  readonly slot: number;
  /** Call counters of every worker (engine/runtime/callTracking.ts), shared with the main thread. */
  readonly calls: SharedArrayBuffer;
  /** The fence around native calls (nativeFence.ts), shared with the main thread. */
  readonly fence: SharedArrayBuffer;
  /** Send the worker's counts to the main thread every this many ms (`--metrics-port`); never when absent. */
  readonly metricsIntervalMs: number | undefined;
  /** ports[j]: this worker's end of the channel to worker j (undefined for itself). */
  readonly ports: readonly (MessagePort | undefined)[];
  /** Frames in flight allowed per channel (engine/exchange/creditWindow.ts). */
  readonly exchangeWindow: number;
}

/** `workerData` of a worker thread: its setup, or `prestarted` (started before the flow was known: its setup comes as the first message). */
export type ThreadData = ThreadSetup | { readonly prestarted: true };

/** A thread's exchange figures at the end of its run. */
export type ThreadExchangeStats = ExchangeStats & { readonly framesReceived: number };

export type ThreadToMain =
  /** The flow is compiled and the worker starts: on which thread. */
  | { readonly type: "started"; readonly threadId: number; readonly functions: readonly string[] }
  /** Text for standard output; the main thread answers `stdout-written` with the same `seq`. */
  | { readonly type: "stdout"; readonly seq: number; readonly text: string }
  /** Text for standard error (console output of flow functions). */
  | { readonly type: "stderr"; readonly text: string }
  /** The worker's counts so far (only with `metricsIntervalMs`; the last one comes before `done` or `failed`). */
  | { readonly type: "metrics"; readonly metrics: WorkerMetrics }
  /** The worker finished; with its exchange's flow-control figures. */
  | { readonly type: "done"; readonly exchange: ThreadExchangeStats }
  | { readonly type: "failed"; readonly error: ErrorReport };

/** The run's settings, once the main thread has checked the flow and prepared recovery. */
export interface GoMessage {
  readonly type: "go";
  readonly epoch: EpochSetting;
  readonly recovery: RecoverySetting | undefined;
  readonly startEpoch: number;
}

export type MainToThread =
  /** A prestarted thread's setup (its ports transferred with it), before anything else. */
  | { readonly type: "setup"; readonly setup: ThreadSetup }
  /** Run the flow (threads start and compile it before it is checked, and wait for this). */
  | GoMessage
  | { readonly type: "stdout-written"; readonly seq: number }
  /** Stop at the next epoch boundary (SIGINT, SIGTERM). */
  | { readonly type: "stop" }
  /** Every worker is done: release the ports and end the thread. */
  | { readonly type: "exit" };
