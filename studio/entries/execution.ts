/**
 * `eddy/execution` in browsers (pages and Web Workers): the engine's execution API, running on the
 * browser host, so that `IndexedDbRecoveryConfig` works.
 */

import { executionFor } from "../../engine/api/execution.js";
import { browserHost } from "../host/browserHost.js";

export * from "../../engine/api/execution.js";
export { browserHost } from "../host/browserHost.js";

const browserExecution = executionFor(browserHost);
export const runMain = browserExecution.runMain;
export const clusterMain = browserExecution.clusterMain;
export const spawnCluster = browserExecution.spawnCluster;
