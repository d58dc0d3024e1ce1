/**
 * Windows keep their pending wake-ups in recovery state (Bytewax issue 138): after a resume, windows
 * that were open when the run crashed still close, by time and at end of input, even when no further
 * item arrives for their keys.
 */

import { afterEach, describe, expect, it } from "vitest";
import { plannedInput } from "../helpers/plannedInput.js";
import { PeriodicEpochConfig, TestingEpochConfig, type EpochConfig } from "../../engine/configs/epochs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { EventClockConfig, SessionWindowConfig, SystemClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { fromWorkerZero, rejectionOf, sorted } from "../helpers/entryPoints.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";
import { testHost } from "../helpers/host.js";

for (const kind of STORE_KINDS) {
  for (const workers of [1, 2]) {
    describe(`windows across a crash (${kind.name} store, ${workers} worker${workers > 1 ? "s" : ""})`, () => {
      let cleanup = () => {};
      afterEach(() => cleanup());
      const run = (flow: Dataflow, recoveryConfig: RecoveryConfig, epochConfig: EpochConfig = new TestingEpochConfig(), clock?: VirtualClock) =>
        execute(flow, { workerCount: workers, epochConfig, recoveryConfig, errors: "wrapped", host: testHost(clock ? { clock } : {}) });

      it("closes windows left open by the crash at end of input, with no further items for their keys", async () => {
        const { config, cleanup: remove } = kind.fresh();
        cleanup = remove;
        const items = [["a", 1], ["a", 2], ["b", 10], ["c", 100], ["b", 20], "BOOM", ["c", 1]];
        let armed = true;
        const flow = (out: unknown[]) =>
          new Dataflow()
            .input("inp", fromWorkerZero(items))
            .map((item: unknown) => {
              if (item === "BOOM") {
                if (armed) throw new Error("BOOM");
                return ["c", 0];
              }
              return item;
            })
            .reduceWindow("sum", new TestingClockConfig(1000, 0), new TumblingWindowConfig(60_000, { startAt: 0 }), (x: number, y: number) => x + y)
            .capture(new TestingOutputConfig(out));
        const crashed: unknown[] = [];
        await rejectionOf(run(flow(crashed), config));
        expect(crashed).toEqual([]);
        armed = false;
        const resumed: unknown[] = [];
        await run(flow(resumed), config);
        // "a" and "b" got no items after the resume; their windows came back from the store and close.
        expect(sorted(resumed)).toEqual(sorted([["a", 3], ["b", 30], ["c", 101]]));
      });

      it("closes restored windows when their time passes, before the input ends", async () => {
        const { config, cleanup: remove } = kind.fresh();
        cleanup = remove;
        const clock = new VirtualClock(0);
        let armed = true;
        // Items "a" arrive at t=100 and t=200 (window [0, 1000)); the run crashes at t=300; after the
        // resume only "z" items arrive, at t=5000 and later, long after a's window should close.
        const flow = (out: [number, unknown][]) =>
          new Dataflow()
            .input(
              "inp",
              plannedInput(clock, (worker) => (worker === 0 ? [[100, ["a", 1]], [200, ["a", 2]], [300, "BOOM"], [5000, ["z", 1]], [6000, ["z", 2]]] : [])),
            )
            .map((item: unknown) => {
              if (item === "BOOM") {
                if (armed) throw new Error("BOOM");
                return ["z", 0];
              }
              return item;
            })
            .reduceWindow("sum", new SystemClockConfig(), new TumblingWindowConfig(1000, { startAt: 0 }), (x: number, y: number) => x + y)
            .inspect((item: unknown) => out.push([clock.now(), item]))
            .capture(new TestingOutputConfig([]));
        await rejectionOf(run(flow([]), config, new PeriodicEpochConfig(50), clock));
        armed = false;
        const resumed: [number, unknown][] = [];
        await run(flow(resumed), config, new PeriodicEpochConfig(50), clock);
        const a = resumed.find(([, item]) => (item as [string])[0] === "a");
        expect(a?.[1]).toEqual(["a", 3]);
        // It closed by time (after its close at 1000), not at the end of input (after t=6000).
        expect(a![0]).toBeGreaterThan(1000);
        expect(a![0]).toBeLessThan(5000);
      });

      it("keeps open sessions across a crash: a bridging item merges a restored session, and sessions close by time", async () => {
        const { config, cleanup: remove } = kind.fresh();
        cleanup = remove;
        const clock = new VirtualClock(0);
        let armed = true;
        // "u" opens sessions at event times 0 and 18 (gap 10, wait 1000: both stay open); the run
        // crashes; after the resume, 9 bridges them (it joins the older, made first), and 40 opens
        // another. Both close by time alone (the watermark moves with system time), long before
        // the last item, planned at 5000 ms of system time.
        const items: [number, unknown][] = [[100, ["u", 0]], [120, ["u", 18]], [300, "BOOM"], [400, ["u", 9]], [500, ["u", 40]], [5000, ["z", 0]]];
        const flow = (out: [number, unknown][]) => {
          const merges: unknown[] = [];
          const dataflow = new Dataflow()
            .input("inp", plannedInput(clock, (worker) => (worker === 0 ? items : [])))
            .map((item: unknown) => {
              if (item === "BOOM") {
                if (armed) throw new Error("BOOM");
                return ["z", 0];
              }
              return item;
            })
            .foldWindow(
              "sessions",
              new EventClockConfig((t: number) => t, 1000),
              new SessionWindowConfig(10),
              () => [] as number[],
              (acc: number[], t: number) => [...acc, t],
              (earlier: number[], later: number[]) => {
                merges.push([earlier, later]);
                return [...earlier, ...later];
              },
              { withWindow: true },
            )
            .inspect((item: unknown) => out.push([clock.now(), item]))
            .capture(new TestingOutputConfig([]));
          return { dataflow, merges };
        };
        await rejectionOf(run(flow([]).dataflow, config, new PeriodicEpochConfig(50), clock));
        armed = false;
        const resumed: [number, unknown][] = [];
        const again = flow(resumed);
        await run(again.dataflow, config, new PeriodicEpochConfig(50), clock);
        const ofU = resumed.filter(([, item]) => (item as [string])[0] === "u");
        expect(ofU.map(([, item]) => (item as [string, unknown])[1])).toEqual([[0, 18, [0, 9, 18]], [40, 40, [40]]]);
        expect(again.merges).toEqual([[[0, 9], [18]]]);
        for (const [when] of ofU) expect(when).toBeLessThan(5000);
      });
    });
  }
}
