/**
 * SlidingWindowConfig (Bytewax 0.21's SlidingWindower) on every clock and entry point: an item
 * counts in every window that contains it; a window closes once the watermark passes its end; an
 * item is late when the first of its windows closed before the watermark. Runs on a VirtualClock.
 */

import { describe, expect, it } from "vitest";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SlidingWindowConfig, SystemClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { arrivingAt, valuesOf } from "./arrivals.js";

const sum = (a: number, b: number) => a + b;

describe("SlidingWindowConfig", () => {
  it("keeps length, offset and startAt (a Date or epoch ms)", () => {
    const config = new SlidingWindowConfig(10_000, 2_500, { startAt: new Date(5000) });
    expect([config.type, config.length, config.offset, config.startAt]).toEqual(["sliding", 10_000, 2_500, 5000]);
    expect(new SlidingWindowConfig(10, 10).startAt).toBeUndefined();
  });

  it("refuses an offset longer than the length, and lengths that are not positive", () => {
    expect(() => new SlidingWindowConfig(10, 11)).toThrow(/`offset` \(11\) must not be greater than `length` \(10\)/);
    expect(() => new SlidingWindowConfig(0, 0)).toThrow(/`length` must be a number of milliseconds, greater than or equal to 1/);
    expect(() => new SlidingWindowConfig(10, 0)).toThrow(/`offset` must be a number of milliseconds/);
    expect(() => new SlidingWindowConfig(10, 5, { startAt: "soon" as never })).toThrow(/`startAt` must be a Date or epoch milliseconds/);
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`sliding windows (${entry.name})`, () => {
    it("testing clock: every item counts in each of the windows that contain it", async () => {
      const out: unknown[] = [];
      // Items 5 s apart from 0; 10 s windows every 5 s: [-5, 5) {1}, [0, 10) {1, 2}, [5, 15) {2, 3}, ...
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([1, 2, 3, 4, 5].map((n) => ["k", n])))
        .reduceWindow("sum", new TestingClockConfig(5000, 0), new SlidingWindowConfig(10_000, 5000, { startAt: 0 }), sum, { withWindow: true })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(valuesOf(out, "k")).toEqual([
        [-5000, 5000, 1],
        [0, 10_000, 3],
        [5000, 15_000, 5],
        [10_000, 20_000, 7],
        [15_000, 25_000, 9],
        [20_000, 30_000, 5],
      ]);
    });

    it("with offset equal to length gives what tumbling windows give", async () => {
      const items = [["a", 1], ["b", 2], ["a", 3], ["a", 4], ["b", 5], ["a", 6], ["b", 7]];
      const run = async (window: TumblingWindowConfig | SlidingWindowConfig) => {
        const out: unknown[] = [];
        await entry.run(
          new Dataflow()
            .input("inp", fromWorkerZero(items))
            .reduceWindow("sum", new TestingClockConfig(4000, 0), window, sum)
            .capture(new TestingOutputConfig(out)),
        );
        return sorted(out);
      };
      const tumbling = await run(new TumblingWindowConfig(10_000, { startAt: 0 }));
      expect(tumbling.length).toBeGreaterThan(2);
      expect(await run(new SlidingWindowConfig(10_000, 10_000, { startAt: 0 }))).toEqual(tumbling);
    });

    it("event clock: windows close as the watermark passes their end; an item whose first window closed is late", async () => {
      const out: unknown[] = [];
      // Times 3, 12, 6, 11, 1; 10 ms windows every 5 ms; wait 0. After 12 the watermark is 12:
      // [-5, 5) and [0, 10) close with 3. Then 6 is late ([0, 10) closed); 11 is not (its windows
      // [5, 15) and [10, 20) are open, though 11 is behind the watermark); 1 is late.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([3, 12, 6, 11, 1].map((t) => ["k", t])))
        .collectWindow("seen", new EventClockConfig((t: number) => t, 0), new SlidingWindowConfig(10, 5, { startAt: 0 }), { withWindow: true })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock: new VirtualClock(0) } });
      expect(valuesOf(out, "k")).toEqual([
        [-5, 5, [3]],
        [0, 10, [3]],
        [5, 15, [11, 12]],
        [10, 20, [11, 12]],
      ]);
    });

    it("system clock: windows close by time alone, each once the clock passes its end", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      // 1 s windows every 500 ms: 100 is in [-500, 500) and [0, 1000); 700 in [0, 1000) and [500, 1500); 1300 in [500, 1500) and [1000, 2000).
      // An item of another key at 2600 keeps the input open until then.
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[100, ["k", 1]], [700, ["k", 10]], [1300, ["k", 100]], [2600, ["z", 0]]]))
        .reduceWindow("sum", new SystemClockConfig(), new SlidingWindowConfig(1000, 500, { startAt: 0 }), sum, { withWindow: true })
        .inspect((item) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig([]));
      await entry.run(flow, { host: { clock } });
      const ofK = seen.filter(([, item]) => (item as [string])[0] === "k");
      expect(ofK.map(([, item]) => item)).toEqual([
        ["k", [-500, 500, 1]],
        ["k", [0, 1000, 11]],
        ["k", [500, 1500, 110]],
        ["k", [1000, 2000, 100]],
      ]);
      const when = ofK.map(([time]) => time);
      // [-500, 500) closes after 500 and before the item of 700 arrives; [0, 1000) after 1000, before
      // 1300; the last two after 1500 and 2000, before the item of 2600.
      expect(when[0]).toBeGreaterThan(500);
      expect(when[0]).toBeLessThan(700);
      expect(when[1]).toBeGreaterThan(1000);
      expect(when[1]).toBeLessThan(1300);
      expect(when[2]).toBeGreaterThan(1500);
      expect(when[3]).toBeGreaterThan(2000);
      expect(when[3]).toBeLessThan(2600);
    });
  });
}
