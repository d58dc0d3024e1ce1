/**
 * Tumbling windows and the window aggregation of `reduceWindow` / `foldWindow` (Bytewax 0.11,
 * section 1.7). Item times come from an EventClockConfig whose dtGetter returns the value itself,
 * run on a VirtualClock: system time does not move while items flow, so the watermark of a key is
 * exactly its latest event time minus `wait`. A huge `wait` keeps every window open until end of input.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, entryPointFor, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { valuesOf } from "./arrivals.js";

/** Never closes a window before end of input (on a clock that does not move while items flow). */
const NEVER = 1e12;

const eventTimeIsValue = (wait: number) => new EventClockConfig((t: number) => t, wait);

/** Collects each window's values in arrival order. */
function collecting(items: readonly unknown[], clock: EventClockConfig | TestingClockConfig, window: TumblingWindowConfig, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("inp", fromWorkerZero(items))
    .foldWindow("collect", clock, window, () => [] as number[], (acc: number[], value: number) => [...acc, value])
    .capture(new TestingOutputConfig(out));
}

describe("TumblingWindowConfig", () => {
  it("rejects a length below 1 ms", () => {
    expect(() => new TumblingWindowConfig(0)).toThrow();
    expect(() => new TumblingWindowConfig(-10)).toThrow();
  });

  it("accepts a length of 1 ms or more and a Date or epoch-ms startAt", () => {
    expect(new TumblingWindowConfig(1).length).toBe(1);
    const config = new TumblingWindowConfig(10_000, { startAt: new Date("2022-01-01T00:00:00Z") });
    expect(config.length).toBe(10_000);
    expect(config.startAt).toBe(Date.UTC(2022, 0, 1));
    expect(new TumblingWindowConfig(5, { startAt: 42 }).startAt).toBe(42);
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`tumbling windows (${entry.name})`, () => {
    it("assigns an item at time t to window trunc((t - startAt) / length)", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 1000 });
      const items = [1000, 1009, 1010, 1019, 1020, 1055].map((t) => ["k", t]);
      await entry.run(collecting(items, eventTimeIsValue(NEVER), window, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", [1000, 1009]], ["k", [1010, 1019]], ["k", [1020]], ["k", [1055]]]));
    });

    it("puts times in (startAt - length, startAt) into window 0 (integer division truncates toward zero)", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 1000 });
      // 991..999 -> trunc(-0.9..-0.1) = 0; 990 -> -1 exactly; 985 -> trunc(-1.5) = -1.
      const items = [991, 999, 1005, 990, 985].map((t) => ["k", t]);
      await entry.run(collecting(items, eventTimeIsValue(NEVER), window, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", [991, 999, 1005]], ["k", [990, 985]]]));
    });

    it("gives window 0 the close time startAt + length, also for its items from before startAt", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 1000 });
      // Watermark = latest event (wait 0). 995 opens window 0 (close 1010). 1010 opens window 1; the
      // watermark 1010 is not past 1010, so 1003 still joins window 0. 1011 closes it; 1004 is late.
      const items = [995, 1010, 1003, 1011, 1004].map((t) => ["k", t]);
      await entry.run(collecting(items, eventTimeIsValue(0), window, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", [995, 1003]], ["k", [1010, 1011]]]));
    });

    it("keeps a window open while the watermark equals its close time", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 0 });
      // After 10 the watermark is 10: window 0 (close 10) is not closed, so 5 is not late.
      await entry.run(collecting([["k", 0], ["k", 10], ["k", 5]], eventTimeIsValue(0), window, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", [0, 5]], ["k", [10]]]));
    });

    it("drops an item whose window closed once the watermark is strictly past its close time", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 0 });
      // After 11 the watermark is 11 > 10: window 0 closes with [0], and 5 is late.
      await entry.run(collecting([["k", 0], ["k", 11], ["k", 5]], eventTimeIsValue(0), window, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", [0]], ["k", [11]]]));
    });

    it("closes every open window of every key at end of input", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 0 });
      const items = [["a", 1], ["b", 2], ["a", 15], ["c", 33], ["b", 27], ["a", 99]];
      await entry.run(collecting(items, eventTimeIsValue(NEVER), window, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["a", [1]], ["a", [15]], ["a", [99]], ["b", [2]], ["b", [27]], ["c", [33]]]));
    });

    it("closes a key's windows oldest first at end of input, whatever order they opened in", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 0 });
      const items = [["a", 25], ["b", 31], ["a", 5], ["b", 1], ["a", 35], ["b", 12], ["a", 15]];
      await entry.run(collecting(items, eventTimeIsValue(NEVER), window, out), { host: { clock: new VirtualClock(0) } });
      expect(valuesOf(out, "a")).toEqual([[5], [15], [25], [35]]);
      expect(valuesOf(out, "b")).toEqual([[1], [12], [31]]);
    });

    it("closes several windows of a key oldest first when one item's watermark passes them all", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10, { startAt: 0 });
      // wait 30: 25, 5 and 15 are not late (watermark -5); 100 gives watermark 70, past closes 10, 20, 30.
      const items = [["a", 25], ["a", 5], ["a", 15], ["b", 5], ["a", 100]];
      await entry.run(collecting(items, eventTimeIsValue(30), window, out), { host: { clock: new VirtualClock(0) } });
      expect(valuesOf(out, "a")).toEqual([[5], [15], [25], [100]]);
      expect(valuesOf(out, "b")).toEqual([[5]]);
    });

    it("starts window 0 at the dataflow's start time when startAt is not given", async () => {
      const out: unknown[] = [];
      const window = new TumblingWindowConfig(10);
      // The run starts at virtual time 1005: windows [1005,1015), [1015,1025).
      const items = [1005, 1014, 1015, 1024].map((t) => ["k", t]);
      await entry.run(collecting(items, eventTimeIsValue(NEVER), window, out), { host: { clock: new VirtualClock(1005) } });
      expect(sorted(out)).toEqual(sorted([["k", [1005, 1014]], ["k", [1015, 1024]]]));
    });
  });

  describe(`reduceWindow and foldWindow (${entry.name})`, () => {
    it("starts a window's accumulator with its first value without calling the reducer", async () => {
      const calls: [number, number][] = [];
      const out: unknown[] = [];
      // TestingClockConfig(0, 0): every item has time 0, so each key has one window.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["a", 1], ["b", 10], ["a", 2], ["a", 3]]))
        .reduceWindow("sum", new TestingClockConfig(0, 0), new TumblingWindowConfig(1000, { startAt: 0 }), (acc: number, value: number) => {
          calls.push([acc, value]);
          return acc + value;
        })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(sorted(out)).toEqual(sorted([["a", 6], ["b", 10]]));
      // Only the 2nd and 3rd values of "a" needed the reducer; "b"'s only value never did.
      expect(calls).toEqual([[1, 2], [3, 3]]);
    });

    it("starts each window of a key afresh", async () => {
      const out: unknown[] = [];
      // TestingClockConfig(5, 0) and windows of 10: a key's items 1-2 are in window 0, 3-4 in window 1.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["a", 1], ["a", 2], ["a", 4], ["a", 8]]))
        .reduceWindow("sum", new TestingClockConfig(5, 0), new TumblingWindowConfig(10, { startAt: 0 }), (acc: number, value: number) => acc + value)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(out).toEqual([["a", 3], ["a", 12]]);
    });

    it("calls foldWindow's builder with no arguments at a window's first value, then the folder for every value", async () => {
      const builderArgCounts: number[] = [];
      const folderCalls: [string, unknown[], number][] = [];
      const out: unknown[] = [];
      // TestingClockConfig(5, 0), windows of 10: "a" has times 0, 5 (window 0) and 10 (window 1); "b" has 0.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["a", 1], ["a", 2], ["b", 3], ["a", 4]]))
        .foldWindow(
          "collect",
          new TestingClockConfig(5, 0),
          new TumblingWindowConfig(10, { startAt: 0 }),
          function () {
            // eslint-disable-next-line prefer-rest-params
            builderArgCounts.push(arguments.length);
            return [] as number[];
          },
          (acc: number[], value: number) => {
            folderCalls.push([value === 3 ? "b" : "a", [...acc], value]);
            return [...acc, value];
          },
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(sorted(out)).toEqual(sorted([["a", [1, 2]], ["a", [4]], ["b", [3]]]));
      // One builder call per window, each with no arguments.
      expect(builderArgCounts).toEqual([0, 0, 0]);
      // The folder saw every value, the first of each window with the builder's fresh accumulator.
      expect(folderCalls.filter(([k]) => k === "a").map(([, acc, v]) => [acc, v])).toEqual([[[], 1], [[1], 2], [[], 4]]);
      expect(folderCalls.filter(([k]) => k === "b").map(([, acc, v]) => [acc, v])).toEqual([[[], 3]]);
    });
  });
}

describe("tumbling windows under testing epochs (runMain)", () => {
  const entry = entryPointFor(1);

  it("closes a window only when the watermark is strictly greater than its close time", async () => {
    const out: unknown[] = [];
    const flow = new Dataflow()
      .input("inp", fromWorkerZero([["k", 0], ["k", 10], ["k", 11]]))
      .reduceWindow("sum", eventTimeIsValue(0), new TumblingWindowConfig(10, { startAt: 0 }), (a: number, b: number) => a + b)
      .capture(new TestingEpochOutputConfig(out));
    await entry.run(flow, { epochConfig: new TestingEpochConfig(), host: { clock: new VirtualClock(0) } });
    // Item n is in epoch n. Event 10 (epoch 1) brings the watermark to 10 = window 0's close time:
    // nothing closes. Event 11 (epoch 2) brings it to 11 > 10: window 0 ([0]) closes in epoch 2.
    // Window 1 ([10, 11]) closes at end of input, in an epoch no earlier than the last item's.
    expect(out[0]).toEqual([2, ["k", 0]]);
    expect(out).toHaveLength(2);
    const [eofEpoch, eofItem] = out[1] as [number, unknown];
    expect(eofItem).toEqual(["k", 21]);
    expect(eofEpoch).toBeGreaterThanOrEqual(2);
  });
});
