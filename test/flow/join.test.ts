/**
 * The flow-file ops `join` and `join_window`: `after` lists the sides in order (one or more, as in
 * Bytewax),
 * `insertMode` and `emitMode` name Bytewax 0.21's modes (defaults: last, and complete for `join`,
 * final for `join_window`); `join_window` takes a clock and a window as the window steps do;
 * validation reports wrong ones with their paths; compiled, the sides keep their order in `upstream`.
 */

import { describe, expect, it } from "vitest";
import { EventClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { compileFlow } from "../../engine/flow/compile.js";
import type { FlowDefinition, FlowStep } from "../../engine/flow/schema.js";
import { validateFlow } from "../../engine/flow/validateFlow.js";

function flowOf(join: Record<string, unknown>): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "left", op: "input", input: { type: "list", items: [] } },
      { id: "right", op: "input", input: { type: "list", items: [] } },
      { id: "joined", op: "join", ...join } as FlowStep,
      { id: "out", op: "capture", after: ["joined"], output: { type: "stdout" } },
    ],
  };
}

describe("the join op in flow files", () => {
  it("is valid with two sides and no modes, and compiles with Bytewax's defaults, sides in order", () => {
    const flow = flowOf({ after: ["right", "left"] });
    expect(validateFlow(flow)).toEqual([]);
    const join = compileFlow(flow).flow.steps[2]!;
    expect(join).toEqual({ op: "join", stepId: "joined", upstream: [1, 0], insertMode: "last", emitMode: "complete" });
  });

  it("takes every mode", () => {
    for (const insertMode of ["first", "last", "product"]) {
      for (const emitMode of ["complete", "final", "running"]) {
        const flow = flowOf({ after: ["left", "right"], insertMode, emitMode });
        expect(validateFlow(flow)).toEqual([]);
        expect(compileFlow(flow).flow.steps[2]).toMatchObject({ insertMode, emitMode, upstream: [0, 1] });
      }
    }
  });

  it("takes one side, as Bytewax does (the studio adds a join after one step, then connects more)", () => {
    expect(validateFlow(flowOf({ after: ["left"] }))).toEqual([]);
  });

  it("reports no side, unknown modes and foreign fields, each at its path", () => {
    expect(validateFlow(flowOf({ after: [], insertMode: "firstt", emitMode: 3, fn: "x => x" }))).toEqual([
      {
        code: "FLOW_INVALID_VALUE",
        path: "/steps/2/after",
        stepId: "joined",
        message: 'Step "joined" (join): `after` should be a non-empty array of step ids (the steps that feed this one); got []',
      },
      { code: "FLOW_INVALID_VALUE", path: "/steps/2/insertMode", stepId: "joined", message: 'Step "joined" (join): `insertMode` should be "first", "last" or "product"; got "firstt"' },
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/emitMode", stepId: "joined", message: 'Step "joined" (join): `emitMode` should be "complete", "final" or "running"; got 3' },
      {
        code: "FLOW_UNKNOWN_FIELD",
        path: "/steps/2/fn",
        stepId: "joined",
        message: 'Step "joined" (join): unknown field `fn`; expected one of: id, op, after, disabled, insertMode, emitMode, label, notes',
      },
    ]);
  });

  it("refuses a side named twice", () => {
    expect(validateFlow(flowOf({ after: ["left", "left"] })).map((problem) => [problem.code, problem.path])).toEqual([["FLOW_DUPLICATE_AFTER", "/steps/2/after/1"]]);
  });
});

describe("the join_window op in flow files", () => {
  const clock = { type: "event", fn: "v => v.at", waitForSystemDuration: 500 };
  const window = { type: "tumbling", length: 60000, startAt: 0 };

  it("compiles its clock and window, the sides in order, emitMode final by default", () => {
    const flow = flowOf({ op: "join_window", after: ["right", "left"], clock, window });
    expect(validateFlow(flow)).toEqual([]);
    const step = compileFlow(flow).flow.steps[2]!;
    expect(step).toMatchObject({ op: "join_window", stepId: "joined", upstream: [1, 0], insertMode: "last", emitMode: "final" });
    const { clock: compiledClock, window: compiledWindow } = step as unknown as { clock: EventClockConfig; window: TumblingWindowConfig };
    expect(compiledClock).toBeInstanceOf(EventClockConfig);
    expect(compiledClock.waitForSystemDuration).toBe(500);
    expect(compiledClock.dtGetter({ at: 7 })).toBe(7);
    expect(compiledWindow).toEqual(new TumblingWindowConfig(60000, { startAt: 0 }));
  });

  it("reports no side, a missing clock or window, and a clock function that does not parse", () => {
    const problems = validateFlow(flowOf({ op: "join_window", after: [], clock: { ...clock, fn: "v =>" }, emitMode: "sometimes" }));
    expect(problems.map((problem) => [problem.code, problem.path])).toEqual([
      ["FLOW_INVALID_VALUE", "/steps/2/after"],
      ["FLOW_FUNCTION_SYNTAX", "/steps/2/clock/fn"],
      ["FLOW_INVALID_VALUE", "/steps/2/emitMode"],
      ["FLOW_MISSING_FIELD", "/steps/2/window"],
    ]);
  });
});
