/**
 * Sliding windows (Bytewax 0.21's `SlidingWindower`): window k covers [startAt + k * offset,
 * startAt + k * offset + length), for every integer k, and an item belongs to every window that
 * contains it. Indices are floored, as Bytewax 0.21 does. An item is late when the first window it
 * belongs to (the one that closes first) closed before the watermark; then so may others, and it
 * joins none. With `offset === length` these are tumbling windows, but for times before `startAt`
 * (tumbling windows truncate toward zero, as in Bytewax 0.11).
 */

import { OpenWindow, positionOf, type Windower } from "./windower.js";

/**
 * The sliding windower.
 *
 * @example
 * const windows: OpenWindow[] = [];
 * slidingWindower(10, 5, 0).add(windows, { nextId: 0 }, 7, 0, 1, accumulator); // windows: [0, 10) and [5, 15)
 */
export function slidingWindower(length: number, offset: number, startAt: number): Windower {
  return {
    kind: "sliding",
    add(windows, _ids, time, watermark, value, accumulator) {
      const sinceStart = time - startAt;
      const first = Math.floor((sinceStart - length) / offset) + 1;
      const last = Math.floor(sinceStart / offset);
      if (startAt + offset * first + length < watermark) return false;
      let at = positionOf(windows, startAt + offset * first);
      for (let k = first; k <= last; k++) {
        const start = startAt + offset * k;
        const existing = windows[at];
        if (existing !== undefined && existing.start === start) {
          existing.acc = accumulator.next(existing.acc, value, time);
        } else {
          const end = start + length;
          const opened = new OpenWindow(start, end, end, accumulator.first(value, time));
          if (at === windows.length) windows.push(opened);
          else windows.splice(at, 0, opened);
        }
        at += 1;
      }
      return true;
    },
  };
}
