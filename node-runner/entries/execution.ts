/** `eddy/execution` in Node: the engine's execution API, running on the Node host (files, LMDB, stdout). */

import { executionFor } from "../../engine/api/execution.js";
import { nodeHost } from "../host/nodeHost.js";

export * from "../../engine/api/execution.js";
export { nodeHost } from "../host/nodeHost.js";

const nodeExecution = executionFor(() => nodeHost());
export const runMain = nodeExecution.runMain;
export const clusterMain = nodeExecution.clusterMain;
export const spawnCluster = nodeExecution.spawnCluster;
