/**
 * The flow-file op `join`: `after` lists the sides in order (at least two), `insertMode` and
 * `emitMode` name Bytewax 0.21's modes (defaults: last, complete); validation reports wrong ones
 * with their paths; compiled, the sides keep their order in `upstream`.
 */

import { describe, expect, it } from "vitest";
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

  it("reports one side, unknown modes and foreign fields, each at its path", () => {
    expect(validateFlow(flowOf({ after: ["left"], insertMode: "firstt", emitMode: 3, fn: "x => x" }))).toEqual([
      {
        code: "FLOW_INVALID_VALUE",
        path: "/steps/2/after",
        stepId: "joined",
        message: 'Step "joined" (join): a join\'s `after` lists its sides, in order, and needs at least two step ids; got ["left"]',
      },
      { code: "FLOW_INVALID_VALUE", path: "/steps/2/insertMode", stepId: "joined", message: 'Step "joined" (join): `insertMode` should be "first", "last" or "product"; got "firstt"' },
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/emitMode", stepId: "joined", message: 'Step "joined" (join): `emitMode` should be "complete", "final" or "running"; got 3' },
      {
        code: "FLOW_UNKNOWN_FIELD",
        path: "/steps/2/fn",
        stepId: "joined",
        message: 'Step "joined" (join): unknown field `fn`; expected one of: id, op, after, insertMode, emitMode, label, notes',
      },
    ]);
  });

  it("refuses a side named twice", () => {
    expect(validateFlow(flowOf({ after: ["left", "left"] })).map((problem) => [problem.code, problem.path])).toEqual([["FLOW_DUPLICATE_AFTER", "/steps/2/after/1"]]);
  });
});
