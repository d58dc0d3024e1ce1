/**
 * Tumbling windows: back-to-back windows of `length` ms from `startAt`. As in Bytewax 0.11 the index
 * is an integer division that truncates toward zero, so times in (startAt - length, startAt) fall
 * in window 0. An item is late when its window closed before the watermark.
 */

import type { Windower } from "./windower.js";
import { OpenWindow, insertBefore, openWindow } from "./windowList.js";

/**
 * The tumbling windower.
 *
 * @example
 * const windows = { first: undefined, last: undefined, nextId: 0 };
 * tumblingWindower(10, 0).add(windows, 13, 0, 1, accumulator); // windows: [10, 20)
 */
export function tumblingWindower(length: number, startAt: number): Windower & { restoreLegacy(index: number, closeAt: number, acc: unknown): OpenWindow } {
  return {
    kind: "tumbling",
    add(windows, time, watermark, value, accumulator) {
      const index = Math.trunc((time - startAt) / length);
      const closeAt = startAt + length * (index + 1);
      if (closeAt < watermark) return false;
      // Windows are compared by close time, computed the same way since Eddy's first tumbling windows.
      let existing = windows.last;
      while (existing !== undefined && existing.closeAt > closeAt) existing = existing.prev;
      if (existing !== undefined && existing.closeAt === closeAt) {
        existing.acc = accumulator.next(existing.acc, value, time);
        return true;
      }
      const opened = openWindow(windows, startAt + length * index, closeAt, closeAt, accumulator.first(value, time));
      insertBefore(windows, opened, existing === undefined ? windows.first : existing.next);
      return true;
    },
    /** A window saved before sliding and session windows existed, as `[index, closeAt, acc]`. */
    restoreLegacy: (index, closeAt, acc) => new OpenWindow(startAt + length * index, closeAt, closeAt, acc),
  };
}
