/**
 * The window kinds on their own (engine/windows/windower.ts): which windows an item joins, what
 * each window holds, its bounds and close time, when an item is late, and how sessions merge. The
 * properties compare with what the definitions give computed another way: sliding windows by
 * testing every window near each item, sessions as the runs of sorted times at most `gap` apart.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sessionWindower } from "../../engine/windows/session.js";
import { slidingWindower } from "../../engine/windows/sliding.js";
import { tumblingWindower } from "../../engine/windows/tumbling.js";
import type { KeyWindowList, WindowAccumulator, Windower } from "../../engine/windows/windower.js";
import { windowsOf, type OpenWindow } from "../../engine/windows/windowList.js";

/** Collects [time, value] pairs; merges by concatenation, recording each merge. */
function recording(): WindowAccumulator & { merges: [unknown, unknown][] } {
  const merges: [unknown, unknown][] = [];
  return {
    merges,
    first: (value, time) => [[time, value]],
    next: (acc, value, time) => [...(acc as unknown[]), [time, value]],
    merge(into, from) {
      merges.push([into, from]);
      return [...(into as unknown[]), ...(from as unknown[])];
    },
    result: (acc) => acc,
  };
}

const emptyList = (): KeyWindowList => ({ first: undefined, last: undefined, nextId: 0 });

/** Adds [time, value] items in order with no watermark (nothing is late); returns the windows, first to last. */
function place(windower: Windower, items: readonly (readonly [number, unknown])[], accumulator = recording(), list = emptyList()): OpenWindow[] {
  for (const [time, value] of items) expect(windower.add(list, time, -Infinity, value, accumulator)).toBe(true);
  const windows = windowsOf(list);
  // The list is linked both ways.
  expect(windows.every((w, i) => w.prev === (i > 0 ? windows[i - 1] : undefined))).toBe(true);
  expect(list.last).toBe(windows[windows.length - 1]);
  return windows;
}

const bounds = (windows: readonly OpenWindow[]) => windows.map((w) => [w.start, w.end, w.closeAt]);
const members = (windows: readonly OpenWindow[]) => windows.map((w) => (w.acc as [number, unknown][]).map(([, value]) => value));

describe("tumbling windows", () => {
  it("put each item in the one window of its time, truncating toward zero before startAt (as Bytewax 0.11)", () => {
    const windows = place(tumblingWindower(10, 100), [[103, "a"], [117, "b"], [109, "c"], [95, "d"], [85, "e"]]);
    // 95 and 85: (95 - 100) / 10 truncates to 0, (85 - 100) / 10 to -1.
    expect(bounds(windows)).toEqual([[90, 100, 100], [100, 110, 110], [110, 120, 120]]);
    expect(members(windows)).toEqual([["e"], ["a", "c", "d"], ["b"]]);
  });

  it("call an item late when its window closed before the watermark (close time strictly before it)", () => {
    const windower = tumblingWindower(10, 0);
    const list = emptyList();
    expect(windower.add(list, 5, 10, "on time: window [0, 10) closes after 10", recording())).toBe(true);
    expect(windower.add(list, 5, 10.5, "late", recording())).toBe(false);
    expect(windowsOf(list)).toHaveLength(1);
  });
});

describe("sliding windows", () => {
  it("put an item in every window that contains it", () => {
    // 10 ms windows every 5 ms from 0: 7 is in [0, 10) and [5, 15); 12 in [5, 15) and [10, 20).
    const windows = place(slidingWindower(10, 5, 0), [[7, "a"], [12, "b"], [-3, "c"]]);
    expect(bounds(windows)).toEqual([[-10, 0, 0], [-5, 5, 5], [0, 10, 10], [5, 15, 15], [10, 20, 20]]);
    expect(members(windows)).toEqual([["c"], ["c"], ["a"], ["a", "b"], ["b"]]);
  });

  it("with offset equal to length are tumbling windows (from startAt on)", () => {
    const items = [[3, 1], [14, 2], [11, 3], [29, 4], [20, 5]] as const;
    expect(bounds(place(slidingWindower(10, 10, 0), items))).toEqual(bounds(place(tumblingWindower(10, 0), items)));
    expect(members(place(slidingWindower(10, 10, 0), items))).toEqual(members(place(tumblingWindower(10, 0), items)));
  });

  it("call an item late when the first window it belongs to closed before the watermark", () => {
    const windower = slidingWindower(10, 5, 0);
    // 7 is in [0, 10) and [5, 15): with the watermark at 10 both are open; past 10, [0, 10) closed.
    expect(windower.add(emptyList(), 7, 10, "x", recording())).toBe(true);
    expect(windower.add(emptyList(), 7, 10.5, "x", recording())).toBe(false);
  });

  it("match a window-by-window test of every item (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: -50, max: 50 }),
        fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 30 }),
        (length, offsetRaw, startAt, times) => {
          const offset = Math.min(offsetRaw, length);
          const windows = place(slidingWindower(length, offset, startAt), times.map((time, i) => [time, i] as const));
          // Every window [startAt + k * offset, + length) with k in a range wide enough for every item.
          const expected: [number, number, number[]][] = [];
          for (let k = -300; k <= 300; k++) {
            const start = startAt + k * offset;
            const inside = times.flatMap((time, i) => (start <= time && time < start + length ? [i] : []));
            if (inside.length > 0) expected.push([start, start + length, inside]);
          }
          expect(windows.map((w, i) => [w.start, w.end, members(windows)[i]])).toEqual(expected);
          expect(windows.every((w) => w.closeAt === w.end)).toBe(true);
        },
      ),
    );
  });
});

describe("session windows", () => {
  it("run from a session's first item to its last; a session closes gap after its last item", () => {
    const windows = place(sessionWindower(10), [[0, "a"], [5, "b"], [15, "c"], [40, "d"], [51, "e"]]);
    expect(bounds(windows)).toEqual([[0, 15, 25], [40, 40, 50], [51, 51, 61]]);
    expect(members(windows)).toEqual([["a", "b", "c"], ["d"], ["e"]]);
  });

  it("take an item that comes at most gap before a session's start (out of order)", () => {
    const windows = place(sessionWindower(10), [[20, "a"], [12, "b"]]);
    expect(bounds(windows)).toEqual([[12, 20, 30]]);
  });

  it("merge two sessions that an out-of-order item bridges: the later merges into the earlier", () => {
    const accumulator = recording();
    const windows = place(sessionWindower(10), [[0, "a"], [18, "b"], [9, "c"]], accumulator);
    expect(bounds(windows)).toEqual([[0, 18, 28]]);
    // 9 is within 10 of both [0, 0] and [18, 18]: it joins the older (made first: [0, 0]), which
    // then reaches [18, 18]; merge(earlier, later).
    expect(accumulator.merges).toEqual([[[[0, "a"], [9, "c"]], [[18, "b"]]]]);
    expect(members(windows)).toEqual([["a", "c", "b"]]);
  });

  it("give a bridging item to the session made first, whichever side it is on (as Bytewax 0.21)", () => {
    const accumulator = recording();
    // [18, 18] is made before [0, 0] here, so 9 joins it, and it then merges into [0, 0].
    const windows = place(sessionWindower(10), [[18, "b"], [0, "a"], [9, "c"]], accumulator);
    expect(accumulator.merges).toEqual([[[[0, "a"]], [[18, "b"], [9, "c"]]]]);
    expect(members(windows)).toEqual([["a", "b", "c"]]);
    expect(windows[0]!.id).toBe(1);
  });

  it("with gap 0 hold the items of one time", () => {
    const windows = place(sessionWindower(0), [[5, "a"], [5, "b"], [6, "c"]]);
    expect(bounds(windows)).toEqual([[5, 5, 5], [6, 6, 6]]);
  });

  it("call an item late when its time is behind the watermark", () => {
    const windower = sessionWindower(10);
    const list = emptyList();
    place(windower, [[20, "a"]], recording(), list);
    expect(windower.add(list, 20, 20, "at the watermark: on time", recording())).toBe(true);
    expect(windower.add(list, 19, 20, "behind it: late", recording())).toBe(false);
    expect(members(windowsOf(list))).toEqual([["a", "at the watermark: on time"]]);
  });

  it("are the runs of sorted times at most gap apart, whatever the order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 40 }), (gap, times) => {
        const windows = place(sessionWindower(gap), times.map((time, i) => [time, i] as const));
        const sorted = times.map((time, i) => [time, i] as const).sort((a, b) => a[0] - b[0]);
        const runs: (readonly [number, number])[][] = [];
        for (const entry of sorted) {
          const run = runs[runs.length - 1];
          if (run !== undefined && entry[0] - run[run.length - 1]![0] <= gap) run.push(entry);
          else runs.push([entry]);
        }
        expect(bounds(windows)).toEqual(runs.map((run) => [run[0]![0], run[run.length - 1]![0], run[run.length - 1]![0] + gap]));
        expect(members(windows).map((m) => [...(m as number[])].sort((a, b) => a - b))).toEqual(runs.map((run) => run.map(([, i]) => i).sort((a, b) => a - b)));
      }),
    );
  });
});
