/**
 * TestingClockConfig (Bytewax 0.11, section 1.7): simulated time, PER KEY. For each item of a key:
 * watermark = the key's current time, item time = current time, then current time += itemIncr;
 * then the key's windows with close time < the key's new current time close, in the epoch of the
 * item (Bytewax 0.11.2 wakes the key right after the item). It never moves with system time.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, entryPointFor, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { arrivingAt } from "./arrivals.js";

const START = new Date("2022-01-01T00:00:00Z");
const SECOND = 1000;

describe("TestingClockConfig", () => {
  it("rejects a negative itemIncr", () => {
    expect(() => new TestingClockConfig(-1, 0)).toThrow();
  });

  it("keeps itemIncr and startAt (a Date becomes epoch milliseconds)", () => {
    const config = new TestingClockConfig(4 * SECOND, START);
    expect(config.itemIncr).toBe(4000);
    expect(config.startAt).toBe(START.getTime());
    expect(new TestingClockConfig(0, 7).itemIncr).toBe(0);
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`testing clock (${entry.name})`, () => {
    it("sums five items 4 s apart into 10 s windows as [3, 2] (Bytewax's test_tumbling_window)", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(Array.from({ length: 5 }, () => ["ALL", 1])))
        .reduceWindow("sum", new TestingClockConfig(4 * SECOND, START), new TumblingWindowConfig(10 * SECOND, { startAt: START }), (a: number, b: number) => a + b)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      // Times 0, 4, 8 s -> window 0; 12, 16 s -> window 1.
      expect(sorted(out)).toEqual(sorted([["ALL", 3], ["ALL", 2]]));
    });

    it("keeps a separate clock per key: interleaved keys get the same windows as each key alone", async () => {
      const a = [1, 2, 3, 4, 5].map((v) => ["a", v]);
      const b = [10, 20, 30, 40, 50, 60, 70].map((v) => ["b", v]);
      const interleaved = [a[0], b[0], b[1], a[1], b[2], a[2], b[3], b[4], a[3], b[5], a[4], b[6]];
      const run = async (items: unknown[]) => {
        const out: unknown[] = [];
        const flow = new Dataflow()
          .input("inp", fromWorkerZero(items))
          .reduceWindow("sum", new TestingClockConfig(4 * SECOND, START), new TumblingWindowConfig(10 * SECOND, { startAt: START }), (x: number, y: number) => x + y)
          .capture(new TestingOutputConfig(out));
        await entry.run(flow, { epochConfig: new TestingEpochConfig() });
        return out;
      };
      const together = await run(interleaved);
      const alone = [...(await run(a)), ...(await run(b))];
      // Each key: times 0, 4, 8 s -> window 0; 12, 16 s -> window 1; 20, 24 s -> window 2.
      expect(sorted(alone)).toEqual(sorted([["a", 6], ["a", 9], ["b", 60], ["b", 90], ["b", 130]]));
      expect(sorted(together)).toEqual(sorted(alone));
    });

    it("starts every key's clock at startAt, however late the key first appears", async () => {
      const out: unknown[] = [];
      const items = [...Array.from({ length: 6 }, () => ["early", 1]), ["late", 1]];
      const flow = new Dataflow()
        .input("inp", fromWorkerZero(items))
        .reduceWindow("sum", new TestingClockConfig(4 * SECOND, START), new TumblingWindowConfig(10 * SECOND, { startAt: START }), (x: number, y: number) => x + y)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      // "early": 0, 4, 8 | 12, 16 | 20. "late" has time 0 in window 0, not 24 s.
      expect(sorted(out)).toEqual(sorted([["early", 3], ["early", 2], ["early", 1], ["late", 1]]));
    });

    it("never moves with system time: no window closes while the input waits", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      const out: unknown[] = [];
      // Items arrive 20 s of system time apart; their simulated times are 0, 4 and 8 s: all window 0.
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[0, ["k", 1]], [20_000, ["k", 2]], [40_000, ["k", 3]]]))
        .reduceWindow("sum", new TestingClockConfig(4 * SECOND, 0), new TumblingWindowConfig(10 * SECOND, { startAt: 0 }), (x: number, y: number) => x + y)
        .inspect((item) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock } });
      expect(out).toEqual([["k", 6]]);
      // The window closed only at end of input, after the last item arrived.
      expect(seen).toHaveLength(1);
      expect(seen[0]![0]).toBeGreaterThanOrEqual(40_000);
    });
  });
}

describe("testing clock under testing epochs (runMain)", () => {
  const entry = entryPointFor(1);
  const window = new TumblingWindowConfig(10 * SECOND, { startAt: START });
  const clock = new TestingClockConfig(4 * SECOND, START);

  it("emits a window in the epoch of the item that moves its key's time past its close time (as Bytewax 0.11.2)", async () => {
    const out: unknown[] = [];
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig(Array.from({ length: 8 }, () => ["ALL", 1])))
      .reduceWindow("sum", clock, window, (a: number, b: number) => a + b)
      .capture(new TestingEpochOutputConfig(out));
    await entry.run(flow, { epochConfig: new TestingEpochConfig() });
    // One worker, testing epochs: item n is in epoch n, has time 4n s, and leaves its key at 4n + 4 s.
    //   epoch:       0  1  2   3   4   5   6   7
    //   time after:  4  8  12  16  20  24  28  32
    // Window 0 [0,10) closes after item 2 (12 s > 10 s): epoch 2, sum 3. Window 1 [10,20) holds
    // items 3, 4; 20 s does not pass its close, 24 s (item 5) does: epoch 5, sum 2. Window 2 holds
    // items 5-7 and closes at end of input. Bytewax 0.11.2 emits exactly
    // [(2, ('ALL', 3)), (5, ('ALL', 2)), (7, ('ALL', 3))].
    expect(out.slice(0, 2)).toEqual([[2, ["ALL", 3]], [5, ["ALL", 2]]]);
    expect(out).toHaveLength(3);
    const [eofEpoch, eofItem] = out[2] as [number, unknown];
    expect(eofItem).toEqual(["ALL", 3]);
    expect(eofEpoch).toBeGreaterThanOrEqual(7);
  });

  it("advances each key's clock only with that key's items", async () => {
    const out: unknown[] = [];
    // Alternating keys: "a" is at epochs 0, 2, 4, 6, 8 and "b" at 1, 3, 5, 7, 9.
    const items = Array.from({ length: 10 }, (_, i) => [i % 2 === 0 ? "a" : "b", 1]);
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig(items))
      .reduceWindow("sum", clock, window, (a: number, b: number) => a + b)
      .capture(new TestingEpochOutputConfig(out));
    await entry.run(flow, { epochConfig: new TestingEpochConfig() });
    // Each key's 3rd item leaves its time at 12 s > 10 s and closes its window 0: "a"'s is epoch 4,
    // "b"'s is epoch 5 (Bytewax 0.11.2: (4, ('a', 3)), (5, ('b', 3))). A shared clock would have
    // reached 12 s at epoch 2 instead.
    expect(out.slice(0, 2)).toEqual([[4, ["a", 3]], [5, ["b", 3]]]);
    expect(out).toHaveLength(4);
    const rest = out.slice(2) as [number, unknown][];
    expect(sorted(rest.map(([, item]) => item))).toEqual([["a", 2], ["b", 2]]);
    for (const [epoch] of rest) expect(epoch).toBeGreaterThanOrEqual(9);
  });
});
