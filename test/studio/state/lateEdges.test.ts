/**
 * A window step's late output in the studio's document model: `"after": ["ID:late"]` is an edge
 * from the step's "late" handle; connecting from that handle writes "ID:late" (refused from a step
 * that has no late output); renaming, removing and copying steps carry "ID:late" references along
 * as they do plain ids; a step inserted into a late connection takes the late items, one inserted
 * after a window step takes its results only; a late side of a join is labelled with both.
 */

import { describe, expect, it } from "vitest";
import { validateFlow, type FlowDefinition } from "../../../engine/flow/index.js";
import { copySteps, pasteSteps } from "../../../studio/state/clipboard.js";
import { afterEntryOf, canConnect, connect, disconnect, edgesOf, flowToCanvas, insertIntoConnection, insertStepAfter, removeSteps, renameStep } from "../../../studio/state/document.js";

function windowFlow(): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "inp", op: "input", input: { type: "list", items: [] } },
      { id: "count", op: "count_window", after: ["inp"], clock: { type: "system" }, window: { type: "session", gap: 1000 } },
      { id: "out", op: "capture", after: ["count"], output: { type: "stdout" } },
      { id: "late_out", op: "capture", after: ["count:late"], output: { type: "stdout" } },
    ],
  };
}

const afterOf = (doc: FlowDefinition, id: string) => (doc.steps.find((step) => step.id === id) as { after?: string[] }).after;

describe("late edges in the studio", () => {
  it("are edges from the window step's late handle, labelled", () => {
    const doc = windowFlow();
    expect(edgesOf(doc)).toEqual([
      ["inp", "count", "main"],
      ["count", "out", "main"],
      ["count", "late_out", "late"],
    ]);
    const late = flowToCanvas(doc).edges.find((edge) => edge.target === "late_out")!;
    expect(late).toMatchObject({ id: "count:late->late_out", source: "count", sourceHandle: "late", label: "late" });
    expect(afterEntryOf(late.source, late.sourceHandle)).toBe("count:late");
  });

  it("connect from the late handle; a step without a late output refuses", () => {
    const doc = windowFlow();
    expect(canConnect(doc, "count:late", "out")).toEqual({ ok: true });
    const both = connect(doc, "count:late", "out");
    expect(afterOf(both, "out")).toEqual(["count", "count:late"]);
    expect(validateFlow(both)).toEqual([]);
    expect(disconnect(both, "count:late", "out")).toEqual(doc);
    const refused = canConnect(doc, "inp:late", "out");
    expect(refused).toMatchObject({ ok: false, code: "FLOW_UNKNOWN_OUTPUT" });
    expect(connect(doc, "inp:late", "out")).toBe(doc);
  });

  it("follow a rename, go with a removed step, and stay inside a copy", () => {
    const renamed = renameStep(windowFlow(), "count", "sessions");
    expect(renamed.ok).toBe(true);
    if (!renamed.ok) return;
    expect(afterOf(renamed.doc, "late_out")).toEqual(["sessions:late"]);
    expect(validateFlow(renamed.doc)).toEqual([]);
    expect(afterOf(removeSteps(windowFlow(), ["count"]), "late_out")).toBeUndefined();
    const text = copySteps(windowFlow(), ["count", "late_out"])!;
    const pasted = pasteSteps(windowFlow(), text);
    if (!pasted.ok) throw new Error(pasted.error);
    // The copies get fresh ids; the copied capture takes the copied window step's late items.
    const [countCopy, lateCopy] = pasted.pastedIds;
    expect(countCopy).not.toBe("count");
    expect(afterOf(pasted.doc, lateCopy!)).toEqual([`${countCopy}:late`]);
    // (The copied window step lost its upstream, which was not copied; its late reference is sound.)
    expect(validateFlow(pasted.doc).filter((problem) => problem.stepId === lateCopy)).toEqual([]);
  });

  it("insert into a late connection takes the late items; insert after the window step takes its results only", () => {
    const into = insertIntoConnection(windowFlow(), "map", "count:late", "late_out")!;
    expect(afterOf(into.doc, into.id)).toEqual(["count:late"]);
    expect(afterOf(into.doc, "late_out")).toEqual([into.id]);
    expect(afterOf(into.doc, "out")).toEqual(["count"]);
    expect(validateFlow(into.doc)).toEqual([]);
    expect(insertIntoConnection(windowFlow(), "map", "count", "late_out")).toBeUndefined();
    expect(insertIntoConnection(windowFlow(), "map", "count:late", "out")).toBeUndefined();
    const after = insertStepAfter(windowFlow(), "map", "count")!;
    expect(afterOf(after.doc, after.id)).toEqual(["count"]);
    expect(afterOf(after.doc, "out")).toEqual([after.id]);
    expect(afterOf(after.doc, "late_out")).toEqual(["count:late"]);
  });

  it("a late side of a join is labelled late and with its side", () => {
    const doc = windowFlow();
    const joined: FlowDefinition = { ...doc, steps: [...doc.steps, { id: "both", op: "join", after: ["count", "count:late"] }] };
    const labels = Object.fromEntries(flowToCanvas(joined).edges.filter((edge) => edge.target === "both").map((edge) => [edge.id, edge.label]));
    expect(labels).toEqual({ "count->both": "side 0", "count:late->both": "late, side 1" });
  });
});
