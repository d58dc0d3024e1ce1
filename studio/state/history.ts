/**
 * Undo and redo over whole documents: snapshot stacks (documents share structure, so a snapshot
 * costs only what changed). Pure and immutable: every function returns a new History.
 *
 * Consecutive records with the same group key merge into one undo step while each comes within
 * the merge window (1000 ms by default) of the one before: typing in one field is one step. A drag
 * records with `mergeWindowMs: Infinity` and `seal` on its last move, so it is one step however
 * slow. Time is passed in (`at`), never read here. A new record clears redo. Selection is not
 * history: it lives beside it in the store.
 */

import type { FlowDefinition } from "../../engine/host/index.js";

export const DEFAULT_HISTORY_LIMIT = 200;
export const DEFAULT_MERGE_WINDOW_MS = 1000;

export interface History {
  /** Earlier documents, oldest first. */
  readonly past: readonly FlowDefinition[];
  readonly present: FlowDefinition;
  /** Undone documents, the next redo first. */
  readonly future: readonly FlowDefinition[];
  /** The group of the last record while it may still merge, and when it was recorded. */
  readonly openGroup?: { readonly key: string; readonly at: number; readonly windowMs: number };
  readonly limit: number;
}

export interface HistoryOptions {
  /** The most undo steps kept (the oldest are dropped). */
  readonly limit?: number;
}

export interface RecordOptions {
  /** Records with the same group merge (see above); none never merges. */
  readonly group?: string;
  /** The time of the edit, in milliseconds. */
  readonly at: number;
  /** How close in time a record must follow the previous one of its group to merge. */
  readonly mergeWindowMs?: number;
  /** Close the group after this record: the next one starts a new undo step. */
  readonly seal?: boolean;
}

export function createHistory(doc: FlowDefinition, options: HistoryOptions = {}): History {
  return { past: [], present: doc, future: [], limit: Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT) };
}

/** `history` after the edit that produced `doc`. The same document is not an edit. */
export function record(history: History, doc: FlowDefinition, options: RecordOptions): History {
  const { group, at, seal = false } = options;
  const windowMs = options.mergeWindowMs ?? DEFAULT_MERGE_WINDOW_MS;
  const openGroup = group !== undefined && !seal ? { key: group, at, windowMs } : undefined;
  if (doc === history.present) {
    return seal && history.openGroup ? withoutGroup(history) : history;
  }
  const open = history.openGroup;
  if (group !== undefined && open !== undefined && open.key === group && at - open.at <= Math.max(windowMs, open.windowMs)) {
    const merged: History = { ...history, present: doc, future: [] };
    return openGroup ? { ...merged, openGroup } : withoutGroup(merged);
  }
  const past = [...history.past, history.present];
  if (past.length > history.limit) past.splice(0, past.length - history.limit);
  return { past, present: doc, future: [], limit: history.limit, ...(openGroup && { openGroup }) };
}

function withoutGroup(history: History): History {
  const { openGroup: _closed, ...rest } = history;
  return rest;
}

/** Closes the open group, so that the next record is a new undo step. */
export function seal(history: History): History {
  return history.openGroup ? withoutGroup(history) : history;
}

export function canUndo(history: History): boolean {
  return history.past.length > 0;
}

export function canRedo(history: History): boolean {
  return history.future.length > 0;
}

/** Back one step (the same history when there is nothing to undo). */
export function undo(history: History): History {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future], limit: history.limit };
}

/** Forward one step (the same history when there is nothing to redo). */
export function redo(history: History): History {
  const [next, ...future] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future, limit: history.limit };
}
