/**
 * Disabling steps in the editor: the toggle (one step, a selection, undo and redo, the exported
 * file), and the run plan: an unconnected or half-configured step is a warning that runs skip
 * (with what depends only on it), unless skipping it would leave nothing to run.
 */

import { describe, expect, it } from "vitest";
import { validateFlowReport, type FlowDefinition } from "../../../engine/flow/index.js";
import { addStep, connect, isDisabled, newFlow, notRunLabel, problemOnCanvas, runPlan, toggleDisabled, updateStepField } from "../../../studio/state/document.js";
import { createEditorStore } from "../../../studio/state/editorStore.js";
import { exportFlow, importFlow } from "../../../studio/state/exportFlow.js";
import { stepByKey } from "../../../studio/state/steps.js";
import { problemsByStep } from "../../../studio/state/validation.js";

/** source → transform → out, plus a branch transform → side → side-out. */
function branchedFlow(): FlowDefinition {
  let doc = addStep(newFlow("t"), "map", { x: 600, y: 200 }, { id: "side", after: ["transform"] }).doc;
  doc = addStep(doc, "capture", { x: 900, y: 200 }, { id: "side-out", after: ["side"] }).doc;
  return doc;
}

describe("toggleDisabled", () => {
  it("writes \"disabled\": true into the step, and removes the field when enabling; other steps keep their identity", () => {
    const doc = newFlow("t");
    const disabled = toggleDisabled(doc, ["transform"]);
    expect(stepByKey(disabled, "transform")).toMatchObject({ id: "transform", disabled: true });
    expect(isDisabled(disabled, "transform")).toBe(true);
    expect(disabled.steps[0]).toBe(doc.steps[0]);
    const enabled = toggleDisabled(disabled, ["transform"]);
    expect(stepByKey(enabled, "transform")).toEqual(stepByKey(doc, "transform"));
    expect(Object.keys(stepByKey(enabled, "transform")!)).not.toContain("disabled");
  });

  it("a selection with some steps enabled disables them all; once all are disabled it enables them all", () => {
    const doc = toggleDisabled(newFlow("t"), ["transform"]);
    const all = toggleDisabled(doc, ["transform", "out"]);
    expect([isDisabled(all, "transform"), isDisabled(all, "out")]).toEqual([true, true]);
    const none = toggleDisabled(all, ["out", "transform"]);
    expect([isDisabled(none, "transform"), isDisabled(none, "out")]).toEqual([false, false]);
  });

  it("a disabled step stays disabled when its kind changes", () => {
    const doc = updateStepField(toggleDisabled(newFlow("t"), ["transform"]), "transform", ["op"], "filter");
    expect(stepByKey(doc, "transform")).toMatchObject({ op: "filter", disabled: true });
  });

  it("changes nothing for keys that name no step", () => {
    const doc = newFlow("t");
    expect(toggleDisabled(doc, [])).toBe(doc);
    expect(toggleDisabled(doc, ["nowhere"])).toBe(doc);
  });

  it("the exported flow file holds \"disabled\": true in the schema's key order, and imports back", () => {
    const text = exportFlow(toggleDisabled(newFlow("t"), ["transform"]));
    expect(text).toContain('"id": "transform",\n      "op": "map",\n      "after": [\n        "source"\n      ],\n      "disabled": true,\n      "fn"');
    const imported = importFlow(text);
    expect(imported.ok && isDisabled(imported.doc, "transform")).toBe(true);
  });
});

describe("the editor store's toggle", () => {
  it("disables the selection as one undo step; undo and redo bring it back and forth", () => {
    const store = createEditorStore(newFlow("t"));
    const before = store.getState().doc;
    store.getState().select(["transform"]);
    store.getState().toggleDisabled();
    expect(isDisabled(store.getState().doc, "transform")).toBe(true);
    expect(store.getState().dirty).toBe(true);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
    expect(isDisabled(store.getState().doc, "transform")).toBe(false);
    store.getState().redo();
    expect(isDisabled(store.getState().doc, "transform")).toBe(true);
  });

  it("toggles given steps without a selection, and does nothing with neither", () => {
    const store = createEditorStore(newFlow("t"));
    const before = store.getState().doc;
    store.getState().toggleDisabled();
    expect(store.getState().doc).toBe(before);
    expect(store.getState().canUndo).toBe(false);
    store.getState().toggleDisabled(["out"]);
    expect(isDisabled(store.getState().doc, "out")).toBe(true);
  });

  it("the problems after disabling a step say what does not run", () => {
    const store = createEditorStore(branchedFlow());
    store.getState().toggleDisabled(["side"]);
    expect(runPlan(store.getState().doc).notRun).toEqual(
      new Map([
        ["side", "disabled"],
        ["side-out", "skipped"],
      ]),
    );
    expect(store.getState().problems.errors).toEqual([]);
  });
});

describe("runPlan: what a simulated run runs", () => {
  it("every step of a complete flow runs; the run document is the document", () => {
    const doc = newFlow("t");
    const plan = runPlan(doc);
    expect(plan.runDoc).toBe(doc);
    expect(plan.notRun.size).toBe(0);
    expect(plan.report.errors).toEqual([]);
    expect(runPlan(doc)).toBe(plan);
  });

  it("an unconnected step is a warning; runs skip it, in the run document only", () => {
    const doc = addStep(newFlow("t"), "map", { x: 0, y: 400 }, { id: "stray" }).doc;
    expect(validateFlowReport(doc).errors.map((problem) => problem.code)).toEqual(["FLOW_MISSING_FIELD"]);
    const plan = runPlan(doc);
    expect(plan.report.errors).toEqual([]);
    expect(plan.report.warnings.map((problem) => [problem.code, problem.path, problem.severity])).toEqual([["FLOW_MISSING_FIELD", "/steps/3/after", "warning"]]);
    expect(plan.notRun).toEqual(new Map([["stray", "unfinished"]]));
    expect(isDisabled(plan.runDoc, "stray")).toBe(true);
    expect(isDisabled(doc, "stray")).toBe(false);
    expect(validateFlowReport(plan.runDoc).errors).toEqual([]);
    expect(notRunLabel("unfinished", plan.report.warnings)).toBe("skipped: not connected");
    expect(problemOnCanvas(plan.report.warnings[0]!)).toBe("Nothing feeds this step: drag from another step's right handle to its left handle.");
  });

  it("a half-configured step in a branch is skipped with what depends only on it; the rest runs", () => {
    const doc = updateStepField(branchedFlow(), "side", ["fn"], "x => (");
    const plan = runPlan(doc);
    expect(plan.report.errors).toEqual([]);
    expect(plan.notRun).toEqual(
      new Map([
        ["side", "unfinished"],
        ["side-out", "skipped"],
      ]),
    );
    expect(notRunLabel("unfinished", problemsByStep(doc).byStep.get("side"))).toBe("skipped: it has problems");
    expect(notRunLabel("skipped")).toBe("skipped: only steps that do not run feed it");
    expect(problemsByStep(doc).byStep.get("side")!.map((problem) => [problem.code, problem.severity])).toEqual([["FLOW_FUNCTION_SYNTAX", "warning"]]);
  });

  it("a broken step that everything runs through stays an error: skipping it would leave no capture that runs", () => {
    let doc = addStep(newFlow("t"), "filter", { x: 0, y: 400 }, { id: "stray" }).doc;
    doc = updateStepField(doc, "transform", ["fn"], "item => (");
    const plan = runPlan(doc);
    expect(plan.notRun).toEqual(new Map([["stray", "unfinished"]]));
    expect(plan.report.errors.map((problem) => [problem.code, problem.stepId])).toEqual([["FLOW_FUNCTION_SYNTAX", "transform"]]);
    expect(problemsByStep(doc).errors).toHaveLength(1);
    expect(problemsByStep(doc).byStep.get("stray")![0]!.severity).toBe("warning");
  });

  it("a half-configured only input stays an error; an unconnected capture beside one that runs is skipped", () => {
    const noSource = updateStepField(newFlow("t"), "source", ["input", "type"], "file");
    const pathless = updateStepField(noSource, "source", ["input", "path"], "");
    expect(runPlan(pathless).report.errors.map((problem) => problem.stepId)).toEqual(["source"]);
    expect(runPlan(pathless).notRun.size).toBe(0);

    const strayCapture = addStep(newFlow("t"), "capture", { x: 0, y: 400 }, { id: "out2" }).doc;
    expect(runPlan(strayCapture).notRun).toEqual(new Map([["out2", "unfinished"]]));
    expect(runPlan(strayCapture).report.errors).toEqual([]);
  });

  it("connecting the stray step makes it run again", () => {
    const doc = addStep(newFlow("t"), "map", { x: 0, y: 400 }, { id: "stray" }).doc;
    const connected = connect(doc, "source", "stray");
    expect(runPlan(connected).notRun.size).toBe(0);
    expect(runPlan(connected).runDoc).toBe(connected);
  });

  it("a disabled step keeps being \"disabled\" even when it is half-configured", () => {
    const doc = toggleDisabled(updateStepField(branchedFlow(), "side", ["fn"], "x => ("), ["side"]);
    expect(runPlan(doc).notRun.get("side")).toBe("disabled");
    expect(runPlan(doc).runDoc).toBe(doc);
  });
});
