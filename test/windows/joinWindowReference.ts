/**
 * A plain model of `join_window` on event time with a clock that does not move (windows close only
 * by items and at end of input): per key, the watermark is the latest event time seen minus the
 * wait; an item whose window's close time is below the watermark is late; windows whose close
 * time is below the watermark after an item close, oldest first. Inside a window, the join is
 * Bytewax 0.21's `_JoinWindowLogic` (bytewax/operators/windowing.py): `complete` clears the
 * window's state and keeps it open, `final` emits at close. It knows nothing of Eddy's runtime.
 */

import { astuples, insertValue, type EmitMode, type InsertMode } from "../operators/joinReference.js";

/** An event: its side, key, and value, whose time is `value.t`. */
export type TimedEvent = readonly [side: number, key: string, value: { readonly t: number }];

export interface WindowModel {
  /** Window `i` is [startAt + i * length, startAt + (i + 1) * length). */
  readonly length: number;
  readonly startAt: number;
  readonly wait: number;
}

/** What the model emits: the rows as [key, window index, row], and how many items were late. */
export function referenceJoinWindow(
  events: readonly TimedEvent[],
  sideCount: number,
  insertMode: InsertMode,
  emitMode: EmitMode,
  model: WindowModel,
): { rows: [string, number, unknown[]][]; late: number } {
  const keys = new Map<string, { latest: number; windows: Map<number, unknown[][]> }>();
  const rows: [string, number, unknown[]][] = [];
  let late = 0;
  const closeOf = (index: number) => model.startAt + model.length * (index + 1);
  const close = (key: string, windows: Map<number, unknown[][]>, watermark: number) => {
    for (const index of [...windows.keys()].sort((a, b) => a - b)) {
      if (!(closeOf(index) < watermark)) continue;
      if (emitMode === "final") for (const row of astuples(windows.get(index)!)) rows.push([key, index, row]);
      windows.delete(index);
    }
  };
  for (const [side, key, value] of events) {
    let state = keys.get(key);
    if (!state) keys.set(key, (state = { latest: -Infinity, windows: new Map() }));
    state.latest = Math.max(state.latest, value.t);
    const watermark = state.latest - model.wait;
    const index = Math.trunc((value.t - model.startAt) / model.length);
    if (closeOf(index) < watermark) {
      late += 1;
    } else {
      let seen = state.windows.get(index);
      if (!seen) state.windows.set(index, (seen = Array.from({ length: sideCount }, () => [])));
      insertValue(seen, side, value, insertMode);
      if (emitMode === "complete" && seen.every((values) => values.length > 0)) {
        for (const row of astuples(seen)) rows.push([key, index, row]);
        for (const values of seen) values.length = 0;
      } else if (emitMode === "running") {
        for (const row of astuples(seen)) rows.push([key, index, row]);
      }
    }
    close(key, state.windows, watermark);
  }
  for (const [key, state] of keys) close(key, state.windows, Infinity);
  return { rows, late };
}
