/** Recovery configs: where epoch snapshots are stored so a failed dataflow can resume. */

import type { PartitionMeta, StateRecord } from "../recovery/store.js";

/** Base class of every recovery config. */
export abstract class RecoveryConfig {
  abstract readonly type: string;
}

/** Keeps snapshots in memory; running again with the same object resumes. For tests and simulation. */
export class MemoryRecoveryConfig extends RecoveryConfig {
  readonly type = "memory";
  /**
   * The store's contents and whether a run holds it: they live with this object (one object is
   * one store). Not enumerable, so the config still reads as `{ type: "memory" }`.
   */
  declare readonly storage: MemoryStorage;
  constructor() {
    super();
    Object.defineProperty(this, "storage", { value: { partitions: new Map(), held: false }, enumerable: false });
  }
}

/** What a memory store holds (recovery/memoryStore.ts reads and writes it). */
export interface MemoryStorage {
  readonly partitions: Map<number, MemoryPartition>;
  held: boolean;
}

export interface MemoryPartition {
  meta: PartitionMeta | undefined;
  frontier: number;
  records: Map<string, StateRecord>;
}

/** Node: one LMDB environment per worker under `dbDir`. */
export class FileRecoveryConfig extends RecoveryConfig {
  readonly type = "file";
  readonly dbDir: string;
  constructor(dbDir: string) {
    super();
    this.dbDir = dbDir;
  }
}

/** Browser: one IndexedDB database, a partition per worker. */
export class IndexedDbRecoveryConfig extends RecoveryConfig {
  readonly type = "indexeddb";
  readonly dbName: string;
  constructor(dbName: string) {
    super();
    this.dbName = dbName;
  }
}

/** Node: compacted Kafka topics, a partition per worker. */
export class KafkaRecoveryConfig extends RecoveryConfig {
  readonly type = "kafka";
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  constructor(brokers: readonly string[], topicPrefix: string) {
    super();
    this.brokers = [...brokers];
    this.topicPrefix = topicPrefix;
  }
}
