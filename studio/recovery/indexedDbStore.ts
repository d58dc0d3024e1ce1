/// <reference lib="dom" />
/**
 * `IndexedDbRecoveryConfig`: the browser's recovery store, one IndexedDB database named by the
 * config with one partition per worker inside it. It runs on pages and in Web Workers (no Node).
 *
 * Layout (schema version 1), three object stores without key paths:
 * - `meta`:     workerIndex                          -> PartitionMeta
 * - `progress`: workerIndex                          -> the worker's durable frontier (a number)
 * - `state`:    [workerIndex, stepId, key, epoch]    -> the encoded state (Uint8Array), or null (reset)
 * A partition "exists" once it has a `meta` row. A worker's state rows are the compound keys from
 * [i] up to [i, []]: IndexedDB orders arrays element by element, a shorter prefix first, and any
 * array after any string, so that range holds exactly worker i's rows.
 *
 * A commit is ONE readwrite transaction over the three stores: IndexedDB makes it all visible or
 * none of it, also across crashes; the promise resolves when the transaction has completed.
 *
 * Connections: each open partition has its own connection (and `partitions()` a short-lived one).
 * A connection closes itself when another one wants to upgrade or delete the database (`blocking`),
 * so it never stalls them; later use of that partition fails with a clear error.
 *
 * The `idb` package promisifies IndexedDB. It recognises IndexedDB objects through the global
 * constructors (`IDBRequest`, `IDBDatabase`, `IDBTransaction`, ...) and builds key ranges with the
 * global `IDBKeyRange`, so in Node the globals must come from the same implementation as `factory`
 * (e.g. `import "fake-indexeddb/auto"`), whatever factory is passed.
 */

import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction } from "idb";
import { EddyError } from "../../engine/host/index.js";
import type { PartitionBatch, PartitionContents, PartitionMeta, RecoveryPartition, RecoveryStore, StateRecord, StoreLease } from "../../engine/host/index.js";

const SCHEMA_VERSION = 1;

type StateKey = [workerIndex: number, stepId: string, key: string, epoch: number];

interface RecoverySchema extends DBSchema {
  meta: { key: number; value: PartitionMeta };
  progress: { key: number; value: number };
  state: { key: StateKey; value: Uint8Array | null };
}

type RecoveryDb = IDBPDatabase<RecoverySchema>;

export function indexedDbRecoveryStore(dbName: string, factory: IDBFactory | undefined = globalThis.indexedDB): RecoveryStore {
  const description = `IndexedDB database "${dbName}"`;
  const describePartition = (workerIndex: number) => `${description} partition ${workerIndex}`;
  const idb = factory;
  if (idb === undefined || typeof IDBRequest === "undefined" || typeof IDBKeyRange === "undefined") {
    throw new EddyError("ADAPTER_MISSING", `${description} needs IndexedDB (the global indexedDB, IDBRequest, IDBKeyRange, ...), which this environment lacks; in Node use FileRecoveryConfig`);
  }
  return {
    description,
    async partitions() {
      let db: RecoveryDb;
      try {
        db = await openRecoveryDb(idb, dbName, () => {});
      } catch (error) {
        throw openError(error, description);
      }
      try {
        return (await db.getAllKeys("meta")).sort((a, b) => a - b);
      } catch (error) {
        throw new EddyError("RECOVERY_CORRUPT", `Recovery store ${description} cannot be read: ${messageOf(error)}`, { cause: error });
      } finally {
        db.close();
      }
    },
    async open(workerIndex) {
      if (!Number.isInteger(workerIndex) || workerIndex < 0) {
        throw new EddyError("CONFIG_INVALID", `A worker index must be a non-negative integer, got ${String(workerIndex)}`);
      }
      const where = describePartition(workerIndex);
      let closedBecause: string | undefined;
      let db: RecoveryDb;
      try {
        db = await openRecoveryDb(idb, dbName, (reason) => (closedBecause = reason));
      } catch (error) {
        throw openError(error, where);
      }
      const ensureOpen = () => {
        if (closedBecause !== undefined) throw new EddyError("RECOVERY_CLOSED", `Recovery store ${where} is closed: ${closedBecause}`);
      };
      return indexedDbPartition(db, workerIndex, where, ensureOpen, () => (closedBecause ??= "the partition was closed"));
    },
    describePartition,
    lock: () => lockDatabase(dbName, description),
  };
}

/**
 * One run per database across this site's tabs and workers: a Web Lock named after the database,
 * requested without waiting (`ifAvailable`) and held until released. A terminated Web Worker or a
 * closed tab releases it. Where there are no Web Locks (Node), there is nothing to lock across.
 */
function lockDatabase(dbName: string, description: string): Promise<StoreLease> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (locks === undefined) return Promise.resolve({ release: async () => {} });
  return new Promise<StoreLease>((resolve, reject) => {
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const granted: Promise<void> = locks
      .request(`eddy-recovery:${dbName}`, { ifAvailable: true }, async (lock) => {
        if (lock === null) {
          reject(new EddyError("RECOVERY_LOCKED", `Recovery store ${description} is in use by another run (in another tab or window of this site); one store serves one run at a time. Stop that run first.`));
          return;
        }
        // Released once the lock manager has let it go (the request settles), so a next run can take it at once.
        resolve({ release: () => (release(), granted) });
        await held;
      })
      .then(() => undefined, reject);
  });
}

/**
 * idb's `openDB(name, version, { upgrade, blocked, blocking, terminated })`, done by hand because
 * `openDB` always opens through the global `indexedDB`, never a given factory.
 */
function openRecoveryDb(factory: IDBFactory, dbName: string, onClosed: (reason: string) => void): Promise<RecoveryDb> {
  const request = factory.open(dbName, SCHEMA_VERSION);
  const opened = wrap(request) as Promise<RecoveryDb>;
  // upgrade: version 1 is the only schema; create whatever is missing.
  request.addEventListener("upgradeneeded", () => {
    const db = wrap(request.result) as RecoveryDb;
    if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
    if (!db.objectStoreNames.contains("progress")) db.createObjectStore("progress");
    if (!db.objectStoreNames.contains("state")) db.createObjectStore("state");
  });
  // blocked: a connection to an older version is still open; the open waits until it closes (Eddy's
  // own connections close themselves when blocking, below), so there is nothing to do here.
  return opened.then((db) => {
    // blocking: another connection wants to upgrade or delete the database; get out of its way.
    db.addEventListener("versionchange", () => {
      onClosed("another connection is upgrading or deleting the database");
      db.close();
    });
    // terminated: the browser closed the connection (storage cleared, disk error, ...).
    db.addEventListener("close", () => onClosed("the browser closed the connection (storage cleared or failing?)"));
    return db;
  });
}

function indexedDbPartition(db: RecoveryDb, workerIndex: number, where: string, ensureOpen: () => void, markClosed: () => void): RecoveryPartition {
  const stateKey = (stepId: string, key: string, epoch: number): StateKey => [workerIndex, stepId, key, epoch];
  return {
    async load(): Promise<PartitionContents | undefined> {
      ensureOpen();
      try {
        const tx = db.transaction(["meta", "progress", "state"], "readonly");
        const range = IDBKeyRange.bound([workerIndex], [workerIndex, []]);
        const [meta, frontier, keys, values] = await Promise.all([
          tx.objectStore("meta").get(workerIndex),
          tx.objectStore("progress").get(workerIndex),
          tx.objectStore("state").getAllKeys(range),
          tx.objectStore("state").getAll(range),
          tx.done,
        ]);
        if (meta === undefined) return undefined;
        checkMeta(meta);
        if (frontier !== undefined && (typeof frontier !== "number" || !Number.isFinite(frontier))) {
          throw new Error(`the frontier is ${describeValue(frontier)}, not a number`);
        }
        if (keys.length !== values.length) throw new Error(`${keys.length} state keys but ${values.length} values`);
        const records = keys.map((key, i): StateRecord => toRecord(key, values[i], workerIndex));
        return { meta, frontier: frontier ?? 0, records };
      } catch (error) {
        if (error instanceof EddyError) throw error;
        throw new EddyError("RECOVERY_CORRUPT", `Recovery store ${where} cannot be read: ${messageOf(error)}`, { cause: error });
      }
    },

    async commit(batch: PartitionBatch) {
      ensureOpen();
      let tx: IDBPTransaction<RecoverySchema, ["meta", "progress", "state"], "readwrite">;
      try {
        tx = db.transaction(["meta", "progress", "state"], "readwrite");
      } catch (error) {
        throw new EddyError("RECOVERY_WRITE_FAILED", `Recovery store ${where} cannot be written: ${messageOf(error)}`, { cause: error });
      }
      const state = tx.objectStore("state");
      // Every request's promise is awaited (or settled) below, so that none rejects unhandled.
      const requests: Promise<unknown>[] = [];
      try {
        if (batch.meta) requests.push(tx.objectStore("meta").put(batch.meta, workerIndex));
        for (const id of batch.deletes ?? []) requests.push(state.delete(stateKey(id.stepId, id.key, id.epoch)));
        for (const record of batch.records ?? []) {
          requests.push(state.put(storedValue(record.value), stateKey(record.stepId, record.key, record.epoch)));
        }
        if (batch.frontier !== undefined) requests.push(tx.objectStore("progress").put(batch.frontier, workerIndex));
      } catch (error) {
        // A request could not even be made (an invalid key, say): undo the ones already made.
        try {
          tx.abort();
        } catch {
          // Already aborted.
        }
        await Promise.allSettled([...requests, tx.done]);
        throw commitError(error, where);
      }
      try {
        await Promise.all([...requests, tx.done]);
      } catch (error) {
        // A failed request aborts the transaction; wait for the abort so that nothing is half done.
        await Promise.allSettled([...requests, tx.done]);
        throw commitError(tx.error ?? error, where);
      }
    },

    async close() {
      markClosed();
      db.close();
    },
  };
}

/** A tight copy of a view on a larger buffer, so that only the record's bytes are stored. */
function storedValue(value: Uint8Array | null): Uint8Array | null {
  if (value === null) return null;
  return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.constructor === Uint8Array ? value : new Uint8Array(value);
}

function toRecord(key: unknown, value: unknown, workerIndex: number): StateRecord {
  if (!Array.isArray(key) || key.length !== 4 || key[0] !== workerIndex || typeof key[1] !== "string" || typeof key[2] !== "string" || typeof key[3] !== "number") {
    throw new Error(`a state record has the key ${describeValue(key)}, not [${workerIndex}, stepId, key, epoch]`);
  }
  const [, stepId, recordKey, epoch] = key as StateKey;
  if (value === null) return { stepId, key: recordKey, epoch, value: null };
  if (value instanceof Uint8Array) return { stepId, key: recordKey, epoch, value: value.constructor === Uint8Array ? value : new Uint8Array(value) };
  if (ArrayBuffer.isView(value)) return { stepId, key: recordKey, epoch, value: new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)) };
  throw new Error(`the state of step ${JSON.stringify(stepId)}, key ${JSON.stringify(recordKey)}, epoch ${epoch} is ${describeValue(value)}, not bytes`);
}

function checkMeta(meta: unknown): asserts meta is PartitionMeta {
  const m = meta as Partial<Record<keyof PartitionMeta, unknown>> | null;
  const ok =
    typeof m === "object" &&
    m !== null &&
    typeof m.formatVersion === "number" &&
    typeof m.workerCount === "number" &&
    typeof m.workerIndex === "number" &&
    Array.isArray(m.stepIds) &&
    m.stepIds.every((id) => typeof id === "string");
  if (!ok) throw new Error(`its meta is ${describeValue(meta)}, not { formatVersion, workerCount, workerIndex, stepIds }`);
}

function openError(error: unknown, where: string): EddyError {
  if (error instanceof EddyError) return error;
  if (nameOf(error) === "VersionError") {
    return new EddyError("RECOVERY_FORMAT_NEWER", `Recovery store ${where} has a newer schema than version ${SCHEMA_VERSION}, which this version of Eddy reads; use a newer Eddy, or another database name`, { cause: error });
  }
  return new EddyError("RECOVERY_CORRUPT", `Recovery store ${where} cannot be opened: ${messageOf(error)}`, { cause: error });
}

function commitError(error: unknown, where: string): EddyError {
  if (error instanceof EddyError) return error;
  if (nameOf(error) === "QuotaExceededError") {
    return new EddyError("RECOVERY_QUOTA", `Recovery store ${where} is out of storage space (the browser's quota for this site is used up); free space, or keep less state`, { cause: error });
  }
  return new EddyError("RECOVERY_WRITE_FAILED", `Recovery store ${where} cannot be written: ${messageOf(error)}`, { cause: error });
}

function nameOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string" ? (error as { name: string }).name : undefined;
}

function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
    const { name, message } = error as { name?: string; message: string };
    return name && name !== "Error" ? `${name}: ${message}` : message;
  }
  return String(error);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `a ${(value as object).constructor?.name ?? "object"}`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
