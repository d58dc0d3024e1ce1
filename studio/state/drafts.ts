/// <reference lib="dom" />
/**
 * The draft: the document being edited, autosaved in IndexedDB (database "eddy-studio", object
 * store "drafts", key "current") so that a reload or a crash loses nothing. The draft is not the
 * saved file: the store's `dirty` flag is about exports, not about drafts.
 *
 * Reading never throws: no draft is `undefined`; a stored value that is not a flow document (or
 * IndexedDB failing) comes back as `{ corrupt: true, reason, value }`, so the UI can tell the user and
 * start from an example instead. Autosave is debounced: one write after the edits pause.
 */

import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { FLOW_FORMAT, migrateFlow, type FlowDefinition } from "../../engine/host/index.js";
import { isObject } from "./steps.js";
import type { EditorStore } from "./editorStore.js";

export const DRAFTS_DB_NAME = "eddy-studio";
export const DRAFTS_STORE = "drafts";
export const CURRENT_DRAFT_KEY = "current";
const DB_VERSION = 1;

interface DraftsSchema extends DBSchema {
  drafts: { key: string; value: unknown };
}

async function openDrafts(): Promise<IDBPDatabase<DraftsSchema>> {
  if (typeof indexedDB === "undefined") throw new Error("IndexedDB is not available here");
  return openDB<DraftsSchema>(DRAFTS_DB_NAME, DB_VERSION, {
    upgrade(db) {
      if (!db.objectStoreNames.contains(DRAFTS_STORE)) db.createObjectStore(DRAFTS_STORE);
    },
    blocking() {
      // Another tab upgrades the database: let it (this connection is short-lived anyway).
    },
  });
}

async function withDrafts<T>(use: (db: IDBPDatabase<DraftsSchema>) => Promise<T>): Promise<T> {
  const db = await openDrafts();
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

/** Writes `doc` as the current draft. Rejects when IndexedDB fails (autosave reports it). */
export async function saveDraft(doc: FlowDefinition): Promise<void> {
  await withDrafts((db) => db.put(DRAFTS_STORE, doc, CURRENT_DRAFT_KEY));
}

/** Deletes the current draft (after the user discards it). */
export async function clearDraft(): Promise<void> {
  await withDrafts((db) => db.delete(DRAFTS_STORE, CURRENT_DRAFT_KEY));
}

/** A draft read back: its document, or `corrupt` with the reason (and the stored value, if any). */
export type LoadedDraft =
  | { readonly corrupt: false; readonly doc: FlowDefinition }
  | { readonly corrupt: true; readonly doc?: undefined; readonly reason: string; readonly value?: unknown };

/** The current draft; undefined when there is none. Never throws. */
export async function loadDraft(): Promise<LoadedDraft | undefined> {
  let value: unknown;
  try {
    value = await withDrafts((db) => db.get(DRAFTS_STORE, CURRENT_DRAFT_KEY));
  } catch (error) {
    return { corrupt: true, reason: `The draft could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (value === undefined) return undefined;
  return checkDraft(value);
}

/** Whether a stored value is a usable flow document. */
export function checkDraft(value: unknown): LoadedDraft {
  if (!isObject(value) || value.format !== FLOW_FORMAT) {
    return { corrupt: true, reason: `The saved draft is not a flow (expected an object with "format": "${FLOW_FORMAT}")`, value };
  }
  if (!Array.isArray(value.steps)) return { corrupt: true, reason: "The saved draft is damaged: its steps are not a list", value };
  try {
    return { corrupt: false, doc: migrateFlow(value) as FlowDefinition };
  } catch (error) {
    return { corrupt: true, reason: `The saved draft cannot be opened: ${error instanceof Error ? error.message : String(error)}`, value };
  }
}

export interface AutosaveOptions {
  /** How long edits must pause before the draft is written (milliseconds). */
  readonly delayMs?: number;
  /** The writer (saveDraft by default). */
  readonly save?: (doc: FlowDefinition) => Promise<void>;
  /** Called after each successful write. */
  readonly onSaved?: (doc: FlowDefinition) => void;
  /** Called when a write fails (the next change tries again). */
  readonly onError?: (error: Error) => void;
}

/** Stops autosaving when called (so it can be a React effect's cleanup), with `flush` and `dispose`. */
export type Autosave = (() => void) & {
  /** Writes a pending change now (e.g. on `pagehide`). */
  flush(): Promise<void>;
  /** Stops autosaving; a pending change is dropped (flush first to keep it). */
  dispose(): void;
};

/** Saves the store's document after each pause in its changes. */
export function autosave(store: EditorStore, options: AutosaveOptions = {}): Autosave {
  const delayMs = options.delayMs ?? 1000;
  const save = options.save ?? saveDraft;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSaved: FlowDefinition | undefined;

  const write = async () => {
    timer = undefined;
    const doc = store.getState().doc;
    if (doc === lastSaved) return;
    try {
      await save(doc);
      lastSaved = doc;
      options.onSaved?.(doc);
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.doc === previous.doc) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void write(), delayMs);
  });

  const dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    unsubscribe();
  };
  const flush = async () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    await write();
  };
  return Object.assign(() => dispose(), { flush, dispose });
}
