/**
 * `join_window` across a crash: open windows (each side's values) and their wake-ups are in the
 * snapshot. A failure in the middle of open windows, then a resume from the same store, gives the
 * model's rows (joinWindowReference.ts) in every emit mode; a window left open by the crash still
 * closes by time alone after the resume, without further items for its key; sessions open at the
 * crash, and merged by an item after it, give an uninterrupted run's rows. Every store, 1 and 2
 * workers.
 */

import { afterEach, describe, expect, it } from "vitest";
import { PeriodicEpochConfig, TestingEpochConfig, type EpochConfig } from "../../engine/configs/epochs.js";
import type { InputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { EventClockConfig, SessionWindowConfig, SystemClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { JoinEmitMode } from "../../engine/dataflow/steps.js";
import { VirtualClock, type Clock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { fromWorkerZero, rejectionOf, sorted } from "../helpers/entryPoints.js";
import { frozenClock } from "../helpers/frozenClock.js";
import { plannedInput } from "../helpers/plannedInput.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";
import { sideStreams } from "../helpers/sideStreams.js";
import { testHost } from "../helpers/host.js";
import { referenceJoinWindow, type TimedEvent } from "../windows/joinWindowReference.js";


type Event = TimedEvent | "BOOM";

/**
 * Session windows (gap 5 s, wait 10 s): at the failure "a" has two sessions, [0, 0] and [9000,
 * 9000]; after it an item at 4500 bridges them (they merge) and "b" gets its second side.
 */
const SESSION_EVENTS: (readonly [side: number, key: string, value: { readonly t: number; readonly v: string }] | "BOOM")[] = [
  [0, "a", { t: 0, v: "a1" }],
  [1, "b", { t: 1000, v: "B1" }],
  [0, "a", { t: 9000, v: "a2" }],
  "BOOM",
  [1, "a", { t: 4500, v: "A1" }],
  [0, "b", { t: 2000, v: "b1" }],
  [1, "a", { t: 30000, v: "A2" }],
];

/** The failure comes with windows open on both keys, one half joined, one side only. */
const EVENTS: Event[] = [
  [0, "a", { t: 1000 }],
  [1, "b", { t: 1500 }],
  [1, "a", { t: 2000 }],
  [0, "a", { t: 12000 }],
  [0, "b", { t: 3000 }],
  [1, "a", { t: 13000 }],
  [0, "a", { t: 14000 }],
  "BOOM",
  [1, "b", { t: 4000 }],
  [1, "a", { t: 15000 }],
  [0, "b", { t: 21000 }],
  [1, "b", { t: 22000 }],
];
const FAILED_EPOCH = EVENTS.indexOf("BOOM");

/** A switch for "BOOM": while armed it fails the run; after, it is dropped. */
interface Boom {
  armed: boolean;
}

/** The events of `input` as a stream of `flow`, through a filter where "BOOM" does what `boom` says. */
function eventsOf(flow: Dataflow, input: InputConfig, boom: Boom) {
  return flow
    .input("events", input)
    .filter((event: Event) => {
      if (event !== "BOOM") return true;
      if (boom.armed) throw new Error("BOOM");
      return false;
    })
    .stream();
}

for (const store of STORE_KINDS) {
  for (const workers of [1, 2]) {
    describe(`join_window across a crash (${store.name} store, ${workers} worker${workers > 1 ? "s" : ""})`, () => {
      let cleanup = () => {};
      afterEach(() => cleanup());
      const run = (flow: Dataflow, recoveryConfig: RecoveryConfig, epochConfig: EpochConfig, clock: Clock) =>
        execute(flow, { workerCount: workers, epochConfig, recoveryConfig, errors: "wrapped", host: testHost({ clock }) });

      for (const emitMode of ["complete", "final", "running"] as JoinEmitMode[]) {
        it(`emit ${emitMode}, insert product: the crashed run's rows before the failed epoch, then the resumed run's, are the model's`, async () => {
          const fresh = store.fresh();
          cleanup = fresh.cleanup;
          const boom = { armed: true };
          const flow = (out: unknown[]) => {
            const built = new Dataflow();
            const all = eventsOf(built, fromWorkerZero(EVENTS), boom);
            return built
              .joinWindow("jw", new EventClockConfig((value: { t: number }) => value.t, 0), new TumblingWindowConfig(10_000, { startAt: 0 }), sideStreams(built, all, 2), { insertMode: "product", emitMode })
              .capture(new TestingEpochOutputConfig(out));
          };
          const crashed: [number, unknown][] = [];
          await rejectionOf(run(flow(crashed), fresh.config, new TestingEpochConfig(), frozenClock(0)));
          boom.armed = false;
          const resumed: [number, unknown][] = [];
          await run(flow(resumed), fresh.config, new TestingEpochConfig(), frozenClock(0));
          expect(crashed.every(([epoch]) => epoch < FAILED_EPOCH)).toBe(true);
          expect(resumed.every(([epoch]) => epoch >= FAILED_EPOCH)).toBe(true);
          const events = EVENTS.filter((event): event is TimedEvent => event !== "BOOM");
          const { rows } = referenceJoinWindow(events, 2, "product", emitMode, { length: 10_000, startAt: 0, wait: 0 });
          const all = [...crashed, ...resumed].map(([, item]) => item);
          const expected = rows.map(([key, , row]) => [key, row]);
          if (emitMode === "final") expect(sorted(all)).toEqual(sorted(expected));
          else expect(all).toEqual(expected);
          expect(resumed.length).toBeGreaterThan(0);
        });
      }

      for (const emitMode of ["final", "running"] as JoinEmitMode[]) {
        it(`session windows, emit ${emitMode}: sessions open at the crash, merged after the resume, give the uninterrupted run's rows`, async () => {
          const fresh = store.fresh();
          cleanup = fresh.cleanup;
          const boom = { armed: true };
          const flow = (out: unknown[], events: Event[]) => {
            const built = new Dataflow();
            const all = eventsOf(built, fromWorkerZero(events), boom);
            return built
              .joinWindow("jw", new EventClockConfig((value: { t: number }) => value.t, 10_000), new SessionWindowConfig(5000), sideStreams(built, all, 2), { insertMode: "product", emitMode })
              .map(([key, row]: [string, ({ v: string } | null)[]]) => [key, row.map((value) => value?.v ?? null)])
              .capture(new TestingEpochOutputConfig(out));
          };
          const uninterrupted: [number, unknown][] = [];
          await execute(flow(uninterrupted, SESSION_EVENTS.filter((event) => event !== "BOOM")), { workerCount: workers, epochConfig: new TestingEpochConfig(), errors: "wrapped", host: testHost({ clock: frozenClock(0) }) });
          const crashed: [number, unknown][] = [];
          await rejectionOf(run(flow(crashed, SESSION_EVENTS), fresh.config, new TestingEpochConfig(), frozenClock(0)));
          boom.armed = false;
          const resumed: [number, unknown][] = [];
          await run(flow(resumed, SESSION_EVENTS), fresh.config, new TestingEpochConfig(), frozenClock(0));
          const rows = [...crashed, ...resumed].map(([, item]) => item);
          const expected = uninterrupted.map(([, item]) => item);
          // The merged session's rows hold values from before and after the crash.
          expect(expected).toContainEqual(["a", ["a1", "A1"]]);
          expect(expected).toContainEqual(["a", ["a2", "A1"]]);
          expect(sorted(rows)).toEqual(sorted(expected));
          expect(resumed.length).toBeGreaterThan(0);
        });
      }

      it("a window left open by the crash closes by time after the resume, with the sides saved before it", async () => {
        const fresh = store.fresh();
        cleanup = fresh.cleanup;
        const clock = new VirtualClock(0);
        const boom = { armed: true };
        // "a" gets both sides in [0, 1000); the run fails at 300; after the resume only "z" items
        // come, from 5000 on: a's window must close by time, just after 1000, with both values.
        const flow = (seen: [number, unknown][]) => {
          const built = new Dataflow();
          const all = eventsOf(built, plannedInput(clock, (worker) => (worker === 0 ? [[100, [0, "a", "left"]], [200, [1, "a", "right"]], [300, "BOOM"], [5000, [0, "z", 1]], [5500, [1, "z", 2]]] : [])), boom);
          return built
            .joinWindow("jw", new SystemClockConfig(), new TumblingWindowConfig(1000, { startAt: 0 }), sideStreams(built, all, 2))
            .inspect((item: unknown) => seen.push([clock.now(), item]))
            .capture(new TestingOutputConfig([]));
        };
        await rejectionOf(run(flow([]), fresh.config, new PeriodicEpochConfig(50), clock));
        boom.armed = false;
        const resumed: [number, unknown][] = [];
        await run(flow(resumed), fresh.config, new PeriodicEpochConfig(50), clock);
        const a = resumed.find(([, item]) => (item as [string])[0] === "a");
        expect(a?.[1]).toEqual(["a", ["left", "right"]]);
        expect(a![0]).toBeGreaterThan(1000);
        expect(a![0]).toBeLessThan(5000);
        expect(resumed.map(([, item]) => item)).toContainEqual(["z", [1, 2]]);
      });
    });
  }
}
