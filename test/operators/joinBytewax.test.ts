/**
 * `join` against Bytewax 0.21.1 itself: the scenarios of test/operators/bytewax/joins.json (written
 * by joins.py next to it, which runs each through Bytewax; see there how to re-run it), in every
 * insert mode and emit mode, on every entry point. As in the Python flow, one input carries
 * `[side, key, value]` events and a branch per side feeds the join; testing epochs (one item in
 * flight at a time) make the order the join sees the input's order on any worker count.
 *
 * Rows caused by an item are compared in order. `final` rows come at end of input, from every
 * worker at once: compared as a multiset, as Bytewax's order there is its state map's.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow, type JoinOptions } from "../../engine/dataflow/dataflow.js";
import type { JoinEmitMode, JoinInsertMode } from "../../engine/dataflow/steps.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { sideStreams } from "../helpers/sideStreams.js";
import { referenceJoin } from "./joinReference.js";

interface BytewaxJoinCase {
  readonly name: string;
  readonly sides: number;
  readonly insertMode: JoinInsertMode;
  readonly emitMode: JoinEmitMode;
  readonly events: [number, string, unknown][];
  readonly expected: [string, unknown[]][];
}

const fixture = JSON.parse(readFileSync(new URL("./bytewax/joins.json", import.meta.url), "utf8")) as { bytewax: string; cases: BytewaxJoinCase[] };

function joinOf(c: BytewaxJoinCase, out: unknown[]): Dataflow {
  const flow = new Dataflow();
  const events = flow.input("inp", fromWorkerZero(c.events)).stream();
  const options: JoinOptions = { insertMode: c.insertMode, emitMode: c.emitMode };
  return flow.join("join", sideStreams(flow, events, c.sides), options).capture(new TestingOutputConfig(out));
}

const comparable = (c: BytewaxJoinCase, rows: readonly unknown[]) => (c.emitMode === "final" ? sorted(rows) : rows);

describe(`join matches Bytewax ${fixture.bytewax}`, () => {
  it("the fixture has every scenario in every mode", () => {
    expect(fixture.bytewax).toBe("0.21.1");
    expect(fixture.cases.length).toBeGreaterThanOrEqual(8 * 9);
    expect(new Set(fixture.cases.map((c) => `${c.insertMode} ${c.emitMode}`)).size).toBe(9);
  });

  it("the test's model of Bytewax's join (joinReference.ts) agrees with every recorded output", () => {
    for (const c of fixture.cases) {
      const model = referenceJoin(c.events, c.sides, c.insertMode, c.emitMode).map((row) => row.item);
      expect(comparable(c, model), `${c.name}, ${c.insertMode}, ${c.emitMode}`).toEqual(comparable(c, c.expected));
    }
  });

  for (const entry of ENTRY_POINTS) {
    describe(entry.name, () => {
      for (const c of fixture.cases) {
        it(`${c.name}: insert ${c.insertMode}, emit ${c.emitMode}`, async () => {
          const out: unknown[] = [];
          await entry.run(joinOf(c, out), { epochConfig: new TestingEpochConfig() });
          expect(comparable(c, out)).toEqual(comparable(c, c.expected));
        });
      }
    });
  }
});
