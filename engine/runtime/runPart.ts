/**
 * Running some workers of a run in this thread, with one scheduler: all of them for `execute`
 * (runMain, clusterMain without addresses), or this process's share of a TCP cluster (the Node
 * entry's clusterMain with addresses: the other workers are in other processes, reached through
 * `transport`). Recovery is prepared and each worker's partition opened before this starts.
 */

import type { Host } from "../host/host.js";
import type { Transport } from "../ports/transport.js";
import { buildWorker } from "./buildWorker.js";
import type { Plan } from "./plan.js";
import type { WorkerRecovery } from "./recoveryStart.js";
import { StopSignal, WakeSignal, WorkerFailure, runWorkers } from "./scheduler.js";
import type { EpochPolicy } from "./sourceNode.js";
import type { Worker } from "./worker.js";

export { planDataflow, type Plan } from "./plan.js";
export { epochPolicyOf } from "./epochPolicy.js";
export type { EpochPolicy } from "./sourceNode.js";

export interface PartSettings {
  /** The worker indexes that run here, in scheduling order. */
  readonly workers: readonly number[];
  /** Reaches every worker of the run (`endpoint(i)` for each of `workers`). */
  readonly transport: Transport;
  /** Whether messages arrive outside the scheduler's loop (from other threads or processes): they then wake it. */
  readonly wakeOnArrival: boolean;
  readonly epochPolicy: EpochPolicy;
  readonly startEpoch: number;
  readonly host: Host;
  /** `recoveries[k]`: the recovery of `workers[k]`, when the run has recovery. */
  readonly recoveries: readonly (WorkerRecovery | undefined)[];
  readonly stop?: StopSignal | undefined;
}

/** Builds and runs the workers until every one is done; rejects with a `WorkerFailure`. Closes them however it ends. */
export async function runPart(plan: Plan, settings: PartSettings): Promise<void> {
  const { host } = settings;
  const signal = new WakeSignal();
  if (settings.wakeOnArrival) settings.transport.onArrival(signal.wake);
  const workers: Worker[] = [];
  try {
    for (const [k, index] of settings.workers.entries()) {
      const workerSettings = { epochPolicy: settings.epochPolicy, startEpoch: settings.startEpoch, host, startedAt: host.clock.now(), wake: signal.wake, recovery: settings.recoveries[k] };
      try {
        workers.push(buildWorker(plan, settings.transport.endpoint(index), workerSettings));
      } catch (error) {
        throw new WorkerFailure(index, error);
      }
    }
    await runWorkers(workers, host.clock, signal, settings.stop);
  } finally {
    // Inputs are released however the run ended: a failure, a stop (a tailing Kafka input holds connections), or the end.
    for (const worker of workers) worker.close();
  }
}
