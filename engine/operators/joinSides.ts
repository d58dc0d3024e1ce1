/**
 * One key's join state, as Bytewax 0.21's `_JoinState`: the values seen on each side, kept by the
 * insert mode, and the rows they make. `first` and `last` keep one value per side (a flat array,
 * so an item costs no allocation); `product` keeps every value of each side and emits every
 * combination (a cross join). A side without a value is `null` in a row.
 *
 * `join` keeps one per key; `join_window` one per key and window.
 *
 * @example
 * const sides = newSides(2, "last");
 * insertValue(sides, 0, "ada", "last");
 * appendRows("k1", sides, out); // out: [["k1", ["ada", null]]]
 */

import type { JoinInsertMode } from "../dataflow/steps.js";

/** Marks a side without a value in `values` (never leaves this module's users). */
const UNSET: unique symbol = Symbol("unset");

export class JoinSides {
  /** `first` / `last`: the side's value, or UNSET. Unused (empty) for `product`. */
  readonly values: unknown[];
  /** `product`: every value of each side, in arrival order. Empty for `first` / `last`. */
  readonly lists: unknown[][];
  /** Sides that have at least one value. */
  filled = 0;

  constructor(
    readonly sideCount: number,
    readonly product: boolean,
  ) {
    this.values = product ? [] : new Array<unknown>(sideCount).fill(UNSET);
    this.lists = product ? Array.from({ length: sideCount }, () => []) : [];
  }
}

/** A state for `sideCount` sides with no value yet. */
export function newSides(sideCount: number, insertMode: JoinInsertMode): JoinSides {
  return new JoinSides(sideCount, insertMode === "product");
}

/** Inserts `value` on `side` as the insert mode says (first: only if the side has none; last: replaces; product: appends). */
export function insertValue(sides: JoinSides, side: number, value: unknown, insertMode: JoinInsertMode): void {
  if (sides.product) {
    const list = sides.lists[side]!;
    if (list.length === 0) sides.filled += 1;
    list.push(value);
    return;
  }
  const values = sides.values;
  if (values[side] === UNSET) {
    sides.filled += 1;
    values[side] = value;
  } else if (insertMode === "last") {
    values[side] = value;
  }
}

/** Whether every side has a value (the `complete` emit mode emits then). */
export function isComplete(sides: JoinSides): boolean {
  return sides.filled === sides.sideCount;
}

/**
 * Appends `[key, row]` for each row of the state: one row for `first` / `last`; for `product`,
 * every combination, the first side varying slowest (Python's `itertools.product`).
 */
export function appendRows(key: string, sides: JoinSides, out: unknown[]): void {
  const count = sides.sideCount;
  if (!sides.product) {
    const values = sides.values;
    const row = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      const value = values[i];
      row[i] = value === UNSET ? null : value;
    }
    out.push([key, row]);
    return;
  }
  const lists = sides.lists;
  const at = new Array<number>(count).fill(0);
  for (;;) {
    const row = new Array<unknown>(count);
    for (let i = 0; i < count; i++) {
      const list = lists[i]!;
      row[i] = list.length === 0 ? null : list[at[i]!];
    }
    out.push([key, row]);
    let i = count - 1;
    while (i >= 0) {
      if (++at[i]! < Math.max(1, lists[i]!.length)) break;
      at[i] = 0;
      i -= 1;
    }
    if (i < 0) return;
  }
}

/** Forgets every value (join_window's `complete` mode keeps the window open, empty). */
export function clearSides(sides: JoinSides): void {
  sides.filled = 0;
  if (sides.product) for (const list of sides.lists) list.length = 0;
  else sides.values.fill(UNSET);
}

/**
 * Folds the session `from` into the earlier session `into` (two sessions an item bridged), as
 * Bytewax 0.21.1's `_JoinWindowLogic.on_merge` does, whose `|=` takes the right-hand side's value
 * for every side that has one: `first` takes `from`'s values over `into`'s, `last` keeps `into`'s
 * and takes `from`'s only for sides `into` lacks, `product` appends `from`'s values to `into`'s.
 * (That `first` and `last` look swapped is Bytewax's behaviour, recorded in
 * test/windows/bytewax21/joinWindowKinds.json.)
 *
 * @example
 * mergeWindowSides(earlier, later, "product"); // earlier's lists, then later's
 */
export function mergeWindowSides(into: JoinSides, from: JoinSides, insertMode: JoinInsertMode): void {
  for (let side = 0; side < into.sideCount; side++) {
    if (into.product) {
      const values = from.lists[side]!;
      if (values.length === 0) continue;
      const target = into.lists[side]!;
      if (target.length === 0) into.filled += 1;
      for (const value of values) target.push(value);
    } else {
      const value = from.values[side];
      if (value === UNSET) continue;
      if (into.values[side] === UNSET) {
        into.filled += 1;
        into.values[side] = value;
      } else if (insertMode === "first") {
        into.values[side] = value;
      }
    }
  }
}

/** The state as saved in snapshots: each side's values (an empty array for a side without one), whatever the mode. */
export function saveSides(sides: JoinSides): unknown[][] {
  if (sides.product) return sides.lists.map((list) => [...list]);
  return sides.values.map((value) => (value === UNSET ? [] : [value]));
}

/** A state from what `saveSides` saved. */
export function restoreSides(saved: readonly (readonly unknown[])[], insertMode: JoinInsertMode): JoinSides {
  const sides = newSides(saved.length, insertMode);
  saved.forEach((values, side) => {
    for (const value of values) insertValue(sides, side, value, insertMode);
  });
  return sides;
}
