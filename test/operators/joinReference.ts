/**
 * A plain model of Bytewax 0.21's `join`, transcribed from its source (`_JoinState` and `_JoinLogic`
 * in bytewax/operators/__init__.py): per key a list of values per side; `astuples` is the
 * cartesian product with `[null]` for an empty side. It knows nothing of Eddy's runtime: the
 * expected values of the join tests come from it and from hand-worked cases.
 */

export type InsertMode = "first" | "last" | "product";
export type EmitMode = "complete" | "final" | "running";

/** One event: the side it comes on, its key and its value. */
export type SideEvent = readonly [side: number, key: string, value: unknown];

/** What the model emits: the index of the event that caused it (or "eof") and the item. */
export interface ModelOutput {
  readonly at: number | "eof";
  readonly item: [string, unknown[]];
}

/**
 * Bytewax's `astuples`: every row of one value per side, `null` for a side without values.
 *
 * @example
 * astuples([[1, 2], [], ["x"]]); // [[1, null, "x"], [2, null, "x"]]
 */
export function astuples(seen: unknown[][]): unknown[][] {
  let rows: unknown[][] = [[]];
  for (const values of seen) {
    const choices = values.length > 0 ? values : [null];
    rows = rows.flatMap((row) => choices.map((value) => [...row, value]));
  }
  return rows;
}

/**
 * Bytewax's insert of a value into its side's values: `first` keeps the first, `last` the latest,
 * `product` every one.
 *
 * @example
 * const seen = [[], []];
 * insertValue(seen, 1, "x", "last"); // seen is [[], ["x"]]
 */
export function insertValue(seen: unknown[][], side: number, value: unknown, insertMode: InsertMode): void {
  if (insertMode === "first" && seen[side]!.length === 0) seen[side] = [value];
  else if (insertMode === "last") seen[side] = [value];
  else if (insertMode === "product") seen[side]!.push(value);
}

/** Runs the model over `events` in order, as one stream of `[side, value]` per key. */
export function referenceJoin(events: readonly SideEvent[], sideCount: number, insertMode: InsertMode, emitMode: EmitMode): ModelOutput[] {
  const state = new Map<string, unknown[][]>();
  const out: ModelOutput[] = [];
  events.forEach(([side, key, value], at) => {
    let seen = state.get(key);
    if (!seen) {
      seen = Array.from({ length: sideCount }, () => []);
      state.set(key, seen);
    }
    insertValue(seen, side, value, insertMode);
    if (emitMode === "complete" && seen.every((values) => values.length > 0)) {
      for (const row of astuples(seen)) out.push({ at, item: [key, row] });
      state.delete(key);
    } else if (emitMode === "running") {
      for (const row of astuples(seen)) out.push({ at, item: [key, row] });
    }
  });
  if (emitMode === "final") for (const [key, seen] of state) for (const row of astuples(seen)) out.push({ at: "eof", item: [key, row] });
  return out;
}
