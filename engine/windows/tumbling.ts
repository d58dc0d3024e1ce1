/**
 * Tumbling windows: back-to-back windows of `length` ms from `startAt`. As in Bytewax 0.11 the index
 * is an integer division that truncates toward zero, so times in (startAt - length, startAt) fall
 * in window 0. An item is late when its window closed before the watermark.
 */

import { OpenWindow, type Windower } from "./windower.js";

/**
 * The tumbling windower.
 *
 * @example
 * const windows: OpenWindow[] = [];
 * tumblingWindower(10, 0).add(windows, { nextId: 0 }, 13, 0, 1, accumulator); // windows: [10, 20)
 */
export function tumblingWindower(length: number, startAt: number): Windower & { restoreLegacy(index: number, closeAt: number, acc: unknown): OpenWindow } {
  return {
    kind: "tumbling",
    add(windows, _ids, time, watermark, value, accumulator) {
      const index = Math.trunc((time - startAt) / length);
      const closeAt = startAt + length * (index + 1);
      if (closeAt < watermark) return false;
      // Windows are compared by close time, computed the same way since Eddy's first tumbling windows.
      let i = windows.length;
      while (i > 0 && windows[i - 1]!.closeAt > closeAt) i -= 1;
      const existing = i > 0 ? windows[i - 1]! : undefined;
      if (existing !== undefined && existing.closeAt === closeAt) {
        existing.acc = accumulator.next(existing.acc, value, time);
        return true;
      }
      const opened = new OpenWindow(startAt + length * index, closeAt, closeAt, accumulator.first(value, time));
      if (i === windows.length) windows.push(opened);
      else windows.splice(i, 0, opened);
      return true;
    },
    /** A window saved before sliding and session windows existed, as `[index, closeAt, acc]`. */
    restoreLegacy: (index, closeAt, acc) => new OpenWindow(startAt + length * index, closeAt, closeAt, acc),
  };
}
