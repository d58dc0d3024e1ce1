/** The editor store: actions, undo grouping with an injected clock, selection, dirty flag. */

import { describe, expect, it } from "vitest";
import { validateFlow } from "../../../engine/flow/index.js";
import { newFlow } from "../../../studio/state/document.js";
import { createEditorStore } from "../../../studio/state/editorStore.js";

function setup() {
  let time = 0;
  const store = createEditorStore(newFlow("t"), { now: () => time });
  return { store, tick: (ms: number) => (time += ms) };
}

describe("editor store", () => {
  it("three keystrokes in one field within a second are one undo step", () => {
    const { store, tick } = setup();
    const before = store.getState().doc;
    for (const text of ["x", "x ", "x =>"]) {
      store.getState().updateStepField("transform", ["fn"], text);
      tick(300);
    }
    expect(store.getState().problems.byStep.get("transform")?.[0]?.code).toBe("FLOW_FUNCTION_SYNTAX");
    store.getState().updateStepField("transform", ["fn"], "x => x");
    expect(store.getState().problems.all).toEqual([]);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
    expect(store.getState().canUndo).toBe(false);
    expect(store.getState().canRedo).toBe(true);
  });

  it("leaving a field (endEditGroup) or changing the selection ends its undo step, even within a second", () => {
    const { store, tick } = setup();
    const before = store.getState().doc;
    store.getState().updateStepField("transform", ["fn"], "x => x + 1");
    const first = store.getState().doc;
    store.getState().endEditGroup();
    tick(100);
    store.getState().updateStepField("transform", ["fn"], "x => x + 2");
    store.getState().select(["transform"]);
    tick(100);
    store.getState().updateStepField("transform", ["fn"], "x => x + 3");
    store.getState().undo();
    expect(store.getState().doc.steps.find((step) => step.id === "transform")).toMatchObject({ fn: "x => x + 2" });
    store.getState().undo();
    expect(store.getState().doc).toBe(first);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
  });

  it("a drag is one undo step however long it takes; the next drag is another", () => {
    const { store, tick } = setup();
    const start = store.getState().doc;
    for (let x = 0; x <= 100; x += 10) {
      store.getState().moveSteps({ out: { x: 600 + x, y: x } }, { final: x === 100 });
      tick(400);
    }
    const afterFirst = store.getState().doc;
    store.getState().moveSteps({ out: { x: 0, y: 300 } });
    store.getState().moveSteps({ out: { x: 0, y: 320 } }, { final: true });
    store.getState().undo();
    expect(store.getState().doc).toBe(afterFirst);
    store.getState().undo();
    expect(store.getState().doc).toBe(start);
  });

  it("after undo, a new edit clears redo", () => {
    const { store } = setup();
    store.getState().addStep("filter", { x: 0, y: 300 });
    store.getState().undo();
    expect(store.getState().canRedo).toBe(true);
    store.getState().setFlowField("name", "renamed");
    expect(store.getState().canRedo).toBe(false);
    expect(store.getState().doc.name).toBe("renamed");
  });

  it("selection is not history, and never names a missing step", () => {
    const { store } = setup();
    const id = store.getState().addStep("map", { x: 0, y: 300 });
    expect(store.getState().selection).toEqual([id]);
    store.getState().select(["source", "ghost"]);
    expect(store.getState().selection).toEqual(["source"]);
    store.getState().select([id]);
    store.getState().undo();
    expect(store.getState().selection).toEqual([]);
    store.getState().select(["transform"]);
    store.getState().removeSelected();
    expect(store.getState().doc.steps.map((step) => step.id)).toEqual(["source", "out"]);
    expect(store.getState().selection).toEqual([]);
  });

  it("connect refuses what canConnect refuses; rename keeps the selection", () => {
    const { store } = setup();
    const doc = store.getState().doc;
    expect(store.getState().connect("out", "source")).toMatchObject({ ok: false });
    expect(store.getState().doc).toBe(doc);
    const id = store.getState().addStep("capture", { x: 0, y: 300 });
    expect(store.getState().connect("transform", id)).toEqual({ ok: true });
    expect(validateFlow(store.getState().doc)).toEqual([]);
    expect(store.getState().renameStep(id, "second_out")).toMatchObject({ ok: true });
    expect(store.getState().selection).toEqual(["second_out"]);
    store.getState().disconnect("transform", "second_out");
    expect(store.getState().problems.byStep.get("second_out")?.[0]?.code).toBe("FLOW_MISSING_FIELD");
  });

  it("removeStepsAndEdges and addStepAfterSelection are single undo steps", () => {
    const { store } = setup();
    const start = store.getState().doc;
    store.getState().select(["transform"]);
    const id = store.getState().addStepAfterSelection("filter");
    expect(store.getState().doc.steps.find((step) => step.id === id)).toMatchObject({ after: ["transform"] });
    store.getState().removeStepsAndEdges([id], [{ from: "transform", to: "out" }]);
    expect(store.getState().doc.steps.map((step) => step.id)).toEqual(["source", "transform", "out"]);
    expect(store.getState().problems.byStep.get("out")?.[0]?.code).toBe("FLOW_MISSING_FIELD");
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().doc).toBe(start);
  });

  it("copy, paste, layout and load are undoable; dirty follows markSaved", () => {
    const { store } = setup();
    const start = store.getState().doc;
    expect(store.getState().dirty).toBe(false);
    store.getState().select(["transform", "out"]);
    const text = store.getState().copy();
    const pasted = store.getState().paste(text);
    expect(pasted.ok && pasted.pastedIds).toEqual(["transform_1", "out_1"]);
    expect(store.getState().selection).toEqual(["transform_1", "out_1"]);
    expect(store.getState().dirty).toBe(true);
    expect(store.getState().paste("not json")).toMatchObject({ ok: false });
    store.getState().layout();
    store.getState().markSaved();
    expect(store.getState().dirty).toBe(false);
    store.getState().load(newFlow("other"));
    expect(store.getState().doc.name).toBe("other");
    expect(store.getState().dirty).toBe(true);
    store.getState().undo();
    expect(store.getState().dirty).toBe(false);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().doc).toBe(start);
    store.getState().load(newFlow("saved"), { saved: true });
    expect(store.getState().dirty).toBe(false);
  });

  it("pins the positions of a document without them", () => {
    const doc = newFlow("t");
    const { ui: _ui, ...bare } = doc;
    const store = createEditorStore(bare);
    expect(Object.keys(store.getState().doc.ui!.positions!)).toEqual(["source", "transform", "out"]);
    expect(store.getState().dirty).toBe(false);
  });
});
