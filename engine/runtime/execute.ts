/**
 * Running a dataflow in this thread with any number of workers. `runMain` and `clusterMain` (in
 * api/execution.ts) are thin wrappers; tests and simulations call `execute` to inject a clock.
 */

import type { EpochConfig } from "../configs/epochs.js";
import type { RecoveryConfig } from "../configs/recovery.js";
import type { Blueprint } from "../dataflow/steps.js";
import { EddyError, WorkerFailedError, errorContext, thrownValue } from "../errors.js";
import { preview } from "../preview.js";
import { engineHost } from "../host/engineHost.js";
import type { Host } from "../host/host.js";
import { planDataflow } from "./plan.js";
import { StopSignal, WorkerFailure } from "./scheduler.js";
import { epochPolicyOf } from "./epochPolicy.js";
import { runPart } from "./runPart.js";
import { openRecoveryStore, openTransport } from "../host/dispatch.js";
import type { RecoveryStore } from "../recovery/store.js";
import { openWorkerRecovery, prepareRecovery, type WorkerRecovery } from "./recoveryStart.js";

interface RecoveryStart {
  readonly startEpoch: number;
  readonly workers: readonly WorkerRecovery[];
}

/** Prepares the store, then opens every worker's partition (all workers run in this thread). */
async function startRecovery(store: RecoveryStore, flow: Blueprint, workerCount: number): Promise<RecoveryStart> {
  const startEpoch = await prepareRecovery(store, flow, workerCount);
  const workers: WorkerRecovery[] = [];
  try {
    for (let index = 0; index < workerCount; index++) workers.push(await openWorkerRecovery(store, flow, index, workerCount, startEpoch));
  } catch (error) {
    await closeWriters(workers);
    throw error;
  }
  return { startEpoch, workers };
}

export interface ExecuteOptions {
  readonly workerCount: number;
  readonly epochConfig?: EpochConfig | undefined;
  readonly recoveryConfig?: RecoveryConfig | undefined;
  /**
   * Reject with the original error (runMain), with a `WorkerFailedError` naming the worker
   * (clusterMain), or with what the engine threw ("recorded": a thrown value that is not an object
   * comes in a box, so that `errorContext` still knows its step; `thrownValue` opens it).
   */
  readonly errors: "original" | "wrapped" | "recorded";
  /** Where the run runs: clock, output, adapters (engineHost() when absent). */
  readonly host?: Host | undefined;
  /** Stops the run at the next epoch boundary when requested; the run then resolves normally. */
  readonly stop?: StopSignal | undefined;
  /**
   * Called once recovery is prepared, before any worker starts: the epoch the run starts at, and
   * whether that is a resume of earlier progress (start epoch above 0). The studio shows it.
   */
  readonly onStart?: ((info: StartInfo) => void) | undefined;
}

export interface StartInfo {
  readonly startEpoch: number;
  readonly resumed: boolean;
}

export async function execute(flow: Blueprint, options: ExecuteOptions): Promise<void> {
  const { workerCount } = options;
  if (!Number.isInteger(workerCount) || workerCount < 1) {
    throw new EddyError("CONFIG_INVALID", `workerCountPerProc must be a positive integer; got ${preview(workerCount)}`);
  }
  const epochPolicy = epochPolicyOf(options.epochConfig);
  const plan = planDataflow(flow);
  const host = options.host ?? engineHost();
  const store = options.recoveryConfig === undefined ? undefined : openRecoveryStore(host, options.recoveryConfig);
  // One run per store: held from before the store is read until every worker is done.
  const lease = store === undefined ? undefined : await store.lock();
  try {
    await executeLocked(flow, options, host, plan, epochPolicy, store);
  } finally {
    await lease?.release();
  }
}

async function executeLocked(flow: Blueprint, options: ExecuteOptions, host: Host, plan: ReturnType<typeof planDataflow>, epochPolicy: ReturnType<typeof epochPolicyOf>, store: RecoveryStore | undefined): Promise<void> {
  const { workerCount } = options;
  const recovery = store === undefined ? undefined : await startRecovery(store, flow, workerCount);
  const startEpoch = recovery?.startEpoch ?? 0;

  const transport = openTransport(host, "in-process", workerCount);
  try {
    options.onStart?.({ startEpoch, resumed: startEpoch > 0 });
    const workers = Array.from({ length: workerCount }, (_, index) => index);
    const recoveries = workers.map((index) => recovery?.workers[index]);
    await runPart(plan, { workers, transport, wakeOnArrival: false, epochPolicy, startEpoch, host, recoveries, stop: options.stop });
  } catch (failure) {
    if (!(failure instanceof WorkerFailure)) throw failure;
    if (options.errors === "original") throw thrownValue(failure.error);
    if (options.errors === "recorded") throw failure.error;
    throw new WorkerFailedError(failure.workerIndex, errorContext(failure.error), failure.error);
  } finally {
    await closeWriters(recovery?.workers ?? []);
  }
}

/** Waits for the last commits and closes every partition; a close failure never hides a run's error. */
async function closeWriters(workers: readonly WorkerRecovery[]): Promise<void> {
  await Promise.allSettled(workers.map((worker) => worker.writer.close()));
}
