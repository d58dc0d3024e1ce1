/**
 * `eddy/execution` in browsers (pages and Web Workers): the engine's execution API with the
 * browser's recovery store registered, so `IndexedDbRecoveryConfig` works.
 */

import type { IndexedDbRecoveryConfig } from "../../engine/configs/recovery.js";
import { registerRecoveryStore } from "../../engine/recovery/registry.js";
import { indexedDbRecoveryStore } from "../recovery/indexedDbStore.js";

registerRecoveryStore("indexeddb", (config) => indexedDbRecoveryStore((config as IndexedDbRecoveryConfig).dbName));

export * from "../../engine/api/execution.js";
