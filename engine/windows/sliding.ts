/**
 * Sliding windows (Bytewax 0.21's `SlidingWindower`): window k covers [startAt + k * offset,
 * startAt + k * offset + length), for every integer k, and an item belongs to every window that
 * contains it. Indices are floored, as Bytewax 0.21 does. An item is late when the first window it
 * belongs to (the one that closes first) closed before the watermark; then so may others, and it
 * joins none. With `offset === length` these are tumbling windows, but for times before `startAt`
 * (tumbling windows truncate toward zero, as in Bytewax 0.11).
 */

import type { Windower } from "./windower.js";
import { insertBefore, openWindow } from "./windowList.js";

/**
 * The sliding windower.
 *
 * @example
 * const windows = { first: undefined, last: undefined, nextId: 0 };
 * slidingWindower(10, 5, 0).add(windows, 7, 0, 1, accumulator); // windows: [0, 10) and [5, 15)
 */
export function slidingWindower(length: number, offset: number, startAt: number): Windower {
  return {
    kind: "sliding",
    add(windows, time, watermark, value, accumulator) {
      const sinceStart = time - startAt;
      const first = Math.floor((sinceStart - length) / offset) + 1;
      const last = Math.floor(sinceStart / offset);
      if (startAt + offset * first + length < watermark) return false;
      // The first window that starts at or after the item's first window (searching from the end,
      // where new items usually land), then each of the item's windows in order.
      const firstStart = startAt + offset * first;
      let before = windows.last;
      while (before !== undefined && before.start >= firstStart) before = before.prev;
      let at = before === undefined ? windows.first : before.next;
      for (let k = first; k <= last; k++) {
        const start = startAt + offset * k;
        if (at !== undefined && at.start === start) {
          at.acc = accumulator.next(at.acc, value, time);
          at = at.next;
        } else {
          const end = start + length;
          insertBefore(windows, openWindow(windows, start, end, end, accumulator.first(value, time)), at);
        }
      }
      return true;
    },
  };
}
