/// <reference lib="dom" />
/**
 * The stored state of simulated runs: the IndexedDB recovery database a run with recovery writes
 * (studio/recovery/indexedDbStore.ts). `inspectStoredState` reads it through the store port and
 * lets the recovery protocol say what a resume would do; `deleteStoredState` deletes the database.
 */

import { EddyError } from "../../engine/host/index.js";
import { decideResume, isFinished, resumeEpoch } from "../../engine/host/index.js";
import type { PartitionContents } from "../../engine/host/index.js";
import { indexedDbRecoveryStore } from "../recovery/indexedDbStore.js";
import type { StoredState } from "./simulatorApi.js";

function factoryOf(factory: IDBFactory | undefined): IDBFactory {
  if (factory === undefined) throw new EddyError("ADAPTER_MISSING", "Stored simulation state needs IndexedDB, which this environment lacks");
  return factory;
}

/** Whether the database exists, without creating it (opening one creates it). Unknown: true. */
async function databaseExists(factory: IDBFactory, dbName: string): Promise<boolean> {
  if (typeof factory.databases !== "function") return true;
  const databases = await factory.databases();
  return databases.some((database) => database.name === dbName);
}

/** What `dbName` holds, and whether a run with `workers` workers would resume from it. */
export async function inspectStoredState(dbName: string, workers: number, factory: IDBFactory | undefined = globalThis.indexedDB): Promise<StoredState> {
  const idb = factoryOf(factory);
  if (!(await databaseExists(idb, dbName))) return { exists: false };
  const store = indexedDbRecoveryStore(dbName, idb);
  const partitions = new Map<number, PartitionContents>();
  for (const index of await store.partitions()) {
    const partition = await store.open(index);
    try {
      const contents = await partition.load();
      if (contents) partitions.set(index, contents);
    } finally {
      await partition.close();
    }
  }
  const all = [...partitions.values()];
  const exists = all.some((contents) => contents.frontier > 0 || contents.records.length > 0);
  if (!exists) return { exists: false };
  const state: StoredState = { exists, resumeEpoch: resumeEpoch(all.map((contents) => ({ frontier: contents.frontier, finished: isFinished(contents) }))), workers: all[0]!.meta.workerCount };
  try {
    // The step ids are not known here (no flow): accept those stored, so that only worker counts,
    // format and missing partitions are checked.
    const stepIds = [...new Set(all.flatMap((contents) => contents.records.map((record) => record.stepId)))];
    decideResume({ description: store.description, describePartition: store.describePartition, partitions }, { workerCount: workers, stepIds });
  } catch (error) {
    state.problem = error instanceof Error ? error.message : String(error);
  }
  return state;
}

/** Deletes `dbName`. Eddy's own open connections close themselves when a deletion waits for them. */
export async function deleteStoredState(dbName: string, factory: IDBFactory | undefined = globalThis.indexedDB): Promise<void> {
  const idb = factoryOf(factory);
  // Under the store's lock: a run in another tab keeps its state (RECOVERY_LOCKED instead).
  const lease = await indexedDbRecoveryStore(dbName, idb).lock();
  try {
    const request = idb.deleteDatabase(dbName);
    await new Promise<void>((resolve, reject) => {
      request.onsuccess = () => resolve();
      request.onerror = () => reject(new EddyError("SIM_STATE_DELETE_FAILED", `The stored state "${dbName}" cannot be deleted: ${request.error?.message ?? "unknown error"}`));
    });
  } finally {
    await lease.release();
  }
}
