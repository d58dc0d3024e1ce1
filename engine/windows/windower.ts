/**
 * Window kinds. A windower is what a window config means for one key's open windows: which windows
 * an item at a given time belongs to (opening them, extending them, merging them), and when an item
 * comes too late. Closing is the same for every kind: a window closes once the watermark passes its
 * `closeAt` (strictly), so the window logic (windowLogic.ts, and any other windowed operator) drains
 * a key's windows from the front while `closeAt < watermark`.
 *
 * A key's open windows are a list ordered by start (windowList.ts); every kind keeps it ordered by
 * `closeAt` as well, so the front is always the next window to close. Windowers hold no per-key
 * state: a key's state is its list (and the counter in `WindowIds`), which recovery saves.
 *
 * createWindower.ts makes the windower of a window config:
 * - tumbling.ts: back-to-back windows (Bytewax 0.11).
 * - sliding.ts: windows of a length starting every offset (Bytewax 0.21's `SlidingWindower`).
 * - session.ts: sessions of items at most a gap apart (Bytewax 0.21's `SessionWindower`).
 */

import type { OpenWindow, WindowList } from "./windowList.js";

/** How a windowed step starts, grows and merges its per-window accumulators (windowAccumulators.ts). */
export interface WindowAccumulator {
  /** The accumulator of a window's first value, which arrived at clock time `time`. */
  first(value: unknown, time: number): unknown;
  /** `acc` with one more value. */
  next(acc: unknown, value: unknown, time: number): unknown;
  /** Two windows became one (sessions bridged by an item): `into` is the earlier window's accumulator. */
  merge(into: unknown, from: unknown): unknown;
  /** What the step emits for a closed window's accumulator. */
  result(acc: unknown): unknown;
}

/** A key's counter of sessions made, part of its saved state. */
export interface WindowIds {
  nextId: number;
}

/** What a windower works on: a key's open windows and its session counter (the key's state is both). */
export type KeyWindowList = WindowList & WindowIds;

export interface Windower {
  readonly kind: "tumbling" | "sliding" | "session";
  /**
   * Adds `value`, of clock time `time`, to the windows of `windows` it belongs to, opening,
   * extending or merging windows as the kind does; `windows` stays ordered by start and by
   * `closeAt`. Returns false, changing nothing, when the item is late for the `watermark`: a window
   * it belongs to (or, for sessions, could have joined) may have closed already.
   *
   * @example
   * const windows = { first: undefined, last: undefined, nextId: 0 };
   * tumblingWindower(10, 0).add(windows, 3, 0, "x", accumulator); // true: windows holds [0, 10)
   */
  add(windows: KeyWindowList, time: number, watermark: number, value: unknown, accumulator: WindowAccumulator): boolean;
  /** Tumbling only: a window saved by Eddy before sliding and session windows existed, as `[index, closeAt, acc]`. */
  restoreLegacy?(index: number, closeAt: number, acc: unknown): OpenWindow;
}
