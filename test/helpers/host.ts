/**
 * Hosts for tests: the Node host (files, LMDB, the engine's built-ins) plus the browser's IndexedDB
 * store (on fake-indexeddb in Node), with some services replaced, e.g. a virtual clock. Tests that
 * run the engine directly (`execute`) pass one; `runMain` and `clusterMain` here run on it.
 */

import "fake-indexeddb/auto";
import { executionFor } from "../../engine/api/execution.js";
import type { IndexedDbRecoveryConfig } from "../../engine/configs/recovery.js";
import { extendHost, type Host, type HostChanges } from "../../engine/host/index.js";
import { nodeHost } from "../../node-runner/host/nodeHost.js";
import { indexedDbRecoveryStore } from "../../studio/recovery/indexedDbStore.js";

export function testHost(changes: HostChanges = {}): Host {
  const base = extendHost(nodeHost(), {
    recoveryStores: { indexeddb: (config: IndexedDbRecoveryConfig) => indexedDbRecoveryStore(config.dbName) },
  });
  return extendHost(base, changes);
}

const testExecution = executionFor(() => testHost());
export const runMain = testExecution.runMain;
export const clusterMain = testExecution.clusterMain;
