/**
 * The browser host (pages and Web Workers): the engine's host with the `indexeddb` recovery store
 * as a table entry. `eddy/execution` in browsers and the studio's simulation run with it.
 *
 * ```ts
 * const host = browserHost();
 * await execute(flow, { workerCount: 1, errors: "recorded", recoveryConfig: new IndexedDbRecoveryConfig("runs"), host });
 * ```
 */

import type { IndexedDbRecoveryConfig } from "../../engine/host/index.js";
import { engineHost, extendHost, type Host } from "../../engine/host/index.js";
import { indexedDbRecoveryStore } from "../recovery/indexedDbStore.js";

export function browserHost(): Host {
  return extendHost(engineHost(), {
    recoveryStores: { indexeddb: (config: IndexedDbRecoveryConfig) => indexedDbRecoveryStore(config.dbName) },
  });
}
