/**
 * Sliding, session and tumbling window scenarios against what Bytewax 0.21.1 itself emitted for
 * them (test/windows/bytewax21/windowScenarios.json, written by windowScenarios.py next to it; see
 * there how to re-run it and which differences the scenarios stay clear of). Each scenario runs
 * through Eddy with `withWindow: true` and a capture on the step's late output, on 1, 2 and 4
 * workers, with an event clock on a clock that stands still (as the script's frozen `now_getter`).
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SessionWindowConfig, SlidingWindowConfig, TumblingWindowConfig, type WindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { Blueprint } from "../../engine/dataflow/steps.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { fromWorkerZero } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

type Value = { t: number; v: number };
type WindowSpec = { type: "sliding"; length: number; offset: number; startAt: number } | { type: "session"; gap: number } | { type: "tumbling"; length: number; startAt: number };

interface Scenario {
  readonly name: string;
  readonly window: WindowSpec;
  readonly op: "collect" | "count" | "reduce" | "fold_sum" | "fold_list";
  readonly wait: number;
  readonly items: [string, Value][];
  readonly expected: { down: unknown[]; late: unknown[] };
}

const fixture = JSON.parse(readFileSync(new URL("./bytewax21/windowScenarios.json", import.meta.url), "utf8")) as { bytewax: string; scenarios: Scenario[] };

function windowOf(spec: WindowSpec): WindowConfig {
  switch (spec.type) {
    case "sliding":
      return new SlidingWindowConfig(spec.length, spec.offset, { startAt: spec.startAt });
    case "session":
      return new SessionWindowConfig(spec.gap);
    case "tumbling":
      return new TumblingWindowConfig(spec.length, { startAt: spec.startAt });
  }
}

function flowOf(s: Scenario, out: unknown[], late: unknown[]): Blueprint {
  const clock = new EventClockConfig((value: Value) => value.t, s.wait);
  const window = windowOf(s.window);
  const options = { withWindow: true };
  const flow = new Dataflow().input("inp", fromWorkerZero(s.items));
  switch (s.op) {
    case "collect":
      flow.collectWindow("w", clock, window, options);
      break;
    case "count":
      flow.countWindow("w", clock, window, options);
      break;
    case "reduce":
      flow.reduceWindow("w", clock, window, (a: Value, b: Value) => ({ t: Math.min(a.t, b.t), v: a.v + b.v }), options);
      break;
    case "fold_sum":
      flow.foldWindow("w", clock, window, () => 0, (acc: number, value: Value) => acc + value.v, (a: number, b: number) => a + b, options);
      break;
    case "fold_list":
      flow.foldWindow("w", clock, window, () => [] as number[], (acc: number[], value: Value) => [...acc, value.v], (a: number[], b: number[]) => [...a, ...b], options);
      break;
  }
  flow.capture(new TestingOutputConfig(out));
  return { steps: [...flow.steps, { op: "capture", stepId: "late", upstream: [{ step: 1, output: "late" }], config: new TestingOutputConfig(late) }] };
}

/** Bytewax's order across keys and windows is hash-map order: both sides are compared sorted by JSON text (object keys sorted). */
function canonical(items: readonly unknown[]): unknown[] {
  const text = (value: unknown): string =>
    JSON.stringify(value, (_key, inner: unknown) =>
      inner !== null && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner,
    );
  return [...items].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

describe("window scenarios against Bytewax 0.21.1", () => {
  it("come from Bytewax 0.21.1, and cover sliding, session and tumbling windows, late items and merges", () => {
    expect(fixture.bytewax).toBe("0.21.1");
    expect(new Set(fixture.scenarios.map((s) => s.window.type))).toEqual(new Set(["sliding", "session", "tumbling"]));
    expect(fixture.scenarios.filter((s) => s.expected.late.length > 0).length).toBeGreaterThanOrEqual(3);
    expect(fixture.scenarios.length).toBeGreaterThanOrEqual(15);
  });

  for (const scenario of fixture.scenarios) {
    for (const workerCount of [1, 2, 4]) {
      it(`${scenario.name} (${workerCount} worker${workerCount > 1 ? "s" : ""})`, async () => {
        const out: unknown[] = [];
        const late: unknown[] = [];
        await execute(flowOf(scenario, out, late), { workerCount, errors: "wrapped", host: testHost({ clock: new VirtualClock(0) }) });
        expect(canonical(out)).toEqual(canonical(scenario.expected.down));
        expect(canonical(late)).toEqual(canonical(scenario.expected.late));
      });
    }
  }
});
