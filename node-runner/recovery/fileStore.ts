/**
 * `FileRecoveryConfig`: one LMDB environment per worker, `worker-<i>.mdb` under the store's
 * directory. Each environment has three named databases (meta, progress, state); a commit is one
 * synchronous LMDB transaction across them, so a batch is all there or not there, after a crash and
 * after an error midway (a failed write, a full disk: RECOVERY_STORE_FULL).
 *
 * State records are keyed by [step id, key, epoch]. LMDB keys are at most 1978 bytes, so a record
 * whose step id and key are long is keyed by a digest instead, and keeps its real ids in its value.
 *
 * Every value is binary and checked when read (recordChecksum.ts): a record's value carries a
 * checksum over its id and bytes, and the progress database one summary (frontier, record count,
 * id digest, meta hash) that a load checks against what it counted. Anything that does not match
 * is RECOVERY_CORRUPT, found before anything is written.
 */

import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Database, RootDatabase } from "lmdb";
import { EddyError } from "../../engine/host/index.js";
import { UNGUARDED, type NativeGuard } from "../threads/nativeFence.js";
import { lockStoreDir } from "./storeLock.js";
import { addToDigest, decodeSummary, decodeValue, encodeSummary, encodeValue, EMPTY_SUMMARY, idHash, metaHash, type DecodedValue } from "./recordChecksum.js";
import type { PartitionBatch, PartitionContents, PartitionMeta, RecoveryPartition, RecoveryStore, StateRecord } from "../../engine/host/index.js";

export const PARTITION_FILE = /^worker-(\d+)\.mdb$/;

/** The names of the files in a store's directory; none when the directory does not exist. */
export function storeFileNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** `guard` runs every native LMDB call (threads/nativeFence.ts: a thread is never ended inside one). */
export function fileRecoveryStore(dbDir: string, options: { guard?: NativeGuard } = {}): RecoveryStore {
  const guard = options.guard ?? UNGUARDED;
  const dir = resolve(dbDir);
  const fileOf = (workerIndex: number) => join(dir, `worker-${workerIndex}.mdb`);
  return {
    description: `file ${dir}`,
    async partitions() {
      const indexes = storeFileNames(dir).flatMap((name) => {
        const match = PARTITION_FILE.exec(name);
        return match ? [Number(match[1])] : [];
      });
      // A file whose creation was interrupted has no meta yet: it is not a partition.
      const withMeta: number[] = [];
      for (const index of indexes.sort((a, b) => a - b)) {
        const partition = await lmdbPartition(fileOf(index), { guard });
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
      if (!existsSync(fileOf(workerIndex))) writeFileSync(creatingMarkerOf(fileOf(workerIndex)), "");
      return lmdbPartition(fileOf(workerIndex), { guard });
    },
    describePartition: (workerIndex) => `file ${fileOf(workerIndex)}`,
    async lock() {
      const held = lockStoreDir(dir);
      return { release: async () => held.release() };
    },
  };
}

/** Exists from before a partition file is created until its meta is committed (see assertLmdbFile). */
export function creatingMarkerOf(partitionPath: string): string {
  return partitionPath.replace(/\.mdb$/, ".creating");
}

/** LMDB pages as we create them; the two meta pages at the start of the file describe the rest. */
export const PAGE_SIZE = 4096;
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
function assertLmdbFile(path: string, creating: string): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 0;
  }
  if (size === 0) {
    if (existsSync(creating)) return 0;
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
  return size;
}

/**
 * Opens a partition file; `readOnly` never creates or writes anything (the verifier's way). lmdb
 * (native code) is imported here, on the first partition opened: a run without a file store never loads it.
 */
export async function lmdbPartition(path: string, options: { readOnly?: boolean; guard?: NativeGuard } = {}): Promise<RecoveryPartition> {
  const creating = creatingMarkerOf(path);
  const sizeBefore = assertLmdbFile(path, creating);
  const guard = options.guard ?? UNGUARDED;
  // Loading the addon is native work too: a thread ended while it registers aborts the process.
  const { open } = await guard.runAsync(() => import("lmdb"));
  const readOnly = options.readOnly ?? false;
  let root: RootDatabase;
  try {
    root = guard.run(() => open({ path, maxDbs: 4, compression: false, pageSize: PAGE_SIZE, readOnly }));
  } catch (error) {
    throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  const corrupt = (what: string) => new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} is corrupt: ${what}; refusing to use it (nothing was changed).`);
  // Read-only, a database that was never created is missing (the partition's creation was interrupted).
  const openDb = <V, K extends string | StateKey>(name: string): Database<V, K> | undefined => {
    try {
      return guard.run(() => root.openDB<V, K>({ name, encoding: "binary" })) ?? undefined;
    } catch (error) {
      if (readOnly) return undefined;
      throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be opened: ${(error as Error).message}`, { cause: error });
    }
  };
  const meta = openDb<Buffer, string>("meta");
  const progress = openDb<Buffer, string>("progress");
  const state = openDb<Buffer, StateKey>("state");
  async function commitBatch(batch: PartitionBatch): Promise<void> {
    if (!meta || !progress || !state) return;
    guard.run(() => root.transactionSync(() => {
      const stored = progress.getBinary(SUMMARY_KEY);
      const before = stored === undefined ? EMPTY_SUMMARY : decodeSummary(stored);
      if (!before) throw corrupt("the checksum of its summary (frontier, record count) does not match");
      let { count, digest, metaHash: hashOfMeta } = before;
      if (batch.meta) {
        meta.putSync("meta", Buffer.from(JSON.stringify(batch.meta), "utf8"));
        hashOfMeta = metaHash(batch.meta);
      }
      for (const { stepId, key, epoch } of batch.deletes ?? []) {
        const stateKey = stateKeyOf(stepId, key, epoch);
        if (!state.removeSync(stateKey)) continue;
        count -= 1;
        digest = addToDigest(digest, idHash(stateKey[0], stateKey[1], epoch), -1);
      }
      for (const record of batch.records ?? []) {
        const stateKey = stateKeyOf(record.stepId, record.key, record.epoch);
        const id = idHash(stateKey[0], stateKey[1], record.epoch);
        const value = encodeValue(id, record.value, isLong(record.stepId, record.key) ? { stepId: record.stepId, key: record.key } : undefined);
        // A new id counts; one written before (in this batch or an earlier one) is overwritten.
        // With noOverwrite, putSync returns whether it wrote (lmdb-js's types say void).
        if (state.putSync(stateKey, value, NO_OVERWRITE) as unknown as boolean) {
          count += 1;
          digest = addToDigest(digest, id, 1);
        } else {
          state.putSync(stateKey, value);
        }
      }
      const frontier = batch.frontier ?? before.frontier;
      progress.putSync(SUMMARY_KEY, encodeSummary({ frontier, count, digest, metaHash: hashOfMeta }));
    }, ABORTABLE_NO_FLUSH));
    // Committed and visible now (flags: abortable, committed before it returns, not waiting for the disk), flushed to disk in
    // the background (lmdb-js's overlappingSync) while the worker goes on: a commit resolves once
    // it is durable.
    await root.flushed;
  }

  /** Everything in the partition, each record checked (synchronous: one native stretch for the fence). */
  function loadContents(): PartitionContents | undefined {
    try {
      const metaBytes = meta?.getBinary("meta");
      const summaryBytes = progress?.getBinary(SUMMARY_KEY);
      if (metaBytes === undefined) {
        // The runner writes meta in a partition's first commit, so the verifier (read-only) calls
        // progress without meta corruption; the store's contract lets a writer commit without meta.
        if (readOnly && (summaryBytes !== undefined || (state !== undefined && state.getKeysCount({ limit: 1 }) > 0))) {
          throw corrupt("it holds progress or records but no meta");
        }
        // A file with content but no meta is a partition whose creation was interrupted only while
        // its marker is there; else its databases cannot be found (a damaged main page, say), and
        // creating them again would write into that page.
        if (sizeBefore > 0 && !existsSync(creating)) throw corrupt("its databases (meta, progress, state) cannot be found, and it is not a partition whose creation was interrupted");
        return undefined;
      }
      if (summaryBytes === undefined) throw corrupt("its meta has no summary (records written without checksums, by an older Eddy, or a damaged page)");
      const summary = decodeSummary(summaryBytes);
      if (!summary) throw corrupt("the checksum of its summary (frontier, record count) does not match");
      let partitionMeta: PartitionMeta;
      try {
        partitionMeta = JSON.parse(Buffer.from(metaBytes).toString("utf8")) as PartitionMeta;
      } catch {
        throw corrupt("its meta is not readable");
      }
      if (metaHash(partitionMeta) !== summary.metaHash) throw corrupt("its meta does not match its checksum");
      const records: StateRecord[] = [];
      let digest = 0;
      for (const { key, value } of state?.getRange() ?? []) {
        if (!isStateKey(key)) throw corrupt(`a record's id is not [step id, key, epoch]: ${JSON.stringify(key)?.slice(0, 200)}`);
        const id = idHash(key[0], key[1], key[2]);
        const decoded = decodeValue(id, value);
        if (!decoded) throw corrupt(`the checksum of the record of step ${JSON.stringify(key[0].slice(0, 100))}, key ${JSON.stringify(key[1].slice(0, 100))}, epoch ${key[2]} does not match`);
        records.push(recordOf(key, decoded));
        digest = addToDigest(digest, id, 1);
      }
      if (records.length !== summary.count || digest !== summary.digest) {
        throw corrupt(`it should hold ${summary.count} records with id digest ${summary.digest}; it holds ${records.length} with digest ${digest}`);
      }
      return { meta: partitionMeta, frontier: summary.frontier, records };
    } catch (error) {
      if (error instanceof EddyError) throw error;
      throw new EddyError("RECOVERY_CORRUPT", `Recovery file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }

  let commitFailed = false;
  return {
    async load(): Promise<PartitionContents | undefined> {
      return guard.run(loadContents);
    },
    async commit(batch: PartitionBatch) {
      if (readOnly || !meta || !progress || !state) throw new Error(`recovery file ${path} is open read-only`);
      for (const { epoch } of batch.records ?? []) assertEpoch(path, epoch);
      for (const { epoch } of batch.deletes ?? []) assertEpoch(path, epoch);
      try {
        await commitBatch(batch);
      } catch (error) {
        commitFailed = true;
        throw await writeFailure(path, error);
      }
      // The partition has its meta now: its creation is over.
      if (batch.meta) rmSync(creating, { force: true });
    },
    async close() {
      try {
        await guard.run(() => root.close());
      } catch (error) {
        // lmdb-js rejects the close of an environment whose commit failed with that same failure,
        // which the commit already reported.
        if (!commitFailed) throw error;
      }
    },
  };
}

/** Errors of a file system that cannot take more: a full disk, a quota, a file size limit, LMDB's map. */
const FULL = new Set(["ENOSPC", "EDQUOT", "EFBIG", "MDB_MAP_FULL"]);
const FULL_ERRNOS = new Set([28, 122, 27, -30792]);

/**
 * A failed commit as the runner reports it. lmdb-js rejects a failed commit with "Commit failed"
 * and the cause in a second promise (`commitError`), which must be handled or it ends the process.
 * A write that fails with an I/O error (EIO) is how a short write on a full disk often surfaces.
 */
async function writeFailure(path: string, error: unknown): Promise<Error> {
  if (error instanceof EddyError) return error;
  const pending = (error as { commitError?: Promise<unknown> } | undefined)?.commitError;
  const cause = pending ? await pending.then(() => error, (reason: unknown) => reason) : error;
  const own = (cause ?? {}) as { code?: unknown; errno?: unknown; message?: unknown };
  const code = typeof own.code === "string" ? own.code : undefined;
  const errno = typeof own.code === "number" ? own.code : typeof own.errno === "number" ? own.errno : undefined;
  const message = typeof own.message === "string" ? own.message : String(cause);
  const full = (code !== undefined && FULL.has(code)) || (errno !== undefined && FULL_ERRNOS.has(Math.abs(errno) === 30792 ? errno : Math.abs(errno))) || /MDB_MAP_FULL|ENOSPC|EDQUOT|No space left|quota/i.test(message);
  const io = errno === 5 || code === "EIO" || /Input\/output error/i.test(message);
  if (full || io) {
    const what = full ? "the disk (or the quota, or the file size limit) under it is full" : "writing to its disk failed with an I/O error, as on a full disk";
    return new EddyError("RECOVERY_STORE_FULL", `recovery file ${path} cannot grow: ${what} (${code ?? (errno !== undefined ? `errno ${errno}` : message)})`, { cause });
  }
  return cause instanceof Error ? cause : new Error(message);
}

const SUMMARY_KEY = "summary";
const NO_OVERWRITE = { noOverwrite: true } as const;
/** transactionSync flags (lmdb-js TransactionFlags): ABORTABLE | SYNCHRONOUS_COMMIT | NO_SYNC_FLUSH. */
const ABORTABLE_NO_FLUSH = 0x1 | 0x2 | 0x10000;

function assertEpoch(path: string, epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error(`recovery file ${path}: epoch ${epoch} is not a whole number`);
}

type StateKey = [stepId: string, key: string, epoch: number];

function isStateKey(key: unknown): key is StateKey {
  return Array.isArray(key) && key.length === 3 && typeof key[0] === "string" && typeof key[1] === "string" && Number.isSafeInteger(key[2]) && key[2] >= 0;
}

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

function recordOf([stepId, key, epoch]: StateKey, decoded: DecodedValue): StateRecord {
  const ids = decoded.realIds ?? { stepId, key };
  return { stepId: ids.stepId, key: ids.key, epoch, value: decoded.value };
}
