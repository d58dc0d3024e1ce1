/**
 * `FileRecoveryConfig`: one LMDB environment per worker, `worker-<i>.mdb` under the store's
 * directory. Each environment has three named databases (meta, progress, state); a commit is one
 * LMDB transaction across them, so a batch is all there or not there after any crash.
 */

import { mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { open, type Database, type RootDatabase } from "lmdb";
import { EddyError } from "../../engine/errors.js";
import type { PartitionBatch, PartitionContents, PartitionMeta, RecoveryPartition, RecoveryStore, StateRecord } from "../../engine/recovery/store.js";

const PARTITION_FILE = /^worker-(\d+)\.mdb$/;

export function fileRecoveryStore(dbDir: string): RecoveryStore {
  const dir = resolve(dbDir);
  const fileOf = (workerIndex: number) => join(dir, `worker-${workerIndex}.mdb`);
  return {
    description: `file ${dir}`,
    async partitions() {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      return names.flatMap((name) => {
        const match = PARTITION_FILE.exec(name);
        return match ? [Number(match[1])] : [];
      });
    },
    async open(workerIndex) {
      mkdirSync(dir, { recursive: true });
      return lmdbPartition(fileOf(workerIndex));
    },
    describePartition: (workerIndex) => `file ${fileOf(workerIndex)}`,
  };
}

function lmdbPartition(path: string): RecoveryPartition {
  let root: RootDatabase;
  try {
    root = open({ path, maxDbs: 4, compression: false });
  } catch (error) {
    throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  const meta: Database<PartitionMeta, string> = root.openDB({ name: "meta" });
  const progress: Database<number, string> = root.openDB({ name: "progress" });
  const state: Database<Uint8Array | null, [string, string, number]> = root.openDB({ name: "state" });
  return {
    async load(): Promise<PartitionContents | undefined> {
      try {
        const partitionMeta = meta.get("meta");
        if (partitionMeta === undefined) return undefined;
        const records: StateRecord[] = [];
        for (const { key, value } of state.getRange()) {
          const [stepId, recordKey, epoch] = key;
          records.push({ stepId, key: recordKey, epoch, value: value === null ? null : new Uint8Array(value) });
        }
        return { meta: partitionMeta, frontier: progress.get("frontier") ?? 0, records };
      } catch (error) {
        throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
      }
    },
    async commit(batch: PartitionBatch) {
      await root.transaction(() => {
        if (batch.meta) meta.put("meta", batch.meta);
        for (const id of batch.deletes ?? []) state.remove([id.stepId, id.key, id.epoch]);
        for (const record of batch.records ?? []) state.put([record.stepId, record.key, record.epoch], record.value);
        if (batch.frontier !== undefined) progress.put("frontier", batch.frontier);
      });
    },
    async close() {
      await root.close();
    },
  };
}
