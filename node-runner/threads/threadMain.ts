/**
 * The entry of a worker thread of the runner: loads and compiles the flow itself (functions cannot
 * cross threads) while the main thread checks the flow and prepares recovery, and on `go` loads the
 * connectors the run uses (Kafka's, the recovery store's: host/runnerConnectors.ts), builds the
 * MessagePort transport from the ports the main thread transferred, and runs its one worker with
 * `runWorker`. Compiling before the main thread has checked the flow runs nothing of it: every
 * function's source is checked before it is compiled (engine/flow/functionSource.ts), and compiling
 * only makes the functions; a flow the main thread refuses never gets `go` (its thread is ended),
 * and an error compiling is reported at `go`, as if it had compiled then. It reports `done`, or
 * `failed` with the error as plain data (step, worker, item and the line inside the flow function,
 * from `errorContext` and the stack).
 * Standard output goes through the main thread, in order, with back-pressure: a write resolves when
 * the main thread has written it. A thread started before its command knew the flow
 * (prestart.ts) gets its setup as the first message instead of as `workerData`; the messages after
 * it wait until the thread is set up.
 */

import { parentPort, threadId, workerData } from "node:worker_threads";
import { PeriodicEpochConfig, TestingEpochConfig, type Blueprint, type EpochConfig, type FunctionCompiler } from "../../engine/host/index.js";
import { FileRecoveryConfig, KafkaRecoveryConfig, type RecoveryConfig } from "../../engine/host/index.js";
import { codeGenerator, extendHost } from "../../engine/host/index.js";
import { StopSignal } from "../../engine/host/index.js";
import { runWorker } from "../../engine/host/index.js";
import { reportError } from "../errors/report.js";
import { CallTracker, SLOTS_PER_WORKER } from "../../engine/host/index.js";
import { connectorsUsed, runnerHost } from "../host/runnerConnectors.js";
import { nativeGuard } from "./nativeFence.js";
import { installArgumentsPreview } from "./stuckArguments.js";
import type { WorkerMetrics } from "../../engine/host/index.js";
import type { GoMessage, MainToThread, ThreadData, ThreadSetup, ThreadToMain } from "./messages.js";
import { PortTransport } from "./portTransport.js";
import { compileCheckedFlowText } from "./threadFlow.js";

/** The build loader's event that writes its missing code caches (WRITE_CACHES_EVENT in node-runner/bin/chunkLoader.cjs). */
const WRITE_CODE_CACHES = "eddy:write-code-caches";

const port = parentPort!;
const post = (message: ThreadToMain) => port.postMessage(message);

type RunMessage = Exclude<MainToThread, { readonly type: "setup" }>;
/** How the set-up thread handles the main thread's messages (undefined until it has its setup). */
let handle: ((message: RunMessage) => void) | undefined;
const early: RunMessage[] = [];

port.on("message", (message: MainToThread) => {
  if (message.type === "setup") start(message.setup);
  else if (handle) handle(message);
  else early.push(message);
});
const data = workerData as ThreadData;
if (!("prestarted" in data)) start(data);

function start(setup: ThreadSetup): void {
  const handler = setUp(setup);
  handle = handler;
  for (const message of early.splice(0)) handler(message);
}

/** Builds this thread's host and transport and compiles the flow; returns how the thread handles the main thread's messages. */
function setUp(setup: ThreadSetup): (message: RunMessage) => void {
  const stop = new StopSignal();
  const written = new Map<number, () => void>();
  let seq = 0;
  const writeStdout = (text: string): Promise<void> =>
    new Promise((resolve) => {
      seq += 1;
      written.set(seq, resolve);
      post({ type: "stdout", seq, text });
    });

  // The Node host, with: standard output and `console` of flow functions through the main thread,
  // items checked as plain data (they cross threads), functions compiled tracked, and LMDB calls
  // through the fence (the main thread never ends this thread inside one).
  const { host: baseHost, load: loadConnectors } = runnerHost({ log: (text) => post({ type: "stderr", text }), guard: nativeGuard(setup.fence, setup.slot) });
  // Every flow function of this thread counts its calls in the shared buffer (how the main thread
  // sees a stuck call); the wrappers that chains call are compiled beside the functions.
  const generate = codeGenerator(baseHost);
  const tracker = new CallTracker(new Int32Array(setup.calls), setup.slot * SLOTS_PER_WORKER, generate);
  installArgumentsPreview(generate);
  const host = extendHost(baseHost, {
    writeStdout,
    plainItems: true,
    compileFunction: tracker.compiler(baseHost.compileFunction),
  });

  const transport = new PortTransport(setup.workerIndex, setup.workerCount, setup.ports, setup.exchangeWindow, host.codeGeneration, host.generateFunction);

  // Compiled now, while the main thread checks the same text (see the header); a failure waits for `go`.
  const compiled = compileNow(setup, host.compileFunction);

  // With --metrics-port: the worker's counts go to the main thread every metricsIntervalMs, from a
  // timer (it runs whenever the scheduler yields, at least every few ms while busy), and once at the end.
  let readMetrics: (() => WorkerMetrics) | undefined;
  const sendMetrics = () => {
    if (readMetrics) post({ type: "metrics", metrics: readMetrics() });
  };

  const run = async (go: GoMessage): Promise<void> => {
    const metricsTimer = setup.metricsIntervalMs === undefined ? undefined : setInterval(sendMetrics, setup.metricsIntervalMs);
    metricsTimer?.unref();
    const onMetrics = metricsTimer === undefined ? undefined : (read: () => WorkerMetrics) => (readMetrics = read);
    try {
      if ("error" in compiled) throw compiled.error;
      const { flow } = compiled;
      post({ type: "started", threadId, functions: tracker.names() });
      await loadConnectors(connectorsUsed(flow, go.recovery?.type));
      await runWorker(flow, {
        workerIndex: setup.workerIndex,
        workerCount: setup.workerCount,
        transport,
        epochConfig: epochConfigOf(go.epoch),
        recoveryConfig: recoveryConfigOf(go.recovery),
        startEpoch: go.startEpoch,
        host,
        stop,
        onMetrics,
      });
      clearInterval(metricsTimer);
      sendMetrics();
      // The build's loader writes the code caches this thread lacks (node-runner/bin/chunkLoader.cjs):
      // after `done`, the process may exit before this thread does.
      (process as NodeJS.EventEmitter).emit(WRITE_CODE_CACHES);
      post({ type: "done", exchange: transport.stats() });
    } catch (error) {
      clearInterval(metricsTimer);
      sendMetrics();
      post({ type: "failed", error: reportError(error, setup.workerIndex) });
    }
  };

  return (message) => {
    switch (message.type) {
      case "go":
        void run(message);
        return;
      case "stdout-written":
        written.get(message.seq)?.();
        written.delete(message.seq);
        return;
      case "stop":
        stop.request();
        return;
      case "exit":
        transport.close();
        port.close();
        return;
    }
  };
}

function compileNow(setup: ThreadSetup, compileFunction: FunctionCompiler): { readonly flow: Blueprint } | { readonly error: unknown } {
  try {
    return { flow: compileCheckedFlowText(setup.source.text, setup.source.path, process.env, compileFunction) };
  } catch (error) {
    return { error };
  }
}

function epochConfigOf(epoch: GoMessage["epoch"]): EpochConfig {
  return epoch.type === "testing" ? new TestingEpochConfig() : new PeriodicEpochConfig(epoch.length);
}

function recoveryConfigOf(recovery: GoMessage["recovery"]): RecoveryConfig | undefined {
  if (recovery === undefined) return undefined;
  return recovery.type === "file" ? new FileRecoveryConfig(recovery.dir) : new KafkaRecoveryConfig(recovery.brokers, recovery.topicPrefix);
}
