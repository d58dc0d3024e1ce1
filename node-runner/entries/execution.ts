/**
 * `eddy/execution` in Node: the engine's execution API, running on the Node host (files, LMDB,
 * stdout), with TCP clusters: `clusterMain` with addresses (cluster/clusterMain.ts) and
 * `spawnCluster` (cluster/spawnCluster.ts).
 */

import { executionFor, type ClusterOptions, type SpawnOptions } from "../../engine/api/execution.js";
import type { Blueprint } from "../../engine/host/index.js";
import { tcpClusterMain } from "../cluster/clusterMain.js";
import { spawnCluster as spawnProcesses } from "../cluster/spawnCluster.js";
import { nodeHost } from "../host/nodeHost.js";

export * from "../../engine/api/execution.js";
export { nodeHost } from "../host/nodeHost.js";

/**
 * Node's options of a cluster: how long its processes may take to connect (default 30 000 ms), and
 * how long one may say nothing before the cluster stops (default 10 000 ms, at least 2 000; with
 * addresses, the workers run in the calling thread, so one call longer than this stops the cluster).
 */
export interface NodeClusterOptions extends ClusterOptions {
  connectTimeoutMs?: number;
  peerTimeoutMs?: number;
}

export interface NodeSpawnOptions extends SpawnOptions {
  connectTimeoutMs?: number;
  peerTimeoutMs?: number;
}

const nodeExecution = executionFor(() => nodeHost());
export const runMain = nodeExecution.runMain;

/**
 * Runs process `procId` of a cluster. With no addresses, runs `workerCountPerProc` workers in this
 * process. With addresses, this process is one of a TCP cluster (one process per address): its
 * workers `procId * workerCountPerProc` on run in this thread, exchanging with the others over TCP.
 * A failure anywhere rejects every process's promise, naming the worker, the step, the original
 * message and the process.
 */
export function clusterMain(flow: Blueprint, addresses: readonly string[] | null | undefined, procId: number, options: NodeClusterOptions = {}): Promise<void> {
  if (!addresses || addresses.length === 0) return nodeExecution.clusterMain(flow, addresses, procId, options);
  return tcpClusterMain(flow, addresses, procId, options, options.host ?? nodeHost());
}

/**
 * Starts `procCount` processes on this machine that run `flow` as one cluster, the way Node's
 * `cluster` module does: each re-runs this script, and in each the same call runs its part and ends
 * the process. Resolves in the parent when every process finished; rejects when one failed.
 */
export function spawnCluster(flow: Blueprint, options: NodeSpawnOptions = {}): Promise<void> {
  return spawnProcesses(flow, options, clusterMain);
}
