/** Problems mapped to steps and fields for the editor. */

import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../../engine/flow/index.js";
import { newFlow, removeSteps, updateStepField } from "../../../studio/state/document.js";
import { executionFieldOfProblem, fieldOfProblem, problemsByStep } from "../../../studio/state/validation.js";

describe("problemsByStep", () => {
  it("shows a bad fn under its step, on the field ['fn']", () => {
    const doc = updateStepField(newFlow("t"), "transform", ["fn"], "item => (");
    const { byStep, flow, all } = problemsByStep(doc);
    expect(flow).toEqual([]);
    expect([...byStep.keys()]).toEqual(["transform"]);
    const [problem] = byStep.get("transform")!;
    expect(problem!.code).toBe("FLOW_FUNCTION_SYNTAX");
    expect(fieldOfProblem(problem!)).toEqual(["fn"]);
    expect(all).toHaveLength(1);
  });

  it("keeps flow-level problems apart, and maps block fields", () => {
    let doc = removeSteps(newFlow("t"), ["out"]);
    doc = updateStepField(doc, "source", ["input", "type"], "file");
    doc = updateStepField(doc, "source", ["input", "path"], "");
    doc = { ...doc, execution: { epoch: { type: "periodic", length: -1 } } };
    const { byStep, flow } = problemsByStep(doc);
    expect(flow.map((problem) => problem.code).sort()).toEqual(["FLOW_INVALID_VALUE", "FLOW_NO_CAPTURE"]);
    expect(flow.map((problem) => executionFieldOfProblem(problem))).toContainEqual(["epoch", "length"]);
    expect(fieldOfProblem(byStep.get("source")![0]!)).toEqual(["input", "path"]);
    expect(fieldOfProblem(flow[0]!)).toBeUndefined();
  });

  it("maps problems of steps without a usable id through their index (#N)", () => {
    const doc = {
      format: "eddy.flow",
      version: 1,
      steps: [
        { id: "a", op: "input", input: { type: "list", items: [] } },
        { id: "a", op: "capture", after: ["a"], output: { type: "stdout" } },
        { op: "map", after: ["a"], fn: "x => x" },
      ],
    } as unknown as FlowDefinition;
    const { byStep } = problemsByStep(doc);
    expect(byStep.get("#1")!.map((problem) => problem.code)).toContain("FLOW_DUPLICATE_STEP_ID");
    expect(byStep.get("#2")!.map((problem) => problem.code)).toContain("FLOW_MISSING_FIELD");
    expect(fieldOfProblem(byStep.get("#2")![0]!)).toEqual(["id"]);
    expect(byStep.has("a")).toBe(false);
  });

  it("is memoized on document identity", () => {
    const doc = newFlow("t");
    expect(problemsByStep(doc)).toBe(problemsByStep(doc));
    expect(problemsByStep({ ...doc })).not.toBe(problemsByStep(doc));
  });
});
