/**
 * The keyboard's connect menu and a window step's late output: C on a window step (or join_window)
 * asks which output, and its late items list every other step, refused ones with canConnect's own
 * reasons (an input, a cycle, a repeat); Shift+C lists each window step's late items as a source
 * of their own, right after its results (a join may take them as a side); a choice made through
 * the store is one undo step and writes "ID:late"; connections and steps are said in words that
 * name the late items.
 */

import { describe, expect, it } from "vitest";
import { validateFlow, type FlowDefinition } from "../../../engine/flow/index.js";
import { connectionChoices, outputsToConnect, type ConnectionChoice } from "../../../studio/state/connectChoices.js";
import { canConnect, describeConnection } from "../../../studio/state/connections.js";
import { createEditorStore } from "../../../studio/state/editorStore.js";
import { describeStep } from "../../../studio/state/navigation.js";

const clock = { type: "system" };
const window = { type: "session", gap: 1000 };

/** inp → pre → count (a window step) → out; count's late items → late_out; a lone map and a join fed by count. */
function windowFlow(): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "inp", op: "input", input: { type: "list", items: [] } },
      { id: "pre", op: "map", after: ["inp"], fn: "x => x" },
      { id: "count", op: "count_window", after: ["pre"], clock, window },
      { id: "out", op: "capture", after: ["count"], output: { type: "stdout" } },
      { id: "late_out", op: "capture", after: ["count:late"], output: { type: "stdout" } },
      { id: "spare", op: "map", fn: "x => x" },
      { id: "both", op: "join", after: ["count"] },
    ],
  } as FlowDefinition;
}

/** Each choice as its label, whether allowed, and the reason when refused. */
function listed(choices: readonly ConnectionChoice[]): [string, boolean, string?][] {
  return choices.map((choice) => (choice.verdict.ok ? [choice.label, true] : [choice.label, false, choice.verdict.reason]));
}

const afterOf = (doc: FlowDefinition, id: string) => (doc.steps.find((step) => step.id === id) as { after?: string[] }).after;

describe("outputsToConnect", () => {
  it("gives window steps and join_window a late output, other steps their results only", () => {
    const doc = windowFlow();
    expect(outputsToConnect(doc, "count")).toEqual(["main", "late"]);
    expect(outputsToConnect(doc, "pre")).toEqual(["main"]);
    expect(outputsToConnect(doc, "both")).toEqual(["main"]);
    expect(outputsToConnect(doc, "ghost")).toEqual(["main"]);
    const withJoinWindow = { ...doc, steps: [...doc.steps, { id: "pairs", op: "join_window", after: ["pre", "count"], clock, window }] } as FlowDefinition;
    expect(outputsToConnect(withJoinWindow, "pairs")).toEqual(["main", "late"]);
    expect(connectionChoices(withJoinWindow, "spare", "upstream").map((choice) => choice.id)).toContain("pairs:late");
  });
});

describe("C on a window step: its late items", () => {
  it("list every other step as fed by the late items, refused ones with canConnect's reasons", () => {
    const doc = windowFlow();
    const choices = connectionChoices(doc, "count", "downstream", "late");
    expect(listed(choices)).toEqual([
      ["late items → out", true],
      ["late items → spare", true],
      ["late items → both", true],
      ["late items → inp", false, '"inp" is an input: inputs start streams and take no upstream step'],
      ["late items → pre", false, 'This would make a cycle: "count:late" → "pre" → "count"'],
      ["late items → late_out", false, '"count:late" already feeds "late_out"'],
    ]);
    for (const choice of choices) {
      expect(choice).toMatchObject({ from: "count:late", to: choice.key, id: choice.key, late: true });
      expect(choice.verdict).toEqual(canConnect(doc, "count:late", choice.key));
    }
  });

  it("its results list the same steps as a step without late items would, unlabelled", () => {
    const doc = windowFlow();
    const choices = connectionChoices(doc, "count", "downstream", "main");
    expect(choices.map((choice) => [choice.label, choice.from, choice.late])).toEqual([
      ["late_out", "count", false],
      ["spare", "count", false],
      ["inp", "count", false],
      ["pre", "count", false],
      ["out", "count", false],
      ["both", "count", false],
    ]);
    expect(connectionChoices(doc, "count", "downstream")).toEqual(choices);
  });
});

describe("Shift+C: a window step's late items as a source", () => {
  it("come right after the window step's results, allowed or refused each on its own", () => {
    const doc = windowFlow();
    const intoSpare = connectionChoices(doc, "spare", "upstream");
    expect(intoSpare.map((choice) => choice.label)).toEqual(["inp", "pre", "count", "count (late items)", "out", "late_out", "both"]);
    expect(intoSpare.every((choice) => choice.verdict.ok)).toBe(true);
    expect(intoSpare.find((choice) => choice.id === "count:late")).toMatchObject({ key: "count", from: "count:late", to: "spare", late: true });
    // Ids are unique in the list (the menu's entries are keyed by them).
    expect(new Set(intoSpare.map((choice) => choice.id)).size).toBe(intoSpare.length);

    expect(listed(connectionChoices(doc, "pre", "upstream"))).toEqual([
      ["spare", true],
      ["inp", false, '"inp" already feeds "pre"'],
      ["count", false, 'This would make a cycle: "count" → "pre" → "count"'],
      ["count (late items)", false, 'This would make a cycle: "count:late" → "pre" → "count"'],
      ["out", false, 'This would make a cycle: "out" → "pre" → "count" → "out"'],
      ["late_out", false, 'This would make a cycle: "late_out" → "pre" → "count" → "late_out"'],
      ["both", false, 'This would make a cycle: "both" → "pre" → "count" → "both"'],
    ]);
  });

  it("may be a join's second side while its results, already a side, are refused", () => {
    const choices = connectionChoices(windowFlow(), "both", "upstream");
    expect(choices.find((choice) => choice.id === "count:late")!.verdict).toEqual({ ok: true });
    expect(choices.find((choice) => choice.id === "count")!.verdict).toMatchObject({ ok: false, code: "FLOW_DUPLICATE_AFTER", reason: '"count" already feeds "both"' });
  });
});

describe("a late connection made from the menu", () => {
  it("writes ID:late, is one undo step, and a refused one changes nothing", () => {
    const store = createEditorStore(windowFlow());
    const before = store.getState().doc;
    const late = connectionChoices(before, "count", "downstream", "late").find((choice) => choice.key === "out")!;
    expect(store.getState().connect(late.from, late.to)).toEqual({ ok: true });
    const side = connectionChoices(store.getState().doc, "both", "upstream").find((choice) => choice.id === "count:late")!;
    store.getState().connect(side.from, side.to);
    const doc = store.getState().doc;
    expect(afterOf(doc, "out")).toEqual(["count", "count:late"]);
    expect(afterOf(doc, "both")).toEqual(["count", "count:late"]);
    expect(validateFlow(doc).filter((problem) => problem.severity !== "warning" && ["out", "both"].includes(problem.stepId ?? ""))).toEqual([]);

    const refused = connectionChoices(doc, "count", "downstream", "late").find((choice) => choice.key === "pre")!;
    expect(store.getState().connect(refused.from, refused.to)).toMatchObject({ ok: false, code: "FLOW_CYCLE" });
    expect(store.getState().doc).toBe(doc);

    store.getState().undo();
    expect(afterOf(store.getState().doc, "both")).toEqual(["count"]);
    expect(afterOf(store.getState().doc, "out")).toEqual(["count", "count:late"]);
    store.getState().undo();
    expect(store.getState().doc).toEqual(before);
  });
});

describe("late connections in words", () => {
  it("name the late items in announcements and in a step's description", () => {
    expect(describeConnection("count", "out")).toBe("count feeds out");
    expect(describeConnection("count:late", "late_out")).toBe("the late items of count feed late_out");
    expect(describeConnection("count:late", "late_out", { removed: true })).toBe("the late items of count no longer feed late_out");
    expect(describeConnection("count", "out", { removed: true })).toBe("count no longer feeds out");
    const doc = windowFlow();
    expect(describeStep(doc, "count")).toBe("count, a count_window step, fed by pre, feeds out and both, its late items feed late_out");
    expect(describeStep(doc, "late_out")).toBe("late_out, a capture step, fed by the late items of count");
  });
});
