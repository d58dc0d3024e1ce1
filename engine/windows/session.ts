/**
 * Session windows (Bytewax 0.21's `SessionWindower`). Per key, a session is a run of items at most
 * `gap` apart in clock time: its window runs from its first item's time to its last's, and it
 * closes once the watermark is more than `gap` past its last item. Sessions of a key never overlap
 * and are always more than `gap` apart.
 *
 * An item joins the session it falls in, or one that ends at most `gap` before it or starts at most
 * `gap` after it. When it is within `gap` of two sessions (it arrived out of order and bridges
 * them), it joins the older of the two (the one made first, as Bytewax's sessions are kept in
 * creation order), and then the later session merges into the earlier one. An item behind the
 * watermark is late: a session it could have joined may have closed already (as in Bytewax 0.21).
 */

import type { Windower } from "./windower.js";
import { OpenWindow, insertBefore, openWindow, removeWindow } from "./windowList.js";

/**
 * The session windower.
 *
 * @example
 * const windows = { first: undefined, last: undefined, nextId: 0 };
 * const session = sessionWindower(10);
 * session.add(windows, 0, 0, "a", accumulator);  // one session [0, 0]
 * session.add(windows, 18, 0, "b", accumulator); // two: [0, 0] and [18, 18]
 * session.add(windows, 9, 0, "c", accumulator);  // joins [0, 0] as [0, 9], and [18, 18] merges into it: [0, 18]
 */
export function sessionWindower(gap: number): Windower {
  return {
    kind: "session",
    add(windows, time, watermark, value, accumulator) {
      if (time < watermark) return false;
      // The neighbours: the last session that starts at or before the item, and the next one.
      const before = lastStartingBy(windows.last, time);
      const after = before === undefined ? windows.first : before.next;
      const joinsBefore = before !== undefined && time - before.end <= gap;
      const joinsAfter = after !== undefined && after.start - time <= gap;
      if (!joinsBefore && !joinsAfter) {
        insertBefore(windows, openWindow(windows, time, time, time + gap, accumulator.first(value, time), windows.nextId++), after);
        return true;
      }
      if (joinsBefore && (!joinsAfter || before.id < after!.id)) {
        before.acc = accumulator.next(before.acc, value, time);
        if (time > before.end) {
          before.end = time;
          before.closeAt = time + gap;
        }
      } else {
        after!.acc = accumulator.next(after!.acc, value, time);
        after!.start = time;
      }
      if (joinsBefore && joinsAfter) {
        // Bridged: the later session merges into the earlier one.
        before.acc = accumulator.merge(before.acc, after!.acc);
        before.end = after!.end;
        before.closeAt = after!.closeAt;
        removeWindow(windows, after!);
      }
      return true;
    },
  };
}

/** The last window that starts at or before `time`, searching back from `last`. */
function lastStartingBy(last: OpenWindow | undefined, time: number): OpenWindow | undefined {
  let open = last;
  while (open !== undefined && open.start > time) open = open.prev;
  return open;
}
