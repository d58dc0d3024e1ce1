/**
 * SessionWindowConfig (Bytewax 0.21's SessionWindower) on every clock and entry point: a key's
 * session holds its items at most `gap` apart in clock time, runs from the first item's time to the
 * last's, and closes once the watermark is more than `gap` past its last item (or at end of input);
 * an out-of-order item that bridges two sessions merges them (`merger(earlier, later)` for
 * `foldWindow`, the reducer for `reduceWindow`). Runs on a VirtualClock.
 */

import { describe, expect, it } from "vitest";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SessionWindowConfig, SystemClockConfig, TestingClockConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { arrivingAt, valuesOf } from "./arrivals.js";

const sum = (a: number, b: number) => a + b;
/** Values that carry their event time: `{ t, v }`. */
const at = (key: string, t: number, v: number) => [key, { t, v }] as const;
const eventTime = (wait: number) => new EventClockConfig((value: { t: number }) => value.t, wait);

describe("SessionWindowConfig", () => {
  it("keeps its gap, which may be 0 but not negative", () => {
    expect([new SessionWindowConfig(30_000).type, new SessionWindowConfig(30_000).gap]).toEqual(["session", 30_000]);
    expect(new SessionWindowConfig(0).gap).toBe(0);
    expect(() => new SessionWindowConfig(-1)).toThrow(/`gap` must be a number of milliseconds, not negative/);
  });

  it("needs a merger for foldWindow, and nothing more for the other window steps", () => {
    const flow = new Dataflow().input("inp", fromWorkerZero([]));
    expect(() => flow.foldWindow("f", new SystemClockConfig(), new SessionWindowConfig(10), () => 0, sum)).toThrow(
      /foldWindow: `merger` must be a function with session windows/,
    );
    expect(() => flow.foldWindow("f", new SystemClockConfig(), new SessionWindowConfig(10), () => 0, sum, "a + b" as never)).toThrow(/`merger` must be a function/);
    expect(() => flow.foldWindow("f", new SystemClockConfig(), new SessionWindowConfig(10), () => 0, sum, sum)).not.toThrow();
    expect(() => flow.reduceWindow("r", new SystemClockConfig(), new SessionWindowConfig(10), sum)).not.toThrow();
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`session windows (${entry.name})`, () => {
    it("testing clock: items closer than the gap make one session, which closes at end of input", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["a", 1], ["b", 10], ["a", 2], ["a", 3], ["b", 20]]))
        .reduceWindow("sum", new TestingClockConfig(1000, 0), new SessionWindowConfig(1500), sum, { withWindow: true })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      // Each key's clock: 0, 1000, 2000, ... (a testing clock moves only with the key's own items).
      expect(sorted(out)).toEqual(sorted([["a", [0, 2000, 6]], ["b", [0, 1000, 30]]]));
    });

    it("testing clock: items further apart than the gap each close their own session", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["a", 1], ["a", 2], ["a", 3]]))
        .collectWindow("each", new TestingClockConfig(2000, 0), new SessionWindowConfig(1500), { withWindow: true })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(valuesOf(out, "a")).toEqual([[0, 0, [1]], [2000, 2000, [2]], [4000, 4000, [3]]]);
    });

    it("event clock: a session ends where items are more than the gap apart; keys have sessions of their own", async () => {
      const out: unknown[] = [];
      const items = [at("u", 0, 1), at("w", 3, 100), at("u", 5, 2), at("u", 15, 4), at("u", 30, 8), at("w", 20, 200)];
      const flow = new Dataflow()
        .input("inp", fromWorkerZero(items))
        .foldWindow("visits", eventTime(0), new SessionWindowConfig(10), () => 0, (acc: number, value: { v: number }) => acc + value.v, sum, { withWindow: true })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock: new VirtualClock(0) } });
      expect(valuesOf(out, "u")).toEqual([[0, 15, 7], [30, 30, 8]]);
      expect(valuesOf(out, "w")).toEqual([[3, 3, 100], [20, 20, 200]]);
    });

    it("event clock: an out-of-order item that bridges two sessions merges them (merger(earlier, later))", async () => {
      const out: unknown[] = [];
      const merges: unknown[] = [];
      // Wait 20: after 18 the watermark is -2, so 9 is on time; it is within 10 of [0, 0] and of
      // [18, 18], joins the older ([0, 0]), and [18, 18] merges into it.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([at("u", 0, 1), at("u", 18, 2), at("u", 9, 4)]))
        .foldWindow(
          "visits",
          eventTime(20),
          new SessionWindowConfig(10),
          () => [] as number[],
          (acc: number[], value: { v: number }) => [...acc, value.v],
          (earlier: number[], later: number[]) => {
            merges.push([earlier, later]);
            return [...earlier, ...later];
          },
          { withWindow: true },
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock: new VirtualClock(0) } });
      expect(merges).toEqual([[[1, 4], [2]]]);
      expect(out).toEqual([["u", [0, 18, [1, 4, 2]]]]);
    });

    it("event clock: reduceWindow merges with its reducer, collectWindow in time order, countWindow by adding", async () => {
      const items = [at("u", 0, 1), at("u", 18, 2), at("u", 9, 4), at("u", 40, 8)];
      const run = async (add: (flow: Dataflow) => Dataflow) => {
        const out: unknown[] = [];
        await entry.run(add(new Dataflow().input("inp", fromWorkerZero(items))).capture(new TestingOutputConfig(out)), { host: { clock: new VirtualClock(0) } });
        return out;
      };
      const window = new SessionWindowConfig(10);
      expect(await run((flow) => flow.map(([key, value]: [string, { v: number }]) => [key, value.v]).reduceWindow("r", new TestingClockConfig(0, 0), window, sum))).toEqual([["u", 15]]);
      expect(await run((flow) => flow.reduceWindow("r", eventTime(20), window, (a: { t: number; v: number }, b: { t: number; v: number }) => ({ t: a.t, v: a.v + b.v })))).toEqual([
        ["u", { t: 0, v: 7 }],
        ["u", { t: 40, v: 8 }],
      ]);
      expect(await run((flow) => flow.collectWindow("c", eventTime(20), window))).toEqual([
        ["u", [{ t: 0, v: 1 }, { t: 9, v: 4 }, { t: 18, v: 2 }]],
        ["u", [{ t: 40, v: 8 }]],
      ]);
      expect(await run((flow) => flow.countWindow("n", eventTime(20), window, { withWindow: true }))).toEqual([
        ["u", [0, 18, 3]],
        ["u", [40, 40, 1]],
      ]);
    });

    it("event clock: with no wait, a session closes before the out-of-order item comes, which is late", async () => {
      const out: unknown[] = [];
      // After 18 the watermark is 18 > 0 + 10: [0, 0] closes; 9 is behind the watermark: late.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([at("u", 0, 1), at("u", 18, 2), at("u", 9, 4)]))
        .countWindow("n", eventTime(0), new SessionWindowConfig(10), { withWindow: true })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock: new VirtualClock(0) } });
      expect(out).toEqual([["u", [0, 0, 1]], ["u", [18, 18, 1]]]);
    });

    it("system clock: a session closes once the clock is more than the gap past its last item, before end of input", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[100, ["k", 1]], [300, ["k", 2]], [1500, ["k", 4]], [1700, ["k", 8]], [3000, ["z", 0]]]))
        .reduceWindow("sum", new SystemClockConfig(), new SessionWindowConfig(500), sum, { withWindow: true })
        .inspect((item) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig([]));
      await entry.run(flow, { host: { clock } });
      const ofK = seen.filter(([, item]) => (item as [string])[0] === "k");
      expect(ofK.map(([, item]) => (item as [string, [number, number, number]])[1][2])).toEqual([3, 12]);
      for (const [when, item] of ofK) {
        const [start, end] = (item as [string, [number, number, number]])[1];
        // The window runs from the session's first item's system time to its last's ...
        expect(end - start).toBeGreaterThanOrEqual(150);
        expect(end - start).toBeLessThanOrEqual(250);
        // ... and closes after end + gap, by time alone (long before the next item, at 1500 or 3000).
        expect(when).toBeGreaterThan(end + 500);
        expect(when).toBeLessThan(end + 600);
      }
    });
  });
}
