/**
 * Which store serves which recovery config on this host. The engine serves `MemoryRecoveryConfig`;
 * host entry points register the others (Node: files; browsers: IndexedDB).
 */

import type { MemoryRecoveryConfig, RecoveryConfig } from "../configs/recovery.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { memoryRecoveryStore } from "./memoryStore.js";
import type { RecoveryStore } from "./store.js";

export type RecoveryStoreFactory = (config: RecoveryConfig) => RecoveryStore;

const factories = new Map<string, RecoveryStoreFactory>([["memory", (config) => memoryRecoveryStore(config as MemoryRecoveryConfig)]]);

const UNAVAILABLE: Record<string, string> = {
  file: "FileRecoveryConfig needs Node: import eddy/execution in Node, or use MemoryRecoveryConfig or IndexedDbRecoveryConfig in a browser",
  indexeddb: "IndexedDbRecoveryConfig needs a browser (IndexedDB); in Node use FileRecoveryConfig",
  kafka: "Kafka recovery is not available yet",
};

export function registerRecoveryStore(type: string, factory: RecoveryStoreFactory): void {
  factories.set(type, factory);
}

export function recoveryStoreFor(config: RecoveryConfig): RecoveryStore {
  const factory = factories.get(config.type);
  if (factory) return factory(config);
  const reason = UNAVAILABLE[config.type];
  if (reason) throw new EddyError("ADAPTER_MISSING", reason);
  throw new EddyError("CONFIG_INVALID", `Unknown recovery config type: ${preview(config.type)}`);
}
