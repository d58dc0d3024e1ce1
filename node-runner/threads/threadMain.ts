/**
 * The entry of a worker thread of the runner: loads while the main thread checks the flow and
 * prepares recovery, and on `go` compiles the flow itself (functions cannot cross threads), builds
 * the MessagePort transport from the ports the main thread transferred, and runs its one worker
 * with `runWorker`. It reports `done`, or `failed` with the error as plain data
 * (step, worker, item and the line inside the flow function, from `errorContext` and the stack).
 * Standard output goes through the main thread, in order, with back-pressure: a write resolves when
 * the main thread has written it.
 */

import { parentPort, threadId, workerData } from "node:worker_threads";
import { PeriodicEpochConfig, TestingEpochConfig, type EpochConfig } from "../../engine/host/index.js";
import { FileRecoveryConfig, KafkaRecoveryConfig, type RecoveryConfig } from "../../engine/host/index.js";
import { extendHost } from "../../engine/host/index.js";
import { StopSignal } from "../../engine/host/index.js";
import { runWorker } from "../../engine/host/index.js";
import { reportError } from "../errors/report.js";
import { CallTracker, SLOTS_PER_WORKER } from "../../engine/host/index.js";
import { nodeHost } from "../host/nodeHost.js";
import { nativeGuard } from "./nativeFence.js";
import { installArgumentsPreview } from "./stuckArguments.js";
import type { WorkerMetrics } from "../../engine/host/index.js";
import type { GoMessage, MainToThread, ThreadSetup, ThreadToMain } from "./messages.js";
import { PortTransport } from "./portTransport.js";
import { compileCheckedFlowText } from "./threadFlow.js";

const setup = workerData as ThreadSetup;
const port = parentPort!;
const post = (message: ThreadToMain) => port.postMessage(message);

const stop = new StopSignal();
const written = new Map<number, () => void>();
let seq = 0;

port.on("message", (message: MainToThread) => {
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
});

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    seq += 1;
    written.set(seq, resolve);
    post({ type: "stdout", seq, text });
  });
}

function epochConfigOf(epoch: GoMessage["epoch"]): EpochConfig {
  return epoch.type === "testing" ? new TestingEpochConfig() : new PeriodicEpochConfig(epoch.length);
}

// Every flow function of this thread counts its calls in the shared buffer (how the main thread sees a stuck call).
const tracker = new CallTracker(new Int32Array(setup.calls), setup.slot * SLOTS_PER_WORKER);
installArgumentsPreview();
// The Node host, with: standard output and `console` of flow functions through the main thread,
// items checked as plain data (they cross threads), functions compiled tracked, and LMDB calls
// through the fence (the main thread never ends this thread inside one).
const baseHost = nodeHost({ log: (text) => post({ type: "stderr", text }), guard: nativeGuard(setup.fence, setup.slot) });
const host = extendHost(baseHost, {
  writeStdout,
  plainItems: true,
  compileFunction: tracker.compiler(baseHost.compileFunction),
});

const transport = new PortTransport(setup.workerIndex, setup.workerCount, setup.ports, setup.exchangeWindow, host.codeGeneration);

// With --metrics-port: the worker's counts go to the main thread every metricsIntervalMs, from a
// timer (it runs whenever the scheduler yields, at least every few ms while busy), and once at the end.
let readMetrics: (() => WorkerMetrics) | undefined;
const sendMetrics = () => {
  if (readMetrics) post({ type: "metrics", metrics: readMetrics() });
};

async function run(go: GoMessage): Promise<void> {
  const metricsTimer = setup.metricsIntervalMs === undefined ? undefined : setInterval(sendMetrics, setup.metricsIntervalMs);
  metricsTimer?.unref();
  const onMetrics = metricsTimer === undefined ? undefined : (read: () => WorkerMetrics) => (readMetrics = read);
  try {
    const flow = compileCheckedFlowText(setup.source.text, setup.source.path, process.env, host.compileFunction);
    post({ type: "started", threadId, functions: tracker.names() });
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
    post({ type: "done", exchange: transport.stats() });
  } catch (error) {
    clearInterval(metricsTimer);
    sendMetrics();
    post({ type: "failed", error: reportError(error, setup.workerIndex) });
  }
}

function recoveryConfigOf(recovery: GoMessage["recovery"]): RecoveryConfig | undefined {
  if (recovery === undefined) return undefined;
  return recovery.type === "file" ? new FileRecoveryConfig(recovery.dir) : new KafkaRecoveryConfig(recovery.brokers, recovery.topicPrefix);
}
