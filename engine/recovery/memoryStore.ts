/**
 * The in-memory store behind `MemoryRecoveryConfig`: the data lives with the config object, so
 * running again with the same object resumes. It is the reference implementation of the port.
 */

import type { MemoryPartition, MemoryRecoveryConfig } from "../configs/recovery.js";
import { EddyError } from "../errors.js";
import type { PartitionBatch, PartitionContents, RecoveryPartition, RecoveryStore } from "./store.js";


function recordKey(stepId: string, key: string, epoch: number): string {
  return JSON.stringify([stepId, key, epoch]);
}

export function memoryRecoveryStore(config: MemoryRecoveryConfig): RecoveryStore {
  const storage = config.storage;
  const all = storage.partitions;
  return {
    description: "memory store",
    async partitions() {
      return [...all.entries()].filter(([, p]) => p.meta !== undefined).map(([index]) => index).sort((a, b) => a - b);
    },
    async open(workerIndex) {
      let partition = all.get(workerIndex);
      if (!partition) {
        partition = { meta: undefined, frontier: 0, records: new Map() };
        all.set(workerIndex, partition);
      }
      return memoryPartition(partition);
    },
    describePartition: (workerIndex) => `memory store partition ${workerIndex}`,
    async lock() {
      if (storage.held) throw new EddyError("RECOVERY_LOCKED", "The memory store is in use by another run in this process; one store serves one run at a time.");
      storage.held = true;
      return { release: async () => void (storage.held = false) };
    },
  };
}

function memoryPartition(partition: MemoryPartition): RecoveryPartition {
  return {
    async load(): Promise<PartitionContents | undefined> {
      if (!partition.meta) return undefined;
      return { meta: partition.meta, frontier: partition.frontier, records: [...partition.records.values()] };
    },
    async commit(batch: PartitionBatch) {
      // Copy the bytes so that later changes by the caller never reach the store.
      if (batch.meta) partition.meta = { ...batch.meta, stepIds: [...batch.meta.stepIds] };
      for (const id of batch.deletes ?? []) partition.records.delete(recordKey(id.stepId, id.key, id.epoch));
      for (const record of batch.records ?? []) {
        partition.records.set(recordKey(record.stepId, record.key, record.epoch), { ...record, value: record.value && record.value.slice() });
      }
      if (batch.frontier !== undefined) partition.frontier = batch.frontier;
    },
    async close() {},
  };
}
