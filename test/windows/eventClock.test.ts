/**
 * EventClockConfig (Bytewax 0.12, reference section 5 item 1): item time = dtGetter(value), a Date
 * or epoch ms. Per key: latest = the greatest event time seen, seenAt = the system time it was seen;
 * watermark = latest - wait + (now - seenAt), updated with the item itself before the lateness
 * check. An item whose window closes before the watermark is late and dropped silently.
 * Runs use a VirtualClock, so system time moves only while the engine is idle.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, entryPointFor, fromWorkerZero, rejectionOf, sorted } from "../helpers/entryPoints.js";
import { arrivingAt } from "./arrivals.js";

const sum = (a: number, b: number) => a + b;
const eventTimeIsValue = (wait: number) => new EventClockConfig((t: number) => t, wait);

function summing(items: readonly unknown[], clock: EventClockConfig, length: number, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("inp", fromWorkerZero(items))
    .reduceWindow("win", clock, new TumblingWindowConfig(length, { startAt: 0 }), sum)
    .capture(new TestingOutputConfig(out));
}

describe("EventClockConfig", () => {
  it("rejects a dtGetter that is not a function", () => {
    expect(() => new EventClockConfig(5 as any, 0)).toThrow();
  });

  it("keeps dtGetter and waitForSystemDuration", () => {
    const getter = (v: { at: Date }) => v.at;
    const config = new EventClockConfig(getter, 250);
    expect(config.dtGetter).toBe(getter);
    expect(config.waitForSystemDuration).toBe(250);
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`event clock (${entry.name})`, () => {
    it("drops an item whose window closed before the watermark", async () => {
      const out: unknown[] = [];
      // wait 0: after 15 the watermark is 15 > 10, so window 0 closes with 5; then 3 (close 10 < 15) is late.
      await entry.run(summing([["k", 5], ["k", 15], ["k", 3]], eventTimeIsValue(0), 10, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", 5], ["k", 15]]));
    });

    it("holds the watermark back by waitForSystemDuration", async () => {
      const out: unknown[] = [];
      // wait 20: after 15 the watermark is -5, so window 0 is open and 3 joins it.
      await entry.run(summing([["k", 5], ["k", 15], ["k", 3]], eventTimeIsValue(20), 10, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["k", 8], ["k", 15]]));
    });

    it("drops late items silently and leaves other keys' windows alone", async () => {
      const out: unknown[] = [];
      // "a" reaches watermark 15 and drops its 3; "b"'s watermark is its own (4), so its 3 is on time.
      const items = [["a", 5], ["a", 15], ["b", 3], ["a", 3], ["a", 1], ["b", 4]];
      await entry.run(summing(items, eventTimeIsValue(0), 10, out), { host: { clock: new VirtualClock(0) } });
      expect(sorted(out)).toEqual(sorted([["a", 5], ["a", 15], ["b", 7]]));
    });

    it("accepts a dtGetter that returns a Date", async () => {
      const out: unknown[] = [];
      const base = Date.UTC(2022, 0, 1);
      const at = (s: number) => ({ at: new Date(base + s * 1000), n: s });
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["k", at(1)], ["k", at(4)], ["k", at(12)], ["k", at(2)], ["k", at(25)]]))
        .foldWindow(
          "win",
          new EventClockConfig((v: { at: Date }) => v.at, 0),
          new TumblingWindowConfig(10_000, { startAt: new Date(base) }),
          () => [] as number[],
          (acc: number[], v: { n: number }) => [...acc, v.n],
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock: new VirtualClock(0) } });
      // 12 s closes window 0 ([1, 4]); 2 s is then late; 25 s closes window 1 ([12]).
      expect(sorted(out)).toEqual(sorted([["k", [1, 4]], ["k", [12]], ["k", [25]]]));
    });

    it("closes a window by system time alone once latest - wait + elapsed passes its close time", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      const out: unknown[] = [];
      // "a": event 500 seen at system time 0, wait 100: watermark = 400 + now, past 1000 once now > 600.
      // Nothing else arrives for "a"; "b" arrives at 5000 and keeps the input open until then.
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[0, ["a", 500]], [5000, ["b", 2500]]]))
        .reduceWindow("win", eventTimeIsValue(100), new TumblingWindowConfig(1000, { startAt: 0 }), sum)
        .inspect((item) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock } });
      expect(sorted(out)).toEqual(sorted([["a", 500], ["b", 2500]]));
      const aClosedAt = seen.find(([, item]) => (item as [string, number])[0] === "a")?.[0];
      expect(aClosedAt).toBeGreaterThan(600);
      expect(aClosedAt).toBeLessThan(5000);
    });

    it("counts system time elapsed since the latest event, so an old event arriving later is late", async () => {
      const clock = new VirtualClock(0);
      const out: unknown[] = [];
      // Event 500 seen at 0 (wait 0). At system time 800 the watermark is 500 + 800 = 1300, so event
      // 150 (window 0, close 1000) is late; without the elapsed time the watermark would be 500 and
      // 150 would have reopened window 0.
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[0, ["a", 500]], [800, ["a", 150]], [900, ["b", 150]]]))
        .reduceWindow("win", eventTimeIsValue(0), new TumblingWindowConfig(1000, { startAt: 0 }), sum)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { host: { clock } });
      // "b" first appears at 900: its watermark is its own event 150, so its item is on time.
      expect(sorted(out)).toEqual(sorted([["a", 500], ["b", 150]]));
    });

    it.each([
      ["a string", () => "oops"],
      ["NaN", () => Number.NaN],
      ["an invalid Date", () => new Date(Number.NaN)],
      ["undefined", () => undefined],
    ])("fails the run with a TypeError naming the step when dtGetter returns %s", async (_what, getter) => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["k", 1]]))
        .reduceWindow("event_win", new EventClockConfig(getter as () => number, 0), new TumblingWindowConfig(10, { startAt: 0 }), sum)
        .capture(new TestingOutputConfig(out));
      const error = entry.original(await rejectionOf(entry.run(flow, { host: { clock: new VirtualClock(0) } })));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain("event_win");
      expect((error as Error).message).toContain("dtGetter");
      expect(out).toEqual([]);
    });
  });
}

describe("event clock under testing epochs (runMain)", () => {
  const entry = entryPointFor(1);

  it("updates the watermark with an item before closing windows, so it closes older windows in its own epoch", async () => {
    const out: unknown[] = [];
    const flow = new Dataflow()
      .input("inp", fromWorkerZero([["k", 5], ["k", 7], ["k", 15], ["k", 3]]))
      .reduceWindow("win", eventTimeIsValue(0), new TumblingWindowConfig(10, { startAt: 0 }), sum)
      .capture(new TestingEpochOutputConfig(out));
    await entry.run(flow, { epochConfig: new TestingEpochConfig(), host: { clock: new VirtualClock(0) } });
    // Item n is in epoch n. Event 15 (epoch 2) raises the watermark to 15 > 10, which closes window 0
    // (5 + 7) in epoch 2. Event 3 (epoch 3) is late. Window 1 (15) closes at end of input.
    expect(out[0]).toEqual([2, ["k", 12]]);
    expect(out).toHaveLength(2);
    const [eofEpoch, eofItem] = out[1] as [number, unknown];
    expect(eofItem).toEqual(["k", 15]);
    expect(eofEpoch).toBeGreaterThanOrEqual(3);
  });
});
