/** Copy and paste of steps as flow-file text. */

import { describe, expect, it } from "vitest";
import { parseFlow, validateFlow, type FlowDefinition } from "../../../engine/flow/index.js";
import { copySteps, pasteSteps } from "../../../studio/state/clipboard.js";
import { addStep, connect, newFlow } from "../../../studio/state/document.js";

function afterOf(doc: FlowDefinition, id: string): readonly string[] | undefined {
  const step = doc.steps.find((candidate) => candidate.id === id);
  return step && "after" in step ? step.after : undefined;
}

describe("clipboard", () => {
  it("copies a flow fragment: the selected steps, inner after references only, positions", () => {
    const doc = newFlow("t");
    const text = copySteps(doc, ["out", "transform"])!;
    expect(text.endsWith("\n")).toBe(true);
    const parsed = parseFlow(text);
    expect(parsed.ok).toBe(true);
    const fragment = (parsed as { value: FlowDefinition }).value;
    expect(fragment).toMatchObject({ format: "eddy.flow", version: 1, name: "t" });
    expect(fragment.steps.map((step) => step.id)).toEqual(["transform", "out"]);
    expect(afterOf(fragment, "transform")).toBeUndefined(); // "source" was not copied
    expect(afterOf(fragment, "out")).toEqual(["transform"]);
    expect(Object.keys(fragment.ui!.positions!)).toEqual(["out", "transform"]);
    expect(copySteps(doc, [])).toBeUndefined();
  });

  it("pastes twice: four new steps, internal edges kept, external dropped, unique ids, cascading positions", () => {
    const doc = newFlow("t");
    const text = copySteps(doc, ["transform", "out"])!;
    const first = pasteSteps(doc, text);
    if (!first.ok) throw new Error(first.error);
    const second = pasteSteps(first.doc, text);
    if (!second.ok) throw new Error(second.error);
    expect(first.pastedIds).toEqual(["transform_1", "out_1"]);
    expect(second.pastedIds).toEqual(["transform_2", "out_2"]);
    const result = second.doc;
    expect(result.steps).toHaveLength(7);
    expect(new Set(result.steps.map((step) => step.id)).size).toBe(7);
    expect(afterOf(result, "out_1")).toEqual(["transform_1"]);
    expect(afterOf(result, "out_2")).toEqual(["transform_2"]);
    expect(afterOf(result, "transform_1")).toBeUndefined();
    expect(afterOf(result, "transform_2")).toBeUndefined();
    const p = result.ui!.positions!;
    expect(p.transform_1).toEqual({ x: p.transform!.x + 40, y: p.transform!.y + 40 });
    expect(p.transform_2).toEqual({ x: p.transform!.x + 80, y: p.transform!.y + 80 });
    // Once connected, the pasted steps are valid.
    expect(validateFlow(connect(connect(result, "source", "transform_1"), "source", "transform_2"))).toEqual([]);
  });

  it("pastes at a given point, cascading when that spot is taken", () => {
    const doc = newFlow("t");
    const text = copySteps(doc, ["transform", "out"])!;
    const first = pasteSteps(doc, text, { x: 1000, y: 1000 });
    if (!first.ok) throw new Error(first.error);
    expect(first.doc.ui!.positions!.transform_1).toEqual({ x: 1000, y: 1000 });
    const second = pasteSteps(first.doc, text, { x: 1000, y: 1000 });
    if (!second.ok) throw new Error(second.error);
    expect(second.doc.ui!.positions!.transform_2).toEqual({ x: 1040, y: 1040 });
  });

  it("keeps free ids, re-ids taken ones from their number, and pastes into another flow", () => {
    const source = addStep(newFlow("a"), "map", { x: 0, y: 0 }).doc; // map_1
    const text = copySteps(source, ["map_1"])!;
    const target = addStep(addStep(newFlow("b"), "map", { x: 0, y: 0 }).doc, "map", { x: 0, y: 100 }).doc; // map_1, map_2
    const pasted = pasteSteps(target, text);
    expect(pasted.ok && pasted.pastedIds).toEqual(["map_3"]);
    const elsewhere = pasteSteps(newFlow("c"), text);
    expect(elsewhere.ok && elsewhere.pastedIds).toEqual(["map_1"]);
  });

  it("refuses text that is not a flow fragment, with a clear error", () => {
    const doc = newFlow("t");
    expect(pasteSteps(doc, "hello")).toMatchObject({ ok: false, error: expect.stringMatching(/does not hold Eddy steps: Invalid JSON at line 1, column 1/) });
    expect(pasteSteps(doc, "[1, 2]")).toMatchObject({ ok: false, error: expect.stringContaining('"format": "eddy.flow"') });
    expect(pasteSteps(doc, '{"format": "eddy.flow", "version": 1, "steps": []}')).toMatchObject({ ok: false, error: expect.stringContaining("no steps") });
    expect(pasteSteps(doc, '{"format": "eddy.flow", "version": 1, "steps": [{"id": "x"}]}')).toMatchObject({ ok: false, error: expect.stringContaining("step 1") });
    expect(pasteSteps(doc, '{"format": "eddy.flow", "version": 99, "steps": [{"id": "x", "op": "map"}]}')).toMatchObject({ ok: false, error: expect.stringContaining("newer") });
  });
});
