/**
 * `join` in every insert mode and emit mode, on ordered inputs (every value of side 0, then side 1)
 * and interleaved ones, across entry points. The events come from one input, one per epoch
 * (testing epochs, all from worker 0), and a branch per side (filter + map) feeds the join, so
 * the order in which the join sees them is the input's order on any worker count: each output can
 * be checked with its epoch against the model of Bytewax 0.21's join (joinReference.ts).
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ENTRY_POINTS, fromWorkerZero, rejectionOf, sorted } from "../helpers/entryPoints.js";
import { sideStreams } from "../helpers/sideStreams.js";
import { referenceJoin, type EmitMode, type InsertMode, type SideEvent } from "./joinReference.js";

const INSERT_MODES: readonly InsertMode[] = ["first", "last", "product"];
const EMIT_MODES: readonly EmitMode[] = ["complete", "final", "running"];

/** Two keys, two sides; every value of side 0 first, then side 1. */
const ORDERED: SideEvent[] = [
  [0, "a", "a0"],
  [0, "b", "b0"],
  [0, "a", "a1"],
  [1, "a", "A0"],
  [1, "b", "B0"],
  [1, "a", "A1"],
  [1, "c", "C0"],
];
/** The sides take turns; "a" is completed, then opened again; "z" has one side only. */
const INTERLEAVED: SideEvent[] = [
  [0, "a", 1],
  [1, "a", 10],
  [0, "b", 2],
  [1, "a", 20],
  [0, "a", 3],
  [1, "b", 30],
  [0, "z", 9],
  [1, "a", 40],
  [0, "b", 4],
  [1, "b", 50],
];
/** Three sides, values of any JSON kind (null is a value, not a missing side). */
const THREE_SIDES: SideEvent[] = [
  [2, "k", { deep: [1] }],
  [0, "k", null],
  [1, "j", true],
  [1, "k", "x"],
  [2, "k", 7],
  [0, "j", 0],
  [2, "j", "last"],
];

/** The join of `events` over `sideCount` branches of one input, each item in its own epoch. */
function joinFlow(events: readonly SideEvent[], sideCount: number, insertMode: InsertMode, emitMode: EmitMode, out: unknown[]): Dataflow {
  const flow = new Dataflow();
  const all = flow.input("events", fromWorkerZero(events)).stream();
  return flow.join("joined", sideStreams(flow, all, sideCount), { insertMode, emitMode }).capture(new TestingEpochOutputConfig(out));
}

const SCENARIOS: readonly [string, readonly SideEvent[], number][] = [
  ["ordered", ORDERED, 2],
  ["interleaved", INTERLEAVED, 2],
  ["three sides", THREE_SIDES, 3],
];

for (const entry of ENTRY_POINTS) {
  describe(`join (${entry.name})`, () => {
    for (const [name, events, sideCount] of SCENARIOS) {
      for (const insertMode of INSERT_MODES) {
        for (const emitMode of EMIT_MODES) {
          it(`${name} inputs, insert ${insertMode}, emit ${emitMode}: the model's rows, each in the epoch of its item`, async () => {
            const out: [number, unknown][] = [];
            await entry.run(joinFlow(events, sideCount, insertMode, emitMode, out), { epochConfig: new TestingEpochConfig() });
            const expected = referenceJoin(events, sideCount, insertMode, emitMode);
            const byItem = expected.filter((row) => row.at !== "eof").map((row) => [row.at, row.item]);
            const atEnd = expected.filter((row) => row.at === "eof").map((row) => row.item);
            expect(out.filter(([epoch]) => epoch < events.length)).toEqual(byItem);
            // At end of input every worker emits its keys' rows, in the last epoch.
            const last = out.filter(([epoch]) => epoch >= events.length);
            expect(sorted(last.map(([, item]) => item))).toEqual(sorted(atEnd));
            for (const [epoch] of last) expect(epoch).toBe(events.length);
          });
        }
      }
    }

    it("running, last: a row after every item, null for the side without a value yet (worked by hand)", async () => {
      const out: [number, unknown][] = [];
      await entry.run(joinFlow(INTERLEAVED.slice(0, 5), 2, "last", "running", out), { epochConfig: new TestingEpochConfig() });
      expect(out).toEqual([
        [0, ["a", [1, null]]],
        [1, ["a", [1, 10]]],
        [2, ["b", [2, null]]],
        [3, ["a", [1, 20]]],
        [4, ["a", [3, 20]]],
      ]);
    });

    it("complete, product: the cross product once the last side arrives, then the key starts over (worked by hand)", async () => {
      const out: [number, unknown][] = [];
      const events: SideEvent[] = [[0, "k", 1], [0, "k", 2], [1, "k", "x"], [1, "k", "y"], [0, "k", 3]];
      await entry.run(joinFlow(events, 2, "product", "complete", out), { epochConfig: new TestingEpochConfig() });
      // "y" opens a new join of "k" that "3" completes.
      expect(out).toEqual([
        [2, ["k", [1, "x"]]],
        [2, ["k", [2, "x"]]],
        [4, ["k", [3, "y"]]],
      ]);
    });

    it("joins two inputs: final rows with null for a missing side, whatever the order the inputs are read in", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow();
      const users = flow.input("users", new TestingInputConfig([["u1", "ada"], ["u2", "grace"], ["u3", "alan"]])).stream();
      const orders = flow.input("orders", new TestingInputConfig([["u1", "book"], ["u1", "pen"], ["u4", "lamp"], ["u2", "tea"]])).stream();
      flow.join("user_orders", [users, orders], { insertMode: "product", emitMode: "final" }).capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(sorted(out)).toEqual(
        sorted([
          ["u1", ["ada", "book"]],
          ["u1", ["ada", "pen"]],
          ["u2", ["grace", "tea"]],
          ["u3", ["alan", null]],
          ["u4", [null, "lamp"]],
        ]),
      );
    });

    it("refuses an item that is not [key, value] on any side, naming the join", async () => {
      const flow = new Dataflow();
      const left = flow.input("left", new TestingInputConfig([["a", 1]])).stream();
      const right = flow.input("right", new TestingInputConfig([42])).stream();
      flow.join("pairs", [left, right]).capture(new TestingOutputConfig([]));
      const error = entry.original(await rejectionOf(entry.run(flow))) as Error;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('Step "pairs" (join): Dataflow requires a `[key, value]` 2-element array as input to every stateful operator; got `42` instead');
    });
  });
}
