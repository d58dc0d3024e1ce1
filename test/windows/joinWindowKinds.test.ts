/**
 * `join_window` over sliding and session windows against Bytewax 0.21.1 itself: the scenarios of
 * test/windows/bytewax21/joinWindowKinds.json (written by joinWindowKinds.py next to it, which runs
 * each through Bytewax; see there how to re-run it), in every insert and emit mode, on every entry
 * point. As in the Python flow: one input of `[side, key, { t, v }]` events, a branch per side, an
 * event clock on `t` and a system time that never moves (windows close by items and at end of
 * input). Among them: items in two sliding windows at once, and out-of-order items that bridge two
 * sessions, whose merge follows Bytewax's `on_merge` in each insert mode.
 *
 * Rows caused by an item (running, complete) are compared in order per key (keys live on different
 * workers); `final` rows as a multiset (Bytewax closes windows in hash-map order). Eddy's rows carry
 * no window id (Bytewax's `down` stream pairs each row with one).
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SessionWindowConfig, SlidingWindowConfig, type WindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { JoinEmitMode, JoinInsertMode } from "../../engine/dataflow/steps.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { frozenClock } from "../helpers/frozenClock.js";
import { sideStreams } from "../helpers/sideStreams.js";

type WindowBlock = { type: "sliding"; length: number; offset: number } | { type: "session"; gap: number };
type Event = [number, string, { t: number; v: unknown }];

interface BytewaxJoinWindowKindsCase {
  readonly name: string;
  readonly sides: number;
  readonly window: WindowBlock;
  readonly wait: number;
  readonly insertMode: JoinInsertMode;
  readonly emitMode: JoinEmitMode;
  readonly events: Event[];
  readonly expected: [string, number, unknown[]][];
}

const fixture = JSON.parse(readFileSync(new URL("./bytewax21/joinWindowKinds.json", import.meta.url), "utf8")) as { bytewax: string; cases: BytewaxJoinWindowKindsCase[] };

function windowOf(block: WindowBlock): WindowConfig {
  return block.type === "sliding" ? new SlidingWindowConfig(block.length, block.offset, { startAt: 0 }) : new SessionWindowConfig(block.gap);
}

const valueOf = (x: unknown) => (x === null ? null : (x as { v: unknown }).v);

function joinWindowOf(c: BytewaxJoinWindowKindsCase, out: unknown[]): Dataflow {
  const flow = new Dataflow();
  const events = flow.input("inp", fromWorkerZero(c.events)).stream();
  return flow
    .joinWindow("join", new EventClockConfig((value: { t: number }) => value.t, c.wait), windowOf(c.window), sideStreams(flow, events, c.sides), { insertMode: c.insertMode, emitMode: c.emitMode })
    .map(([key, row]: [string, unknown[]]) => [key, row.map(valueOf)])
    .capture(new TestingOutputConfig(out));
}

/** Rows per key in order (running, complete), or as a multiset (final). */
function comparable(c: BytewaxJoinWindowKindsCase, rows: readonly [string, unknown[]][]): unknown {
  if (c.emitMode === "final") return sorted(rows);
  const byKey: Record<string, unknown[][]> = {};
  for (const [key, row] of rows) (byKey[key] ??= []).push(row);
  return byKey;
}

describe(`join_window over sliding and session windows matches Bytewax ${fixture.bytewax}`, () => {
  it("the fixture has every scenario in every mode, with sessions that merge", () => {
    expect(fixture.bytewax).toBe("0.21.1");
    expect(new Set(fixture.cases.map((c) => c.window.type))).toEqual(new Set(["sliding", "session"]));
    expect(new Set(fixture.cases.map((c) => `${c.insertMode} ${c.emitMode}`)).size).toBe(9);
    expect(fixture.cases.filter((c) => c.name.includes("bridges")).length).toBe(2 * 9);
  });

  for (const entry of ENTRY_POINTS) {
    describe(entry.name, () => {
      for (const c of fixture.cases) {
        it(`${c.name}: insert ${c.insertMode}, emit ${c.emitMode}`, async () => {
          const out: [string, unknown[]][] = [];
          await entry.run(joinWindowOf(c, out), { epochConfig: new TestingEpochConfig(), host: { clock: frozenClock(1_000_000) } });
          const expected = c.expected.map(([key, , row]): [string, unknown[]] => [key, row]);
          expect(comparable(c, out)).toEqual(comparable(c, expected));
        });
      }
    });
  }
});
