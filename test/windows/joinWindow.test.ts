/**
 * `join_window` on each clock, across entry points: windows open, close and drop late items as
 * `reduce_window`'s do (an item whose window closed before the watermark is late), and inside a
 * window the join follows the insert and emit modes. Out-of-order event times (late items) are
 * checked against the model (joinWindowReference.ts); the testing clock and the system clock
 * (windows closed by time alone) against hand-worked rows.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SystemClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { JoinEmitMode, JoinInsertMode } from "../../engine/dataflow/steps.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { frozenClock } from "../helpers/frozenClock.js";
import { refusalOf } from "../helpers/refusals.js";
import { sideStreams } from "../helpers/sideStreams.js";
import { arrivingAt } from "./arrivals.js";
import { referenceJoinWindow, type TimedEvent } from "./joinWindowReference.js";


/** Events whose times go back: with a wait of 2 s some are still in time, four are late (their window closed). */
const OUT_OF_ORDER: TimedEvent[] = [
  [0, "a", { t: 1000 }],
  [1, "a", { t: 9000 }],
  [0, "b", { t: 4000 }],
  [1, "a", { t: 3000 }],
  [0, "a", { t: 12500 }],
  [1, "a", { t: 8000 }],
  [0, "a", { t: 7500 }],
  [1, "b", { t: 14000 }],
  [0, "b", { t: 11000 }],
  [0, "a", { t: 23000 }],
  [1, "a", { t: 13000 }],
  [1, "b", { t: 9000 }],
];

for (const entry of ENTRY_POINTS) {
  describe(`join_window (${entry.name})`, () => {
    for (const insertMode of ["first", "last", "product"] as JoinInsertMode[]) {
      for (const emitMode of ["complete", "final", "running"] as JoinEmitMode[]) {
        it(`event time out of order, wait 2 s, insert ${insertMode}, emit ${emitMode}: late items dropped, the model's rows`, async () => {
          const out: unknown[] = [];
          const flow = new Dataflow();
          const sides = sideStreams(flow, flow.input("inp", fromWorkerZero(OUT_OF_ORDER)).stream(), 2);
          flow
            .joinWindow("jw", new EventClockConfig((value: { t: number }) => value.t, 2000), new TumblingWindowConfig(10_000, { startAt: 0 }), sides, { insertMode, emitMode })
            .capture(new TestingOutputConfig(out));
          await entry.run(flow, { epochConfig: new TestingEpochConfig(), host: { clock: frozenClock(0) } });
          const { rows, late } = referenceJoinWindow(OUT_OF_ORDER, 2, insertMode, emitMode, { length: 10_000, startAt: 0, wait: 2000 });
          expect(late).toBe(4);
          const expected = rows.map(([key, , row]) => [key, row]);
          if (emitMode === "final") expect(sorted(out)).toEqual(sorted(expected));
          else expect(out).toEqual(expected);
        });
      }
    }

    it("testing clock: each key's own time picks its windows; final rows when the key's time passes the window (worked by hand)", async () => {
      const out: unknown[] = [];
      const events: [number, string, string][] = [
        [0, "k", "l1"],
        [1, "j", "R1"],
        [1, "k", "r1"],
        [0, "k", "l2"],
        [1, "k", "r2"],
        [0, "j", "L1"],
      ];
      const flow = new Dataflow();
      const all = flow.input("inp", fromWorkerZero(events)).stream();
      const sides = sideStreams(flow, all, 2);
      // k's items at 0, 1, 2, 3 s and j's at 0, 1 s: windows of 2 s put l1, r1 together, l2, r2 together.
      flow.joinWindow("jw", new TestingClockConfig(1000, 0), new TumblingWindowConfig(2000, { startAt: 0 }), sides, { insertMode: "product" }).capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(sorted(out)).toEqual(sorted([["k", ["l1", "r1"]], ["k", ["l2", "r2"]], ["j", ["L1", "R1"]]]));
    });

    it("system clock: a window's final rows come when its time passes, without further items", async () => {
      const clock = new VirtualClock(0);
      const seen: [number, unknown][] = [];
      const flow = new Dataflow();
      const all = flow
        .input("inp", arrivingAt(clock, [[100, [0, "a", 1]], [200, [1, "a", 2]], [300, [1, "b", 3]], [5000, [0, "z", 0]]]))
        .stream();
      const sides = sideStreams(flow, all, 2);
      flow
        .joinWindow("jw", new SystemClockConfig(), new TumblingWindowConfig(1000, { startAt: 0 }), sides)
        .inspect((item: unknown) => seen.push([clock.now(), item]))
        .capture(new TestingOutputConfig([]));
      await entry.run(flow, { host: { clock } });
      expect(sorted(seen.map(([, item]) => item))).toEqual(sorted([["a", [1, 2]], ["b", [null, 3]], ["z", [0, null]]]));
      // a and b closed by time, just after 1000, long before z arrived at 5000.
      for (const [at, item] of seen) if ((item as [string])[0] !== "z") expect(at).toBeGreaterThan(1000), expect(at).toBeLessThan(5000);
    });
  });
}

describe("joinWindow in the builder", () => {
  it("takes a clock, a window, one or more sides and Bytewax's modes (default final)", () => {
    const flow = new Dataflow();
    const a = flow.input("a", fromWorkerZero([])).stream();
    const b = flow.input("b", fromWorkerZero([])).stream();
    flow.joinWindow("jw", new SystemClockConfig(), new TumblingWindowConfig(10), [a, b]);
    expect(flow.steps[2]).toMatchObject({ op: "join_window", stepId: "jw", upstream: [0, 1], insertMode: "last", emitMode: "final" });
    expect(refusalOf(() => flow.joinWindow("jw", new TumblingWindowConfig(10) as never, new TumblingWindowConfig(10), [a, b]))?.[0]).toBe("CONFIG_INVALID");
    expect(refusalOf(() => flow.joinWindow("jw", new SystemClockConfig(), new TumblingWindowConfig(10), []))?.[0]).toBe("FLOW_STREAM_INVALID");
    expect(refusalOf(() => flow.joinWindow("jw", new SystemClockConfig(), new TumblingWindowConfig(10), [a, b], { insertMode: "all" as never }))).toEqual([
      "CONFIG_INVALID",
      'joinWindow: unknown insertMode `"all"`; expected one of "first", "last", "product"',
    ]);
  });
});
