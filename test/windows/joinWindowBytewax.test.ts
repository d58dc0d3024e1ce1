/**
 * `join_window` against Bytewax 0.21.1 itself: the scenarios of test/windows/bytewax/joinWindows.json
 * (written by joinWindows.py next to it, which runs each through Bytewax; see there how to re-run
 * it), in every insert and emit mode, on every entry point. As in the Python flow: one input of
 * `[side, key, { t, v }]` events, a branch per side, an event clock on `t` with no wait and a
 * system time that never moves (windows close by items and at end of input), tumbling windows
 * aligned to 0, every key's times going forward (no item is late in either).
 *
 * Rows caused by an item (running, complete) are compared in order; `final` rows, emitted when a
 * window closes, as a multiset: the windows close at the same items or at the end, but Bytewax
 * closes a window when the watermark reaches its close time and Eddy (as for all its windows) once
 * the watermark is past it. Eddy's rows carry no window id (`withWindow` is another step's
 * option); the model (joinWindowReference.ts), checked against Bytewax with the ids, covers them.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { JoinEmitMode, JoinInsertMode } from "../../engine/dataflow/steps.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { frozenClock } from "../helpers/frozenClock.js";
import { sideStreams } from "../helpers/sideStreams.js";
import { referenceJoinWindow } from "./joinWindowReference.js";

interface BytewaxJoinWindowCase {
  readonly name: string;
  readonly sides: number;
  readonly length: number;
  readonly insertMode: JoinInsertMode;
  readonly emitMode: JoinEmitMode;
  readonly events: [number, string, { t: number; v: unknown }][];
  readonly expected: [string, number, unknown[]][];
}

const fixture = JSON.parse(readFileSync(new URL("./bytewax/joinWindows.json", import.meta.url), "utf8")) as { bytewax: string; cases: BytewaxJoinWindowCase[] };

const valueOf = (x: unknown) => (x === null ? null : (x as { v: unknown }).v);

function joinWindowOf(c: BytewaxJoinWindowCase, out: unknown[]): Dataflow {
  const flow = new Dataflow();
  const events = flow.input("inp", fromWorkerZero(c.events)).stream();
  return flow
    .joinWindow("join", new EventClockConfig((value: { t: number }) => value.t, 0), new TumblingWindowConfig(c.length, { startAt: 0 }), sideStreams(flow, events, c.sides), {
      insertMode: c.insertMode,
      emitMode: c.emitMode,
    })
    .map(([key, row]: [string, unknown[]]) => [key, row.map(valueOf)])
    .capture(new TestingOutputConfig(out));
}

const comparable = (c: BytewaxJoinWindowCase, rows: readonly unknown[]) => (c.emitMode === "final" ? sorted(rows) : rows);

describe(`join_window matches Bytewax ${fixture.bytewax}`, () => {
  it("the fixture has every scenario in every mode", () => {
    expect(fixture.bytewax).toBe("0.21.1");
    expect(fixture.cases.length).toBeGreaterThanOrEqual(5 * 9);
    expect(new Set(fixture.cases.map((c) => `${c.insertMode} ${c.emitMode}`)).size).toBe(9);
  });

  it("the test's model (joinWindowReference.ts) gives Bytewax's rows with their window ids, and no late item", () => {
    for (const c of fixture.cases) {
      const { rows, late } = referenceJoinWindow(c.events, c.sides, c.insertMode, c.emitMode, { length: c.length, startAt: 0, wait: 0 });
      const model = rows.map(([key, index, row]) => [key, index, row.map(valueOf)]);
      expect(comparable(c, model), `${c.name}, ${c.insertMode}, ${c.emitMode}`).toEqual(comparable(c, c.expected));
      expect(late).toBe(0);
    }
  });

  for (const entry of ENTRY_POINTS) {
    describe(entry.name, () => {
      for (const c of fixture.cases) {
        it(`${c.name}: insert ${c.insertMode}, emit ${c.emitMode}`, async () => {
          const out: unknown[] = [];
          await entry.run(joinWindowOf(c, out), { epochConfig: new TestingEpochConfig(), host: { clock: frozenClock(1_000_000) } });
          const expected = c.expected.map(([key, , row]) => [key, row]);
          expect(comparable(c, out)).toEqual(comparable(c, expected));
        });
      }
    });
  }
});
