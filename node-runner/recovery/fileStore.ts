/**
 * `FileRecoveryConfig`: one LMDB environment per worker, `worker-<i>.mdb` under the store's
 * directory. Each environment has three named databases (meta, progress, state); a commit is one
 * LMDB transaction across them, so a batch is all there or not there after any crash.
 */

import { closeSync, mkdirSync, openSync, readSync, readdirSync, statSync } from "node:fs";
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

/** LMDB pages as we create them; the two meta pages at the start of the file describe the rest. */
const PAGE_SIZE = 4096;
const LMDB_MAGIC = 0xbeefc0de;
/** Where a meta page's fields are: the magic, the last page in use, the transaction id. */
const META = { magic: 24, lastPage: 144, txnId: 152 } as const;

/**
 * LMDB trusts its file and crashes the process (SIGSEGV, SIGBUS) on one that is not LMDB's or that
 * was cut short. So before opening, check that a non-empty partition file has LMDB's magic and
 * holds every page its newest meta page refers to. An empty file is a partition whose creation was
 * interrupted; LMDB initializes it.
 */
function assertLmdbFile(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size === 0) return;
  const header = Buffer.alloc(PAGE_SIZE + META.txnId + 8);
  const fd = openSync(path, "r");
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const metas = [0, PAGE_SIZE]
    .filter((base) => read >= base + META.txnId + 8 && header.readUInt32LE(base + META.magic) === LMDB_MAGIC)
    .map((base) => ({ lastPage: Number(header.readBigUInt64LE(base + META.lastPage)), txnId: header.readBigUInt64LE(base + META.txnId) }));
  if (metas.length === 0) {
    throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} is not an LMDB partition (no LMDB header in its first ${2 * PAGE_SIZE} bytes); refusing to use it.`);
  }
  const newest = metas.reduce((a, b) => (b.txnId > a.txnId ? b : a));
  const needed = (newest.lastPage + 1) * PAGE_SIZE;
  if (size < needed) {
    throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} is truncated: LMDB needs ${needed} bytes, the file has ${size}; refusing to use it.`);
  }
}

function lmdbPartition(path: string): RecoveryPartition {
  assertLmdbFile(path);
  let root: RootDatabase;
  try {
    root = open({ path, maxDbs: 4, compression: false, pageSize: PAGE_SIZE });
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
