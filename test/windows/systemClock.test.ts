/**
 * SystemClockConfig (Bytewax 0.11, section 1.7): item time = watermark = the system time when the
 * item is processed. Run on a VirtualClock, which jumps to the engine's next deadline (a window
 * wake-up or an input retry) whenever the engine is idle. Items are read up to ~32 ms after their
 * planned arrival (input polling back-off), so planned times stay >= 100 ms from window boundaries.
 */

import { describe, expect, it } from "vitest";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { SystemClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, sorted } from "../helpers/entryPoints.js";
import { arrivingAt } from "./arrivals.js";

const sum = (a: number, b: number) => a + b;

for (const entry of ENTRY_POINTS) {
  describe(`system clock (${entry.name})`, () => {
    it("puts each item in the window of the system time at which it is processed", async () => {
      const clock = new VirtualClock(0);
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[0, ["k", 1]], [500, ["k", 10]], [1500, ["k", 100]], [3200, ["k", 1000]]]))
        .reduceWindow("sum", new SystemClockConfig(), new TumblingWindowConfig(1000, { startAt: 0 }), sum)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock } });
      // [0,1000): 1 + 10; [1000,2000): 100; [3000,4000): 1000.
      expect(sorted(out)).toEqual(sorted([["k", 11], ["k", 100], ["k", 1000]]));
    });

    it("closes a window once system time passes its close time, before end of input", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[0, ["k", 1]], [500, ["k", 10]], [1500, ["k", 100]], [3200, ["k", 1000]]]))
        .reduceWindow("sum", new SystemClockConfig(), new TumblingWindowConfig(1000, { startAt: 0 }), sum)
        .inspect((item) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock } });
      const when = (item: unknown) => seen.find(([, i]) => JSON.stringify(i) === JSON.stringify(item))?.[0];
      // [0,1000) closes strictly after 1000, by time alone: before the item planned at 1500 arrives.
      expect(when(["k", 11])).toBeGreaterThan(1000);
      expect(when(["k", 11])).toBeLessThan(1500);
      // [1000,2000) closes after 2000 and before the last item (3200) arrives.
      expect(when(["k", 100])).toBeGreaterThan(2000);
      expect(when(["k", 100])).toBeLessThan(3200);
      expect(when(["k", 1000])).toBeGreaterThanOrEqual(3200);
    });

    it("closes windows of keys on every worker by time alone", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      const keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [...keys.map((k, i) => [100 + i, [k, 1]] as const), [2500, ["z", 1]]]))
        .reduceWindow("sum", new SystemClockConfig(), new TumblingWindowConfig(1000, { startAt: 0 }), sum)
        .inspect((item) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig([]));
      await entry.run(flow, { host: { clock } });
      for (const key of keys) {
        const at = seen.find(([, item]) => (item as [string, number])[0] === key)?.[0];
        expect(at).toBeGreaterThan(1000);
        expect(at).toBeLessThan(2500);
      }
    });

    it("starts window 0 at the dataflow's start time when startAt is not given", async () => {
      const clock = new VirtualClock(250);
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[250, ["k", 1]], [1100, ["k", 10]], [1400, ["k", 100]]]))
        .reduceWindow("sum", new SystemClockConfig(), new TumblingWindowConfig(1000), sum)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock } });
      // Windows [250,1250) and [1250,2250); from 0 they would be [0,1000) and [1000,2000).
      expect(sorted(out)).toEqual(sorted([["k", 11], ["k", 100]]));
    });
  });
}
