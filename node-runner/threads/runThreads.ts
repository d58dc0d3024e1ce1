/**
 * Running a flow on N worker threads, one worker each, from the main thread. The main thread
 * creates a full mesh of MessageChannels (one per pair of workers) and transfers each worker its
 * ends; every thread compiles the flow itself and runs its worker. In two steps, so that the
 * threads load their code while the main thread checks the flow and prepares recovery:
 * `startThreads` starts them (they load and wait), `go` lets them compile and run with the epoch
 * and recovery settings and the start epoch `prepareRecovery` chose (or `cancel` ends them, when
 * the flow or the store is refused). `runThreads` does both at once.
 *
 * Fail-stop: when any thread fails (its worker threw, the thread crashed or exited), every thread
 * is terminated and the run ends as failed with the first error, within TERMINATE_MS at most.
 * Standard output of every thread is written here, in each thread's order.
 *
 * In a cluster (node-runner/cluster/), the threads run this process's share of the workers
 * (`placement`): their channels to the other processes' workers are the router's MessagePorts, and
 * they are released only once every process is done (`placement.exitAfter`).
 *
 * Stuck calls: the main thread samples each thread's call counter (stuckCalls.ts); a flow function
 * call that has not returned for STUCK_MS is reported on standard error with its step, worker,
 * duration and item. A stop asked while (or after which) a worker is stuck cannot wait for an epoch
 * boundary: the threads are terminated and the run ends as "stuck", with that diagnosis.
 */

import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { writeNodeStdout } from "../host/nodeStdout.js";
import { reportError, type ErrorReport } from "../errors/report.js";
import { CallWatch, DEFAULT_WINDOW, SAMPLE_MS, SLOTS_PER_WORKER, STUCK_MS, describeStuckCall, type StuckCall } from "../../engine/host/index.js";
import { closeFence, createFenceBuffer, isInside } from "./nativeFence.js";
import { previewStuckItem } from "./stuckInspector.js";
import type { WorkerMetrics } from "../../engine/host/index.js";
import type { EpochSetting, FlowSource, GoMessage, MainToThread, RecoverySetting, ThreadData, ThreadExchangeStats, ThreadSetup, ThreadToMain } from "./messages.js";
import { takePrestartedThread } from "./prestart.js";
import { threadEntry, type ThreadEntry } from "./threadEntry.js";

/** How long terminating the threads may take before the run is declared over anyway. */
const TERMINATE_MS = 5_000;
/** How often a thread inside a native call is looked at again before it is ended. */
const FENCE_POLL_MS = 2;

export interface ThreadStartOptions {
  readonly source: FlowSource;
  readonly workerCount: number;
  readonly writeStdout?: ((text: string) => void | Promise<void>) | undefined;
  readonly writeStderr?: ((text: string) => void) | undefined;
  /** How long one call may run before it is reported as stuck (default STUCK_MS). */
  readonly stuckMs?: number | undefined;
  /** `--metrics-port`: each thread sends its worker's counts to `receive` every `intervalMs` (and once at its end); none without it. */
  readonly metrics?: { readonly intervalMs: number; readonly receive: (metrics: WorkerMetrics) => void } | undefined;
  /** The main thread's clock, in ms (default `performance.now`). */
  readonly now?: (() => number) | undefined;
  /** Frames in flight allowed per channel between two workers (default DEFAULT_WINDOW). */
  readonly exchangeWindow?: number | undefined;
  /** This process's share of a cluster's workers; all of them run here when absent. */
  readonly placement?: ThreadPlacement | undefined;
  /** Called at once when a thread fails, before the threads are terminated (a cluster tells the other processes). */
  readonly onFailure?: ((workerIndex: number, error: ErrorReport) => void) | undefined;
}

/** Threads that run workers `firstWorker` to `firstWorker + workerCount - 1` (the option) of `clusterWorkers`. */
export interface ThreadPlacement {
  readonly firstWorker: number;
  readonly clusterWorkers: number;
  /** Worker `worker`'s end of its channel to worker `peer` of another process (the router holds the other end). */
  readonly remotePort: (worker: number, peer: number) => MessagePort;
  /** The threads keep their ports until this settles (every process of the cluster is done). */
  readonly exitAfter: Promise<unknown>;
}

/** How the started threads run, once the flow is checked and recovery prepared. */
export interface GoSettings {
  readonly epoch: EpochSetting;
  readonly recovery?: RecoverySetting | undefined;
  /** The epoch `prepareRecovery` chose (0 without recovery). */
  readonly startEpoch?: number | undefined;
  /** Called when worker `workerIndex` compiled the flow and starts, on thread `threadId`. */
  readonly onStarted?: ((workerIndex: number, threadId: number) => void) | undefined;
}

export type ThreadRunOptions = ThreadStartOptions & GoSettings;

/** Threads started and loading, not yet running anything. */
export interface StartedThreads {
  /** Lets every thread compile the flow and run; the run from then on (once only). */
  go(settings: GoSettings): ThreadRun;
  /** Ends every thread (none has run anything: the flow or the store was refused). */
  cancel(): Promise<void>;
}

export type ThreadRunOutcome =
  /** `exchange[i]`: worker i's flow-control figures. */
  | { readonly kind: "done"; readonly stopped: boolean; readonly exchange: readonly ThreadExchangeStats[] }
  | { readonly kind: "failed"; readonly workerIndex: number; readonly error: ErrorReport }
  /** A stop was asked while a worker was stuck in a call: the threads were terminated. One line per stuck call. */
  | { readonly kind: "stuck"; readonly diagnoses: readonly string[] };

export interface ThreadRun {
  /** Resolves when every thread is done, or when one failed and all were terminated. Never rejects. */
  readonly outcome: Promise<ThreadRunOutcome>;
  /** Asks every worker to stop at the next epoch boundary (or ends the run at once when a worker is stuck in a call). */
  stop(): void;
  /**
   * Ends every thread now, each outside native calls; the outcome then stays pending (the caller is
   * giving up on the run). Resolves true once every thread has ended, false after TERMINATE_MS when
   * one has not (it is inside a native call that does not return): `process.exit` would then wait for it.
   */
  terminate(): Promise<boolean>;
}

/** A worker thread with this setup: the prestarted one (prestart.ts), sent its setup, when there is one; else a new one. */
function startThread(entry: ThreadEntry, setup: ThreadSetup, transferList: MessagePort[]): Worker {
  const prestarted = entry.kind === "module" ? takePrestartedThread() : undefined;
  if (prestarted) {
    const message: MainToThread = { type: "setup", setup };
    prestarted.postMessage(message, transferList);
    return prestarted;
  }
  const data: ThreadData = setup;
  const options = { workerData: data, transferList, stdout: false, stderr: false };
  return entry.kind === "module" ? new Worker(entry.url, options) : new Worker(entry.code, { ...options, eval: true });
}

/** Starts the threads and runs them at once (resolves once they are created, before they have loaded the flow). */
export async function runThreads(options: ThreadRunOptions): Promise<ThreadRun> {
  return (await startThreads(options)).go(options);
}

/** Starts the threads, which load their code and wait for `go` (resolves once they are created). */
export async function startThreads(options: ThreadStartOptions): Promise<StartedThreads> {
  const entry = await threadEntry();
  const { workerCount } = options;
  const first = options.placement?.firstWorker ?? 0;
  const clusterWorkers = options.placement?.clusterWorkers ?? workerCount;
  const writeStdout = options.writeStdout ?? writeNodeStdout;
  const writeStderr = options.writeStderr ?? ((text: string) => void process.stderr.write(text));

  // ports[i][j]: thread i's end of the channel between its worker and worker j of the cluster.
  const ports: (MessagePort | undefined)[][] = Array.from({ length: workerCount }, () => new Array<MessagePort | undefined>(clusterWorkers).fill(undefined));
  for (let i = 0; i < workerCount; i++) {
    for (let j = i + 1; j < workerCount; j++) {
      const { port1, port2 } = new MessageChannel();
      ports[i]![first + j] = port1;
      ports[j]![first + i] = port2;
    }
    for (let peer = 0; peer < clusterWorkers; peer++) {
      if (peer < first || peer >= first + workerCount) ports[i]![peer] = options.placement!.remotePort(first + i, peer);
    }
  }

  let settle!: (outcome: ThreadRunOutcome) => void;
  const outcome = new Promise<ThreadRunOutcome>((resolve) => (settle = resolve));
  let finished: ThreadRunOutcome | undefined;
  let stopped = false;
  let exiting = false;
  let onStarted: GoSettings["onStarted"];
  const done = new Set<number>();
  const exchange: ThreadExchangeStats[] = [];
  const workers: Worker[] = [];

  const send = (worker: Worker, message: MainToThread) => {
    try {
      worker.postMessage(message);
    } catch {
      // The thread is gone; its exit is handled on its own.
    }
  };

  // Threads are ended outside native calls (nativeFence.ts): close the fence, then end each
  // thread once it is out (at most TERMINATE_MS in all; a native call that never returns is ended anyway).
  const fence = createFenceBuffer(workerCount);
  const terminateAll = async (): Promise<boolean> => {
    closeFence(fence);
    const deadline = performance.now() + TERMINATE_MS;
    const endOne = async (worker: Worker, workerIndex: number) => {
      while (isInside(fence, workerIndex) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, FENCE_POLL_MS));
      await worker.terminate();
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), TERMINATE_MS)));
    const ended = await Promise.race([Promise.allSettled(workers.map(endOne)).then(() => true), timeout]);
    clearTimeout(timer);
    return ended;
  };

  const finish = (result: ThreadRunOutcome) => {
    if (finished) return;
    finished = result;
    clearInterval(sampler);
    if (result.kind !== "done") void terminateAll().then(() => settle(result));
    else settle(result);
  };

  // Stuck calls: sampled here, diagnosed (with the item, through the inspector) one at a time.
  const now = options.now ?? (() => performance.now());
  const calls = new SharedArrayBuffer(workerCount * SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT);
  const functionNames: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(workerCount).fill(undefined);
  const watch = new CallWatch(new Int32Array(calls), workerCount, functionNames, options.stuckMs ?? STUCK_MS);
  const stuck = new Map<number, { readonly call: StuckCall; readonly startedAt: number; readonly item: string | undefined }>();
  let diagnosing = false;
  const endStuck = () => {
    const diagnoses = [...stuck.values()].map(({ call, startedAt, item }) => describeStuckCall({ ...call, runningMs: now() - startedAt }, item));
    finish({ kind: "stuck", diagnoses });
  };
  const diagnose = (call: StuckCall, slot: number) => {
    diagnosing = true;
    const startedAt = now() - call.runningMs;
    void previewStuckItem(workers[slot]!.threadId).then((item) => {
      diagnosing = false;
      if (finished) return;
      stuck.set(call.workerIndex, { call, startedAt, item });
      writeStderr(`eddy: ${describeStuckCall(call, item)}; it may never return (SIGINT or SIGTERM ends the run)\n`);
      if (stopped) endStuck();
    });
  };
  const sampler = setInterval(() => {
    if (finished) return;
    const current = watch.sample(now()).map((call) => ({ ...call, slot: call.workerIndex, workerIndex: first + call.workerIndex }));
    for (const workerIndex of [...stuck.keys()]) {
      if (!current.some((call) => call.workerIndex === workerIndex && call.counter === stuck.get(workerIndex)!.call.counter)) stuck.delete(workerIndex);
    }
    for (const call of current) if (!diagnosing && !stuck.has(call.workerIndex)) diagnose(call, call.slot);
  }, SAMPLE_MS);
  sampler.unref();

  let terminating = false;
  const fail = (workerIndex: number, error: ErrorReport) => {
    if (finished || exiting || terminating) return;
    options.onFailure?.(first + workerIndex, error);
    finish({ kind: "failed", workerIndex: first + workerIndex, error });
  };

  const onMessage = (workerIndex: number, worker: Worker, message: ThreadToMain) => {
    switch (message.type) {
      case "stdout": {
        const ack = () => send(worker, { type: "stdout-written", seq: message.seq });
        let pending: void | Promise<void>;
        try {
          pending = writeStdout(message.text);
        } catch (error) {
          fail(workerIndex, { name: "Error", message: `cannot write to standard output: ${(error as Error).message}`, code: "OUTPUT_STDOUT_FAILED", workerIndex: first + workerIndex });
          return;
        }
        if (pending) pending.then(ack, (error: unknown) => fail(workerIndex, { name: "Error", message: `cannot write to standard output: ${(error as Error).message}`, code: "OUTPUT_STDOUT_FAILED", workerIndex: first + workerIndex }));
        else ack();
        return;
      }
      case "stderr":
        writeStderr(message.text);
        return;
      case "started":
        functionNames[workerIndex] = message.functions;
        onStarted?.(first + workerIndex, message.threadId);
        return;
      case "failed":
        fail(workerIndex, message.error);
        return;
      case "metrics":
        options.metrics?.receive(message.metrics);
        return;
      case "done":
        done.add(workerIndex);
        exchange[workerIndex] = message.exchange;
        if (done.size === workerCount && !finished) {
          // Every worker is done: let the threads release their ports and end (in a cluster, once every process is done).
          exiting = true;
          void Promise.resolve(options.placement?.exitAfter).finally(() => {
            for (const other of workers) send(other, { type: "exit" });
            // A thread that does not end on its own is ended (its work is finished and committed).
            setTimeout(() => void terminateAll(), TERMINATE_MS).unref();
          });
          finish({ kind: "done", stopped, exchange });
        }
        return;
    }
  };

  for (let workerIndex = 0; workerIndex < workerCount; workerIndex++) {
    const own = ports[workerIndex]!;
    const setup: ThreadSetup = {
      source: options.source,
      workerIndex: first + workerIndex,
      workerCount: clusterWorkers,
      slot: workerIndex,
      calls,
      fence,
      metricsIntervalMs: options.metrics?.intervalMs,
      ports: own,
      exchangeWindow: options.exchangeWindow ?? DEFAULT_WINDOW,
    };
    let worker: Worker;
    try {
      worker = startThread(entry, setup, own.filter((port): port is MessagePort => port !== undefined));
    } catch (error) {
      fail(workerIndex, { name: "Error", message: `cannot start worker thread ${first + workerIndex}: ${(error as Error).message}`, workerIndex: first + workerIndex });
      break;
    }
    workers.push(worker);
    worker.on("message", (message: ThreadToMain) => onMessage(workerIndex, worker, message));
    // An uncaught exception or unhandled rejection in the thread (an async flow function, say).
    worker.on("error", (error: unknown) => fail(workerIndex, reportError(error, first + workerIndex)));
    worker.on("exit", (code) => {
      if (!done.has(workerIndex)) fail(workerIndex, { name: "Error", message: `worker thread ${first + workerIndex} exited unexpectedly (exit code ${code})`, workerIndex: first + workerIndex });
    });
  }

  const run: ThreadRun = {
    outcome,
    stop() {
      if (stopped) return;
      stopped = true;
      for (const worker of workers) send(worker, { type: "stop" });
      // A worker stuck in a call never reaches the boundary; one that gets stuck later ends it then.
      if (stuck.size > 0) endStuck();
    },
    terminate() {
      terminating = true;
      return terminateAll();
    },
  };
  let going = false;
  return {
    go(settings) {
      if (going) return run;
      going = true;
      onStarted = settings.onStarted;
      const message: GoMessage = { type: "go", epoch: settings.epoch, recovery: settings.recovery, startEpoch: settings.startEpoch ?? 0 };
      for (const worker of workers) send(worker, message);
      return run;
    },
    async cancel() {
      terminating = true;
      clearInterval(sampler);
      await terminateAll();
    },
  };
}
