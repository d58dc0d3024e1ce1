/** `eddy/execution`: running dataflows (Bytewax's `bytewax.execution`). */

import type { EpochConfig } from "../configs/epochs.js";
import type { RecoveryConfig } from "../configs/recovery.js";
import type { Blueprint } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";
import { execute } from "../runtime/execute.js";

export { EpochConfig, PeriodicEpochConfig, TestingEpochConfig } from "../configs/epochs.js";
export { WorkerFailedError, errorContext, type FailureContext } from "../errors.js";

export interface RunOptions {
  epochConfig?: EpochConfig;
  recoveryConfig?: RecoveryConfig;
}

export interface ClusterOptions extends RunOptions {
  workerCountPerProc?: number;
}

export interface SpawnOptions extends ClusterOptions {
  procCount?: number;
}

/**
 * Runs `flow` with one worker in this thread. Rejects with the very error object that user code
 * threw (use `errorContext(error)` to learn the step, worker and item).
 */
export function runMain(flow: Blueprint, options: RunOptions = {}): Promise<void> {
  return execute(flow, { workerCount: 1, epochConfig: options.epochConfig, recoveryConfig: options.recoveryConfig, errors: "original" });
}

/**
 * Runs process `procId` of a cluster. With no addresses, runs `workerCountPerProc` workers in this
 * process, exchanging keyed items by a stable hash. A failing worker stops all of them; the promise
 * rejects with a `WorkerFailedError` naming the worker and step, whose `cause` is the original error.
 */
export async function clusterMain(flow: Blueprint, addresses: readonly string[] | null | undefined, procId: number, options: ClusterOptions = {}): Promise<void> {
  void procId;
  if (addresses && addresses.length > 0) {
    throw new EddyError(
      "NOT_SUPPORTED",
      "clusterMain: TCP clusters (a non-empty address list) are not yet supported; pass [] to run workerCountPerProc workers in this process",
    );
  }
  return execute(flow, {
    workerCount: options.workerCountPerProc ?? 1,
    epochConfig: options.epochConfig,
    recoveryConfig: options.recoveryConfig,
    errors: "wrapped",
  });
}

/** Starts `procCount` local processes running `flow` as one cluster. Not yet supported. */
export async function spawnCluster(flow: Blueprint, options: SpawnOptions = {}): Promise<void> {
  void flow;
  void options;
  throw new EddyError("NOT_SUPPORTED", "spawnCluster is not yet supported; use clusterMain(flow, [], 0, { workerCountPerProc }) to run several workers in this process");
}
