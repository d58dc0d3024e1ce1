/** `eddy/execution`: running dataflows (Bytewax's `bytewax.execution`). */

import type { EpochConfig } from "../configs/epochs.js";
import type { RecoveryConfig } from "../configs/recovery.js";
import type { Blueprint } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";
import { engineHost } from "../host/engineHost.js";
import type { Host } from "../host/host.js";
import { execute } from "../runtime/execute.js";

export { EpochConfig, PeriodicEpochConfig, TestingEpochConfig } from "../configs/epochs.js";
export { WorkerFailedError, errorContext, type FailureContext } from "../errors.js";
export { engineHost, extendHost, type Host } from "../host/index.js";

export interface RunOptions {
  epochConfig?: EpochConfig;
  recoveryConfig?: RecoveryConfig;
  /** Where the run runs (clock, output, adapters); the entry's default host when absent. */
  host?: Host;
}

export interface ClusterOptions extends RunOptions {
  workerCountPerProc?: number;
}

export interface SpawnOptions extends ClusterOptions {
  procCount?: number;
}

export interface Execution {
  runMain(flow: Blueprint, options?: RunOptions): Promise<void>;
  clusterMain(flow: Blueprint, addresses: readonly string[] | null | undefined, procId: number, options?: ClusterOptions): Promise<void>;
  spawnCluster(flow: Blueprint, options?: SpawnOptions): Promise<void>;
}

/**
 * The execution functions of a host: each run gets `defaultHost()` unless its options name a host.
 * The Node and browser entries of `eddy/execution` export the functions of their own host.
 *
 * ```ts
 * const { runMain } = executionFor(() => extendHost(engineHost(), { writeStdout: (text) => lines.push(text) }));
 * ```
 */
export function executionFor(defaultHost: () => Host): Execution {
  return {
    /**
     * Runs `flow` with one worker in this thread. Rejects with the very error object that user code
     * threw (use `errorContext(error)` to learn the step, worker and item).
     */
    runMain(flow, options = {}) {
      return execute(flow, { workerCount: 1, epochConfig: options.epochConfig, recoveryConfig: options.recoveryConfig, errors: "original", host: options.host ?? defaultHost() });
    },
    /**
     * Runs process `procId` of a cluster. With no addresses, runs `workerCountPerProc` workers in this
     * process, exchanging keyed items by a stable hash. A failing worker stops all of them; the promise
     * rejects with a `WorkerFailedError` naming the worker and step, whose `cause` is the original error.
     */
    async clusterMain(flow, addresses, procId, options = {}) {
      void procId;
      if (addresses && addresses.length > 0) {
        throw new EddyError(
          "NOT_SUPPORTED",
          "clusterMain: TCP clusters (a non-empty address list) need Node (eddy/execution under Node); pass [] to run workerCountPerProc workers in this process",
        );
      }
      return execute(flow, {
        workerCount: options.workerCountPerProc ?? 1,
        epochConfig: options.epochConfig,
        recoveryConfig: options.recoveryConfig,
        errors: "wrapped",
        host: options.host ?? defaultHost(),
      });
    },
    /** Starts `procCount` local processes running `flow` as one cluster: Node's entry only (node-runner/cluster/spawnCluster.ts). */
    async spawnCluster(flow, options = {}) {
      void flow;
      void options;
      throw new EddyError("NOT_SUPPORTED", "spawnCluster needs Node (eddy/execution under Node); use clusterMain(flow, [], 0, { workerCountPerProc }) to run several workers in this process");
    },
  };
}

/** The engine's execution functions, with the engine's host (no files, no IndexedDB). */
const engineExecution = executionFor(engineHost);
/** Runs `flow` with one worker in this thread; rejects with what user code threw. */
export const runMain = engineExecution.runMain;
/** Runs process `procId` of a cluster: `workerCountPerProc` workers in this process (TCP clusters need Node's entry). */
export const clusterMain = engineExecution.clusterMain;
/** Starts `procCount` local processes running `flow` as one cluster: Node's entry only. */
export const spawnCluster = engineExecution.spawnCluster;
