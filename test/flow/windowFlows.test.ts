/**
 * Window steps in flow files: sliding and session blocks become the engine's configs,
 * collect_window and count_window steps, `withWindow` and `merger` compile; `"after": ["ID:late"]`
 * becomes a reference to the step's late output; and a flow file gives what the same flow built
 * in TypeScript gives, late items included, on 1 and 3 workers.
 */

import { describe, expect, it } from "vitest";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SessionWindowConfig, SlidingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { Blueprint, FoldWindowStep, Step, WindowStep } from "../../engine/dataflow/steps.js";
import { compileFlow } from "../../engine/flow/compile.js";
import type { FlowDefinition, FlowStep } from "../../engine/flow/schema.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

function flowOf(steps: FlowStep[]): FlowDefinition {
  return { format: "eddy.flow", version: 1, steps };
}

/** Clicks `{ user, t }`, all read by worker 0 in this order (so lateness is the same on any number of workers). */
const CLICKS = [
  { user: "ada", t: 0 },
  { user: "ada", t: 4 },
  { user: "bob", t: 5 },
  { user: "ada", t: 30 },
  { user: "bob", t: 9 },
  { user: "ada", t: 2 },
  { user: "ada", t: 38 },
  { user: "bob", t: 40 },
  { user: "bob", t: 20 },
];

const clicksInput = `(workerIndex) => workerIndex === 0 ? ${JSON.stringify(CLICKS)}.map((click, i) => [i + 1, click]) : []`;

/** Steps after "clicks": per user, sessions with a 10 ms gap; late clicks to their own capture. */
function sessionFlowFile(out: string, late: string): FlowDefinition {
  return flowOf([
    { id: "clicks", op: "input", input: { type: "function", fn: clicksInput } },
    { id: "keyed", op: "map", after: ["clicks"], fn: "click => [click.user, click]" },
    {
      id: "sessions",
      op: "fold_window",
      after: ["keyed"],
      clock: { type: "event", fn: "click => click.t", waitForSystemDuration: 0 },
      window: { type: "session", gap: 10 },
      builder: "() => []",
      fn: "(acc, click) => [...acc, click.t]",
      merger: "(earlier, later) => [...earlier, ...later]",
      withWindow: true,
    },
    { id: "out", op: "capture", after: ["sessions"], output: { type: "function", fn: `() => (item) => globalThis.${out}.push(item)` } },
    { id: "late", op: "capture", after: ["sessions:late"], output: { type: "function", fn: `() => (item) => globalThis.${late}.push(item)` } },
  ]);
}

describe("window steps in flow files", () => {
  it("compile sliding and session blocks, collect_window, count_window, withWindow, merger and ID:late", () => {
    const { flow } = compileFlow(
      flowOf([
        { id: "inp", op: "input", input: { type: "list", items: [] } },
        { id: "slide", op: "collect_window", after: ["inp"], clock: { type: "system" }, window: { type: "sliding", length: 60_000, offset: 10_000, startAt: "2024-01-01T00:00:00Z" }, withWindow: true },
        { id: "sess", op: "count_window", after: ["inp"], clock: { type: "system" }, window: { type: "session", gap: 5000 } },
        { id: "fold", op: "fold_window", after: ["inp"], clock: { type: "system" }, window: { type: "session", gap: 0 }, builder: "() => 0", fn: "(a, v) => a + v", merger: "(a, b) => a + b", withWindow: false },
        { id: "out", op: "capture", after: ["slide", "sess:late", "fold"], output: { type: "stdout" } },
      ]),
    );
    const step = (id: string) => flow.steps.find((s) => s.stepId === id)! as Step;
    const slide = step("slide") as WindowStep;
    expect(slide.op).toBe("collect_window");
    expect(slide.window).toBeInstanceOf(SlidingWindowConfig);
    expect(slide.window).toMatchObject({ length: 60_000, offset: 10_000, startAt: Date.UTC(2024, 0, 1) });
    expect(slide.withWindow).toBe(true);
    const sess = step("sess") as WindowStep;
    expect(sess.op).toBe("count_window");
    expect(sess.window).toBeInstanceOf(SessionWindowConfig);
    expect((sess.window as SessionWindowConfig).gap).toBe(5000);
    expect("withWindow" in sess).toBe(false);
    const fold = step("fold") as FoldWindowStep;
    expect(fold.merger!(2, 3)).toBe(5);
    expect("withWindow" in fold).toBe(false);
    const index = (id: string) => flow.steps.findIndex((s) => s.stepId === id);
    expect(step("out").upstream).toEqual([index("slide"), { step: index("sess"), output: "late" }, index("fold")]);
  });

  for (const workerCount of [1, 3]) {
    it(`a flow file with a late capture gives what the same flow built in TypeScript gives (${workerCount} worker${workerCount > 1 ? "s" : ""})`, async () => {
      const globals = globalThis as unknown as Record<string, unknown[]>;
      globals.__windowFlowOut = [];
      globals.__windowFlowLate = [];
      try {
        const { flow } = compileFlow(sessionFlowFile("__windowFlowOut", "__windowFlowLate"));
        await execute(flow, { workerCount, errors: "wrapped", host: testHost({ clock: new VirtualClock(0) }) });

        const out: unknown[] = [];
        const late: unknown[] = [];
        const built = new Dataflow()
          .input("clicks", fromWorkerZero(CLICKS))
          .map((click: { user: string }) => [click.user, click])
          .foldWindow(
            "sessions",
            new EventClockConfig((click: { t: number }) => click.t, 0),
            new SessionWindowConfig(10),
            () => [] as number[],
            (acc: number[], click: { t: number }) => [...acc, click.t],
            (earlier: number[], later: number[]) => [...earlier, ...later],
            { withWindow: true },
          )
          .capture(new TestingOutputConfig(out));
        // The TypeScript builder is linear: the late capture is added to its blueprint.
        const blueprint: Blueprint = { steps: [...built.steps, { op: "capture", stepId: "late", upstream: [{ step: 2, output: "late" }], config: new TestingOutputConfig(late) }] };
        await execute(blueprint, { workerCount, errors: "wrapped", host: testHost({ clock: new VirtualClock(0) }) });

        // ada: 0, 4 (then 30 closes [0, 4]; 2 is late), 30, 38. bob: 5, 9 (40 closes [5, 9]; 20 is late), 40.
        expect(sorted(globals.__windowFlowOut)).toEqual(
          sorted([
            ["ada", [0, 4, [0, 4]]],
            ["ada", [30, 38, [30, 38]]],
            ["bob", [5, 9, [5, 9]]],
            ["bob", [40, 40, [40]]],
          ]),
        );
        expect(sorted(globals.__windowFlowLate)).toEqual(sorted([["ada", { user: "ada", t: 2 }], ["bob", { user: "bob", t: 20 }]]));
        expect(sorted(out)).toEqual(sorted(globals.__windowFlowOut));
        expect(sorted(late)).toEqual(sorted(globals.__windowFlowLate));
      } finally {
        delete globals.__windowFlowOut;
        delete globals.__windowFlowLate;
      }
    });
  }
});
