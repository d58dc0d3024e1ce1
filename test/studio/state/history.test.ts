/** Undo and redo: snapshot stacks, grouped records, limits. */

import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../../engine/flow/index.js";
import { newFlow, updateStepField } from "../../../studio/state/document.js";
import { canRedo, canUndo, createHistory, record, redo, seal, undo } from "../../../studio/state/history.js";

const docs = (n: number): FlowDefinition[] => Array.from({ length: n }, (_, i) => newFlow(`flow ${i}`));

describe("history", () => {
  it("undoes and redoes whole documents; a new edit clears redo", () => {
    const [a, b, c, d] = docs(4);
    let h = createHistory(a!);
    h = record(h, b!, { at: 0 });
    h = record(h, c!, { at: 10 });
    h = undo(h);
    expect(h.present).toBe(b);
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toBe(c);
    h = undo(undo(h));
    expect(h.present).toBe(a);
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = record(h, d!, { at: 20 });
    expect(canRedo(h)).toBe(false);
    expect(redo(h)).toBe(h);
  });

  it("merges records of one group within 1000 ms of each other, not across groups or pauses", () => {
    const base = newFlow("t");
    let h = createHistory(base);
    let doc = base;
    for (const [i, at] of [0, 400, 900].entries()) {
      doc = updateStepField(doc, "transform", ["fn"], `x => ${i}`);
      h = record(h, doc, { group: "transform/fn", at });
    }
    expect(h.past).toEqual([base]);
    h = record(h, updateStepField(doc, "transform", ["fn"], "x => 9"), { group: "transform/fn", at: 2000 });
    expect(h.past).toHaveLength(2);
    h = record(h, updateStepField(h.present, "transform", ["label"], "L"), { group: "transform/label", at: 2100 });
    expect(h.past).toHaveLength(3);
    expect(undo(undo(undo(h))).present).toBe(base);
  });

  it("a sealed group and an undo end merging", () => {
    const [a, b, c, d] = docs(4);
    let h = createHistory(a!);
    h = record(h, b!, { group: "move", at: 0, mergeWindowMs: Infinity });
    h = record(h, c!, { group: "move", at: 60_000, mergeWindowMs: Infinity, seal: true });
    expect(h.past).toEqual([a]);
    h = record(h, d!, { group: "move", at: 60_001 });
    expect(h.past).toEqual([a, c]);
    h = seal(undo(h));
    h = record(h, b!, { group: "move", at: 60_002 });
    expect(h.past).toEqual([a, c]);
  });

  it("ignores records of the same document and keeps at most `limit` steps", () => {
    const list = docs(10);
    let h = createHistory(list[0]!, { limit: 3 });
    expect(record(h, list[0]!, { at: 0 })).toBe(h);
    for (const [i, doc] of list.slice(1).entries()) h = record(h, doc, { at: i * 5000 });
    expect(h.past).toEqual(list.slice(6, 9));
    expect(h.present).toBe(list[9]);
  });
});
