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

import { OpenWindow, type Windower } from "./windower.js";

/**
 * The session windower.
 *
 * @example
 * const windows: OpenWindow[] = [];
 * const ids = { nextId: 0 };
 * const session = sessionWindower(10);
 * session.add(windows, ids, 0, 0, "a", accumulator);  // one session [0, 0]
 * session.add(windows, ids, 25, 0, "b", accumulator); // two: [0, 0] and [25, 25]
 * session.add(windows, ids, 12, 0, "c", accumulator); // joins [25, 25] as [12, 25], which merges into [0, 25]
 */
export function sessionWindower(gap: number): Windower {
  return {
    kind: "session",
    add(windows, ids, time, watermark, value, accumulator) {
      if (time < watermark) return false;
      // The neighbours: the last session that starts at or before the item, and the next one.
      let i = windows.length;
      while (i > 0 && windows[i - 1]!.start > time) i -= 1;
      const before = i > 0 ? windows[i - 1] : undefined;
      const after = windows[i];
      const joinsBefore = before !== undefined && time - before.end <= gap;
      const joinsAfter = after !== undefined && after.start - time <= gap;
      if (!joinsBefore && !joinsAfter) {
        const opened = new OpenWindow(time, time, time + gap, accumulator.first(value, time), ids.nextId++);
        if (i === windows.length) windows.push(opened);
        else windows.splice(i, 0, opened);
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
        windows.splice(i, 1);
      }
      return true;
    },
  };
}
