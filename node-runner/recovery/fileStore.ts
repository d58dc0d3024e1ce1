/**
 * `FileRecoveryConfig`: one LMDB environment per worker, `worker-<i>.mdb` under the store's
 * directory. Each environment has three named databases (meta, progress, state); a commit is one
 * LMDB (child) transaction across them, so a batch is all there or not there, after a crash and
 * after an error midway.
 *
 * State records are keyed by [step id, key, epoch]. LMDB keys are at most 1978 bytes, so a record
 * whose step id and key are long is keyed by a digest instead, and keeps its real ids in its value.
 */

import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { open, type Database, type RootDatabase } from "lmdb";
import { EddyError } from "../../engine/errors.js";
import { lockStoreDir } from "./storeLock.js";
import type { PartitionBatch, PartitionContents, PartitionMeta, RecoveryPartition, RecoveryStore, StateRecord } from "../../engine/recovery/store.js";

const PARTITION_FILE = /^worker-(\d+)\.mdb$/;

export function fileRecoveryStore(dbDir: string): RecoveryStore {
  const dir = resolve(dbDir);
  const fileOf = (workerIndex: number) => join(dir, `worker-${workerIndex}.mdb`);
  /** Exists from before a partition file is created until its meta is committed (see assertLmdbFile). */
  const creatingOf = (workerIndex: number) => join(dir, `worker-${workerIndex}.creating`);
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
      const indexes = names.flatMap((name) => {
        const match = PARTITION_FILE.exec(name);
        return match ? [Number(match[1])] : [];
      });
      // A file whose creation was interrupted has no meta yet: it is not a partition.
      const withMeta: number[] = [];
      for (const index of indexes.sort((a, b) => a - b)) {
        const partition = lmdbPartition(fileOf(index), creatingOf(index));
        try {
          if ((await partition.load()) !== undefined) withMeta.push(index);
        } finally {
          await partition.close();
        }
      }
      return withMeta;
    },
    async open(workerIndex) {
      mkdirSync(dir, { recursive: true });
      if (!existsSync(fileOf(workerIndex))) writeFileSync(creatingOf(workerIndex), "");
      return lmdbPartition(fileOf(workerIndex), creatingOf(workerIndex));
    },
    describePartition: (workerIndex) => `file ${fileOf(workerIndex)}`,
    async lock() {
      const held = lockStoreDir(dir);
      return { release: async () => held.release() };
    },
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
 * interrupted (LMDB writes nothing before its first commit) only when its `creating` marker is
 * there, written before the file was created and deleted once its meta was committed; otherwise
 * something else emptied it, and starting over silently would lose the saved state.
 */
function assertLmdbFile(path: string, creating: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size === 0) {
    if (existsSync(creating)) return;
    throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} is empty (0 bytes), and it is not a partition whose creation was interrupted; refusing to use it.`);
  }
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

function lmdbPartition(path: string, creating: string): RecoveryPartition {
  assertLmdbFile(path, creating);
  let root: RootDatabase;
  try {
    root = open({ path, maxDbs: 4, compression: false, pageSize: PAGE_SIZE });
  } catch (error) {
    throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  const meta: Database<PartitionMeta, string> = root.openDB({ name: "meta" });
  const progress: Database<number, string> = root.openDB({ name: "progress" });
  const state: Database<StoredValue, StateKey> = root.openDB({ name: "state" });
  return {
    async load(): Promise<PartitionContents | undefined> {
      try {
        const partitionMeta = meta.get("meta");
        if (partitionMeta === undefined) return undefined;
        const records: StateRecord[] = [];
        for (const { key, value } of state.getRange()) records.push(recordOf(key, value));
        return { meta: partitionMeta, frontier: progress.get("frontier") ?? 0, records };
      } catch (error) {
        throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
      }
    },
    async commit(batch: PartitionBatch) {
      await root.childTransaction(() => {
        if (batch.meta) meta.put("meta", batch.meta);
        for (const id of batch.deletes ?? []) state.remove(stateKeyOf(id.stepId, id.key, id.epoch));
        for (const record of batch.records ?? []) state.put(stateKeyOf(record.stepId, record.key, record.epoch), storedValueOf(record));
        if (batch.frontier !== undefined) progress.put("frontier", batch.frontier);
      });
      // The partition has its meta now: its creation is over.
      if (batch.meta) rmSync(creating, { force: true });
    },
    async close() {
      await root.close();
    },
  };
}

type StateKey = [stepId: string, key: string, epoch: number];
/** A record's bytes (or null for a reset); records keyed by a digest also carry their ids. */
type StoredValue = Uint8Array | null | { readonly stepId: string; readonly key: string; readonly value: Uint8Array | null };

/** Step ids and keys longer than this (in UTF-16 units) are keyed by digest: 3 bytes a unit stays under 1978. */
const MAX_DIRECT_KEY_UNITS = 600;
const DIGEST_MARK = "\u0000digest";

function isLong(stepId: string, key: string): boolean {
  return stepId.length + key.length > MAX_DIRECT_KEY_UNITS;
}

function stateKeyOf(stepId: string, key: string, epoch: number): StateKey {
  if (!isLong(stepId, key)) return [stepId, key, epoch];
  const digest = createHash("sha256").update(stepId).update("\u0000").update(key).digest("hex");
  return [DIGEST_MARK, digest, epoch];
}

function storedValueOf(record: StateRecord): StoredValue {
  return isLong(record.stepId, record.key) ? { stepId: record.stepId, key: record.key, value: record.value } : record.value;
}

function recordOf([stepId, key, epoch]: StateKey, stored: StoredValue): StateRecord {
  if (stored !== null && !(stored instanceof Uint8Array)) {
    return { stepId: stored.stepId, key: stored.key, epoch, value: stored.value === null ? null : new Uint8Array(stored.value) };
  }
  return { stepId, key, epoch, value: stored === null ? null : new Uint8Array(stored) };
}
