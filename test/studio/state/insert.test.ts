/** Inserting a step into the chain: after a step, into a connection; placement, file order, undo as one step. */

import { describe, expect, it } from "vitest";
import { validateFlow, type FlowDefinition } from "../../../engine/flow/index.js";
import { addStep, connect, insertIntoConnection, insertStepAfter, newFlow, positionsOf, stepKeys, NODE_WIDTH, NODE_HEIGHT } from "../../../studio/state/document.js";
import { createEditorStore } from "../../../studio/state/editorStore.js";
import { COLUMN_GAP } from "../../../studio/state/geometry.js";

function afterOf(doc: FlowDefinition, id: string): readonly string[] | undefined {
  const step = doc.steps.find((candidate) => candidate.id === id) as { after?: string[] } | undefined;
  return step?.after;
}

function noOverlaps(doc: FlowDefinition): boolean {
  const all = Object.values(positionsOf(doc));
  return all.every((a, i) => all.every((b, j) => i === j || Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT));
}

describe("insertStepAfter", () => {
  it("puts the new step between the step and what it fed, and moves the rest of the chain right", () => {
    const doc = newFlow("t"); // source → transform → out, one row
    const inserted = insertStepAfter(doc, "filter", "source")!;
    const next = inserted.doc;
    expect(inserted.id).toBe("filter_1");
    expect(afterOf(next, "filter_1")).toEqual(["source"]);
    expect(afterOf(next, "transform")).toEqual(["filter_1"]);
    expect(afterOf(next, "out")).toEqual(["transform"]);
    expect(validateFlow(next)).toEqual([]);
    // In the file, right after the step it follows.
    expect(stepKeys(next)).toEqual(["source", "filter_1", "transform", "out"]);
    // One column right of source, in its row; transform and out moved one column right.
    const before = positionsOf(doc);
    const after = positionsOf(next);
    expect(after.filter_1).toEqual({ x: before.source!.x + NODE_WIDTH + COLUMN_GAP, y: before.source!.y });
    expect(after.transform!.x).toBe(before.transform!.x + NODE_WIDTH + COLUMN_GAP);
    expect(after.out!.x).toBe(before.out!.x + NODE_WIDTH + COLUMN_GAP);
    expect(after.source).toEqual(before.source);
    expect(noOverlaps(next)).toBe(true);
  });

  it("after the last step, it simply follows it; every step it fed follows the new one", () => {
    const doc = newFlow("t");
    const last = insertStepAfter(doc, "inspect", "out")!;
    expect(afterOf(last.doc, last.id)).toEqual(["out"]);
    expect(positionsOf(last.doc).transform).toEqual(positionsOf(doc).transform);

    // A step that fed two steps: both now follow the new step.
    const { doc: branched, id: side } = addStep(doc, "capture", { x: 600, y: 300 });
    const twoFed = connect(branched, "transform", side);
    const inserted = insertStepAfter(twoFed, "map", "transform")!;
    expect(afterOf(inserted.doc, "out")).toEqual([inserted.id]);
    expect(afterOf(inserted.doc, side)).toEqual([inserted.id]);
    expect(validateFlow(inserted.doc)).toEqual([]);
    expect(noOverlaps(inserted.doc)).toBe(true);
  });

  it("leaves steps that are not crowded where they are", () => {
    const doc = newFlow("t");
    const far = { ...doc, ui: { positions: { ...doc.ui!.positions!, out: { x: 2000, y: 0 } } } };
    const inserted = insertStepAfter(far, "map", "transform")!;
    expect(positionsOf(inserted.doc).out).toEqual({ x: 2000, y: 0 });
  });

  it("refuses an input (it takes no upstream step) and unknown steps", () => {
    const doc = newFlow("t");
    expect(insertStepAfter(doc, "input", "source")).toBeUndefined();
    expect(insertStepAfter(doc, "map", "ghost")).toBeUndefined();
  });
});

describe("insertIntoConnection", () => {
  it("puts the new step between the two steps only", () => {
    const doc = newFlow("t");
    const { doc: branched, id: side } = addStep(doc, "capture", { x: 600, y: 300 });
    const twoFed = connect(branched, "transform", side);
    const inserted = insertIntoConnection(twoFed, "filter", "transform", "out")!;
    expect(afterOf(inserted.doc, inserted.id)).toEqual(["transform"]);
    expect(afterOf(inserted.doc, "out")).toEqual([inserted.id]);
    expect(afterOf(inserted.doc, side)).toEqual(["transform"]);
    expect(validateFlow(inserted.doc)).toEqual([]);
    expect(noOverlaps(inserted.doc)).toBe(true);
    expect(positionsOf(inserted.doc)[inserted.id]!.x).toBeGreaterThan(positionsOf(inserted.doc).transform!.x);
    expect(positionsOf(inserted.doc).out!.x).toBeGreaterThan(positionsOf(inserted.doc)[inserted.id]!.x);
  });

  it("refuses a connection that does not exist, and an input", () => {
    const doc = newFlow("t");
    expect(insertIntoConnection(doc, "map", "source", "out")).toBeUndefined();
    expect(insertIntoConnection(doc, "input", "source", "transform")).toBeUndefined();
  });
});

describe("the store's insertions", () => {
  it("a palette click with a step selected inserts after it, as one undo step", () => {
    const store = createEditorStore(newFlow("t"));
    const before = store.getState().doc;
    store.getState().select(["source"]);
    const id = store.getState().addStepAfterSelection("map");
    expect(store.getState().selection).toEqual([id]);
    expect(afterOf(store.getState().doc, "transform")).toEqual([id]);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
  });

  it("without a selection, the step lands in view, clear of the minimap and of other steps", () => {
    const store = createEditorStore(newFlow("t"));
    const view = { view: { x: -100, y: -100, width: 1000, height: 600 }, covered: [{ x: 700, y: 300, width: 200, height: 200 }] };
    const id = store.getState().addStepAfterSelection("map", view);
    const p = positionsOf(store.getState().doc)[id]!;
    expect(p.x).toBeGreaterThanOrEqual(-100);
    expect(p.y).toBeGreaterThanOrEqual(-100);
    expect(p.x + NODE_WIDTH).toBeLessThanOrEqual(900);
    expect(p.y + NODE_HEIGHT).toBeLessThanOrEqual(500);
    expect(p.x + NODE_WIDTH <= 700 || p.y + NODE_HEIGHT <= 300).toBe(true);
    expect(noOverlaps(store.getState().doc)).toBe(true);
  });

  it("insertIntoConnection is one undo step and selects the new step", () => {
    const store = createEditorStore(newFlow("t"));
    const before = store.getState().doc;
    const id = store.getState().insertIntoConnection("filter", "source", "transform")!;
    expect(store.getState().selection).toEqual([id]);
    expect(afterOf(store.getState().doc, "transform")).toEqual([id]);
    store.getState().undo();
    expect(store.getState().doc).toBe(before);
    expect(store.getState().insertIntoConnection("filter", "source", "out")).toBeUndefined();
  });
});
