/**
 * Window outputs and their epochs, against what Bytewax 0.11.2 itself emitted for the same flows
 * (test/windows/bytewax/windowEpochs.json, written by windowEpochs.py next to it; see there how to
 * re-run it). With TestingClockConfig, a key's time moves on by itemIncr after each item, and the
 * wake-up that follows in the same epoch closes every window whose close time that time passed.
 */

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { PeriodicEpochConfig, TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ENTRY_POINTS, fromWorkerZero } from "../helpers/entryPoints.js";

interface BytewaxCase {
  readonly name: string;
  readonly items: [string, number][];
  readonly itemIncr: number;
  readonly clockStartAt: number;
  readonly length: number;
  readonly windowStartAt: number;
  readonly op: "fold" | "reduce";
  readonly epochs: "testing" | "periodic";
  readonly expected: [number, [string, unknown]][];
}

const fixture = JSON.parse(readFileSync(new URL("./bytewax/windowEpochs.json", import.meta.url), "utf8")) as {
  base: string;
  cases: BytewaxCase[];
};
const BASE = Date.parse(fixture.base);

/** Bytewax's order within an epoch is hash-map order; the script sorts by epoch, then by JSON text. */
function canonical(out: unknown[]): unknown[] {
  return [...(out as [number, unknown][])].sort((a, b) => a[0] - b[0] || (JSON.stringify(a[1]) < JSON.stringify(b[1]) ? -1 : JSON.stringify(a[1]) > JSON.stringify(b[1]) ? 1 : 0));
}

function flowOf(c: BytewaxCase, out: unknown[]): Dataflow {
  const clock = new TestingClockConfig(c.itemIncr, BASE + c.clockStartAt);
  const window = new TumblingWindowConfig(c.length, { startAt: BASE + c.windowStartAt });
  const flow = new Dataflow().input("inp", fromWorkerZero(c.items));
  if (c.op === "fold") flow.foldWindow("win", clock, window, () => [] as unknown[], (acc: unknown[], v: unknown) => [...acc, v]);
  else flow.reduceWindow("win", clock, window, (a: number, b: number) => a + b);
  return flow.capture(new TestingEpochOutputConfig(out));
}

describe("window epochs match Bytewax 0.11.2", () => {
  it("the fixture has every case", () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(15);
  });

  for (const entry of ENTRY_POINTS) {
    describe(entry.name, () => {
      for (const c of fixture.cases) {
        it(c.name, async () => {
          const out: unknown[] = [];
          // All items in epoch 0 with 100 s periodic epochs, as in the Python run.
          const epochConfig = c.epochs === "testing" ? new TestingEpochConfig() : new PeriodicEpochConfig(100_000);
          await entry.run(flowOf(c, out), { epochConfig });
          expect(canonical(out)).toEqual(c.expected);
        });
      }
    });
  }
});
