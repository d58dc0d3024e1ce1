/**
 * Running one worker of a larger run in this thread: what a host that spreads workers over threads
 * or processes calls in each of them. The host provides the transport to the other workers and,
 * with recovery, the start epoch that `prepareRecovery` chose before any worker started. The
 * recovery code (and the state codec with it) is imported only by a worker that has a store.
 */

import type { EpochConfig } from "../configs/epochs.js";
import type { RecoveryConfig } from "../configs/recovery.js";
import type { Blueprint } from "../dataflow/steps.js";
import type { Transport } from "../ports/transport.js";
import { openRecoveryStore } from "../host/dispatch.js";
import { buildWorker } from "./buildWorker.js";
import { epochPolicyOf } from "./epochPolicy.js";
import { engineHost } from "../host/engineHost.js";
import type { Host } from "../host/host.js";
import { planDataflow } from "./plan.js";
import { StopSignal, WakeSignal, WorkerFailure, runWorkers } from "./scheduler.js";
import type { WorkerMetrics } from "./workerMetrics.js";

export interface RunWorkerOptions {
  readonly workerIndex: number;
  readonly workerCount: number;
  readonly transport: Transport;
  readonly epochConfig?: EpochConfig | undefined;
  readonly recoveryConfig?: RecoveryConfig | undefined;
  /** With recovery: the epoch every worker starts at, decided by `prepareRecovery`. */
  readonly startEpoch?: number | undefined;
  /** Where the run runs: clock, output, adapters (engineHost() when absent). */
  readonly host?: Host | undefined;
  readonly stop?: StopSignal | undefined;
  /** Called once the worker is built, with a function that reads its counts (workerMetrics.ts) at any time. */
  readonly onMetrics?: ((read: () => WorkerMetrics) => void) | undefined;
}

/** Runs worker `workerIndex` until it is done; rejects with what user code or the engine threw. */
export async function runWorker(flow: Blueprint, options: RunWorkerOptions): Promise<void> {
  const { workerIndex, workerCount } = options;
  const plan = planDataflow(flow);
  const epochPolicy = epochPolicyOf(options.epochConfig);
  const host = options.host ?? engineHost();
  const startEpoch = options.startEpoch ?? 0;
  const store = options.recoveryConfig === undefined ? undefined : openRecoveryStore(host, options.recoveryConfig);
  // Imported only with recovery: with it the state codec (msgpackr), which a run without recovery never loads.
  const recovery = store === undefined ? undefined : await (await import("./recoveryStart.js")).openWorkerRecovery(store, flow, workerIndex, workerCount, startEpoch);
  const signal = new WakeSignal();
  options.transport.onArrival(signal.wake);
  try {
    const worker = buildWorker(plan, options.transport.endpoint(workerIndex), {
      epochPolicy,
      startEpoch,
      host,
      startedAt: host.clock.now(),
      wake: signal.wake,
      recovery,
    });
    options.onMetrics?.(() => worker.metrics());
    try {
      await runWorkers([worker], host.clock, signal, options.stop);
    } finally {
      worker.close();
    }
  } catch (error) {
    throw error instanceof WorkerFailure ? error.error : error;
  } finally {
    await recovery?.writer.close();
  }
}
