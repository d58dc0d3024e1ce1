/** Random edit sequences keep a valid document valid; canConnect agrees with the validator. */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FLOW_STEP_OPS, validateFlow, type FlowDefinition } from "../../../engine/flow/index.js";
import { blockTypes, type BlockKind } from "../../../studio/state/defaults.js";
import {
  addStepAfter,
  canConnect,
  connect,
  disconnect,
  flowToCanvas,
  moveSteps,
  newFlow,
  removeSteps,
  renameStep,
  stepKeys,
  updateStepField,
} from "../../../studio/state/document.js";
import { autoLayout } from "../../../studio/state/layout.js";

type Edit =
  | { kind: "add"; op: (typeof FLOW_STEP_OPS)[number]; upstream: number }
  | { kind: "connect"; from: number; to: number }
  | { kind: "disconnect"; from: number; to: number }
  | { kind: "rename"; step: number; id: string }
  | { kind: "move"; step: number; x: number; y: number }
  | { kind: "block"; step: number; pick: number }
  | { kind: "layout" };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), op: fc.constantFrom(...FLOW_STEP_OPS), upstream: fc.nat(40) }),
  fc.record({ kind: fc.constant("connect" as const), from: fc.nat(40), to: fc.nat(40) }),
  fc.record({ kind: fc.constant("disconnect" as const), from: fc.nat(40), to: fc.nat(40) }),
  fc.record({ kind: fc.constant("rename" as const), step: fc.nat(40), id: fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/) }),
  fc.record({ kind: fc.constant("move" as const), step: fc.nat(40), x: fc.integer({ min: -2000, max: 2000 }), y: fc.integer({ min: -2000, max: 2000 }) }),
  fc.record({ kind: fc.constant("block" as const), step: fc.nat(40), pick: fc.nat(10) }),
  fc.constant({ kind: "layout" as const }),
);

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

function afterOf(doc: FlowDefinition, key: string): readonly string[] {
  const step = doc.steps.find((candidate) => candidate.id === key);
  return step && "after" in step ? step.after : [];
}

/** The document with `from` appended to `to`'s after, whatever the rules say. */
function forceConnect(doc: FlowDefinition, from: string, to: string): FlowDefinition {
  return { ...doc, steps: doc.steps.map((step) => (step.id === to ? ({ ...step, after: [...afterOf(doc, to), from] } as typeof step) : step)) };
}

function apply(doc: FlowDefinition, e: Edit): FlowDefinition {
  const keys = stepKeys(doc);
  switch (e.kind) {
    case "add":
      return addStepAfter(doc, e.op, pick(keys, e.upstream)).doc;
    case "connect": {
      const from = pick(keys, e.from);
      const to = pick(keys, e.to);
      const verdict = canConnect(doc, from, to);
      if (verdict.ok) return connect(doc, from, to);
      // Refused exactly when the validator would object.
      expect(validateFlow(forceConnect(doc, from, to)).length).toBeGreaterThan(0);
      expect(connect(doc, from, to)).toBe(doc);
      return doc;
    }
    case "disconnect": {
      const to = pick(keys, e.to);
      const after = afterOf(doc, to);
      return after.length > 1 ? disconnect(doc, pick(after, e.from), to) : doc;
    }
    case "rename": {
      const result = renameStep(doc, pick(keys, e.step), e.id);
      return result.ok ? result.doc : doc;
    }
    case "move":
      return moveSteps(doc, { [pick(keys, e.step)]: { x: e.x, y: e.y } });
    case "block": {
      const key = pick(keys, e.step);
      const step = doc.steps.find((candidate) => candidate.id === key) as unknown as Record<string, unknown>;
      const field = (["input", "output", "clock", "window"] as const).find((name) => name in step);
      if (!field) return doc;
      return updateStepField(doc, key, [field, "type"], pick(blockTypes(field as BlockKind), e.pick));
    }
    case "layout":
      return autoLayout(doc);
  }
}

describe("random edit sequences", () => {
  it("keep the document valid, the canvas in step with it, and removals free of dangling references", () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 30 }), fc.nat(40), (edits, removeAt) => {
        let doc = newFlow("random");
        for (const e of edits) {
          doc = apply(doc, e);
          expect(validateFlow(doc)).toEqual([]);
        }
        const { nodes, edges } = flowToCanvas(doc);
        expect(nodes.map((node) => node.id)).toEqual(doc.steps.map((step) => step.id));
        expect(edges).toHaveLength(doc.steps.reduce((n, step) => n + ("after" in step ? step.after.length : 0), 0));
        const removed = removeSteps(doc, [pick(stepKeys(doc), removeAt)]);
        const codes = new Set(validateFlow(removed).map((problem) => problem.code));
        for (const code of codes) expect(["FLOW_MISSING_FIELD", "FLOW_NO_INPUT", "FLOW_NO_CAPTURE"]).toContain(code);
      }),
      { numRuns: 150 },
    );
  });
});
