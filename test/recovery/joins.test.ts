/**
 * Joins across a crash: a user function fails in the middle of open joins (keys with one side, a
 * product's lists half filled, running rows under way), and the same flow resumes from the same
 * store. What the crashed run emitted before the failed epoch, followed by what the resumed run
 * emits, is exactly what the model of Bytewax's join (test/operators/joinReference.ts) emits for
 * the events, in every mode, on every store, with runMain and with clusterMain on 2 workers.
 * A resume with other sides or modes is refused naming the step.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow, type JoinOptions } from "../../engine/dataflow/dataflow.js";
import { clusterMain, runMain } from "../helpers/host.js";
import { fromWorkerZero, rejectionOf, sorted } from "../helpers/entryPoints.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";
import { sideStreams } from "../helpers/sideStreams.js";
import { referenceJoin, type EmitMode, type InsertMode, type SideEvent } from "../operators/joinReference.js";

const RUNNERS = [
  { name: "runMain", run: (flow: Dataflow, recoveryConfig: RecoveryConfig) => runMain(flow, { epochConfig: new TestingEpochConfig(), recoveryConfig }) },
  {
    name: "clusterMain with 2 workers",
    run: (flow: Dataflow, recoveryConfig: RecoveryConfig) => clusterMain(flow, [], 0, { workerCountPerProc: 2, epochConfig: new TestingEpochConfig(), recoveryConfig }),
  },
];

type Event = SideEvent | "BOOM";

/** Before the failure: "a" complete once, "b" and "c" waiting for side 1, "a" open again. */
const EVENTS: Event[] = [
  [0, "a", 1],
  [0, "b", 2],
  [1, "a", 10],
  [0, "a", 3],
  [0, "c", 4],
  [0, "b", 5],
  "BOOM",
  [1, "b", 20],
  [1, "a", 30],
  [0, "a", 6],
  [1, "c", 40],
  [1, "d", 50],
];
const FAILED_EPOCH = EVENTS.indexOf("BOOM");

/** Two sides from one input (one event per epoch); "BOOM" fails while armed, and is dropped after. */
function joinFlow(options: JoinOptions, armed: { on: boolean }, out: unknown[], sides = 2): Dataflow {
  const flow = new Dataflow();
  const events = flow
    .input("events", fromWorkerZero(EVENTS))
    .filter((event: Event) => {
      if (event !== "BOOM") return true;
      if (armed.on) throw new Error("BOOM");
      return false;
    })
    .stream();
  return flow.join("joined", sideStreams(flow, events, sides), options).capture(new TestingEpochOutputConfig(out));
}

/** The model's output with epochs: an event's rows in its epoch, `final` rows in the last epoch. */
function expected(insertMode: InsertMode, emitMode: EmitMode): [number, unknown][] {
  const events = EVENTS.map((event): SideEvent => (event === "BOOM" ? [-1, "", null] : event));
  const rows = referenceJoin(
    events.filter((event) => event[0] >= 0),
    2,
    insertMode,
    emitMode,
  );
  // referenceJoin numbers the events it saw; map them back to the input's epochs (BOOM is one).
  const epochOf = events.flatMap((event, epoch) => (event[0] >= 0 ? [epoch] : []));
  return rows.map((row) => [row.at === "eof" ? EVENTS.length : epochOf[row.at]!, row.item]);
}

for (const store of STORE_KINDS) {
  for (const runner of RUNNERS) {
    describe(`joins across a crash (${store.name} store, ${runner.name})`, () => {
      let cleanup = () => {};
      afterEach(() => cleanup());

      for (const insertMode of ["first", "last", "product"] as const) {
        for (const emitMode of ["complete", "final", "running"] as const) {
          it(`insert ${insertMode}, emit ${emitMode}: the crashed run's rows before the failed epoch, then the resumed run's, are the uninterrupted rows`, async () => {
            const fresh = store.fresh();
            cleanup = fresh.cleanup;
            const armed = { on: true };
            const crashed: [number, unknown][] = [];
            await rejectionOf(runner.run(joinFlow({ insertMode, emitMode }, armed, crashed), fresh.config));
            armed.on = false;
            const resumed: [number, unknown][] = [];
            await runner.run(joinFlow({ insertMode, emitMode }, armed, resumed), fresh.config);

            expect(crashed.every(([epoch]) => epoch < FAILED_EPOCH)).toBe(true);
            expect(resumed.every(([epoch]) => epoch >= FAILED_EPOCH)).toBe(true);
            const all = [...crashed, ...resumed];
            const want = expected(insertMode, emitMode);
            if (emitMode === "final") expect(sorted(all)).toEqual(sorted(want));
            else expect(all).toEqual(want);
            // The failure came in the middle of open joins: the resumed run needed the saved state.
            if (emitMode !== "complete" || insertMode !== "first") expect(resumed.length).toBeGreaterThan(0);
          });
        }
      }

      it("refuses to resume with another number of sides or other modes, naming the step", async () => {
        const fresh = store.fresh();
        cleanup = fresh.cleanup;
        await rejectionOf(runner.run(joinFlow({ emitMode: "running" }, { on: true }, []), fresh.config));
        const other = await rejectionOf(runner.run(joinFlow({ emitMode: "final" }, { on: false }, []), fresh.config));
        expect(String(other)).toContain('"joined"');
        expect(String(other)).toContain("emit mode");
        const three = await rejectionOf(runner.run(joinFlow({ emitMode: "running" }, { on: false }, [], 3), fresh.config));
        expect(String(three)).toContain("sides");
      });
    });
  }
}
