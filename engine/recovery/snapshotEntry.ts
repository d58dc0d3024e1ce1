/**
 * What a keyed step's snapshot is made of: per key, its state at the end of an epoch, or RESET
 * when the key's state was forgotten. Operators produce entries (operators/keyedLogic.ts); the
 * recovery store writes them (partitionWriter.ts) and the worker gathers them (runtime/worker.ts).
 *
 * @example
 * const entries: SnapshotEntry[] = [["apple", 3], ["pear", RESET]];
 */

/** In a snapshot, marks a key whose state was forgotten. */
export const RESET = Symbol("reset");

/** A snapshot entry: a key and its state at the end of an epoch, or RESET. */
export type SnapshotEntry = readonly [key: string, state: unknown];
