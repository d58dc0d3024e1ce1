/**
 * Disabled steps and the late outputs of window steps (`"after": ["ID:late"]`): a disabled window
 * step passes nothing on its late output either, so a step fed only by it is skipped (and a join
 * one of whose sides it is); a merge of a late output with a step that runs runs. Compiled flows
 * keep `{ step, output: "late" }` references to the steps that run, and give the output of the flow
 * without the steps that do not.
 */

import { afterEach, describe, expect, it } from "vitest";
import { runMain } from "../../engine/api/execution.js";
import { compileFlow } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { inactiveSteps, stepActivity } from "../../engine/flow/stepActivity.js";
import { validateFlowReport } from "../../engine/flow/validateFlow.js";
import { sorted } from "../helpers/entryPoints.js";

type Step = Record<string, unknown>;

const global = globalThis as unknown as { __eddyDisabledLate?: Record<string, unknown[]> };
const sinkTo = (name: string) => `(workerIndex, workerCount) => (item) => { (globalThis.__eddyDisabledLate["${name}"] ??= []).push(item); }`;
afterEach(() => {
  delete global.__eddyDisabledLate;
});

/**
 * clicks → pairs → count (10 s tumbling windows of event time, no wait) → counts, and count:late →
 * late_out; raw takes pairs too. The click at 1000 comes after one at 20000: window [0, 10000) has
 * closed, so it is late.
 */
function flow(disabled: readonly string[] = []): FlowDefinition {
  const flag = (id: string) => (disabled.includes(id) ? { disabled: true } : {});
  const steps: Step[] = [
    { id: "clicks", op: "input", input: { type: "list", items: [0, 2000, 20000, 1000, 21000] } },
    { id: "pairs", op: "map", after: ["clicks"], fn: "t => ['k', { t }]", ...flag("pairs") },
    { id: "count", op: "count_window", after: ["pairs"], clock: { type: "event", fn: "v => v.t", waitForSystemDuration: 0 }, window: { type: "tumbling", length: 10000, startAt: 0 }, ...flag("count") },
    { id: "counts", op: "capture", after: ["count"], output: { type: "function", fn: sinkTo("counts") }, ...flag("counts") },
    { id: "late_out", op: "capture", after: ["count:late"], output: { type: "function", fn: sinkTo("late") }, ...flag("late_out") },
    { id: "raw", op: "capture", after: ["pairs"], output: { type: "function", fn: sinkTo("raw") }, ...flag("raw") },
  ];
  return { format: "eddy.flow", version: 1, steps } as unknown as FlowDefinition;
}

async function outputs(definition: FlowDefinition): Promise<Record<string, unknown[]>> {
  global.__eddyDisabledLate = {};
  await runMain(compileFlow(definition).flow);
  return global.__eddyDisabledLate;
}

describe("disabled window steps and their late outputs", () => {
  it("a step fed only by a disabled window step's late items is skipped", () => {
    expect(inactiveSteps(flow(["count"]))).toEqual([
      { index: 2, stepId: "count", reason: "disabled" },
      { index: 3, stepId: "counts", reason: "skipped" },
      { index: 4, stepId: "late_out", reason: "skipped" },
    ]);
    // Skipped in turn: count is skipped when pairs is disabled, and so is what takes its late items.
    expect(inactiveSteps(flow(["pairs"])).map((step) => [step.stepId, step.reason])).toEqual([
      ["pairs", "disabled"],
      ["count", "skipped"],
      ["counts", "skipped"],
      ["late_out", "skipped"],
      ["raw", "skipped"],
    ]);
  });

  it("resolves ID:late entries to the step and the output", () => {
    const activity = stepActivity(flow());
    expect(activity.inputs[4]).toEqual([{ index: 2, output: "late" }]);
    expect(activity.upstream[4]).toEqual([2]);
  });

  it("a merge of a disabled step's late items and a step that runs runs; a join with such a side is skipped", () => {
    const definition = flow(["count"]);
    const merged = { id: "both", op: "capture", after: ["count:late", "pairs"], output: { type: "stdout" } };
    const joined = { id: "joined", op: "join", after: ["pairs", "count:late"] };
    const withMore = { ...definition, steps: [...definition.steps, merged, joined] } as FlowDefinition;
    const inactive = inactiveSteps(withMore).map((step) => step.stepId);
    expect(inactive).not.toContain("both");
    expect(inactive).toContain("joined");
  });

  it("validation accepts the flow with the window step disabled and lists what does not run", () => {
    const report = validateFlowReport(flow(["count"]));
    expect(report.errors).toEqual([]);
    expect(report.inactive.map((step) => step.stepId)).toEqual(["count", "counts", "late_out"]);
  });

  it("the compiled blueprint keeps { step, output: \"late\" } to the window step's new position", () => {
    const blueprint = compileFlow(flow(["raw"])).flow;
    const ids = blueprint.steps.map((step) => step.stepId);
    const late = blueprint.steps.find((step) => step.stepId === "late_out")!;
    expect(late.upstream).toEqual([{ step: ids.indexOf("count"), output: "late" }]);
  });

  it("runs: late items reach the step that takes them; with the window step disabled only raw runs", async () => {
    const all = await outputs(flow());
    expect(sorted(all.counts!)).toEqual(sorted([["k", 2], ["k", 2]]));
    expect(all.late).toEqual([["k", { t: 1000 }]]);
    expect(all.raw).toHaveLength(5);

    const withoutCount = await outputs(flow(["count"]));
    expect(Object.keys(withoutCount)).toEqual(["raw"]);
    expect(withoutCount.raw).toEqual(all.raw);
  });

  it("the window step runs when what takes its late items is disabled (its late items are dropped)", async () => {
    const out = await outputs(flow(["late_out"]));
    expect(sorted(out.counts!)).toEqual(sorted([["k", 2], ["k", 2]]));
    expect(out.late).toBeUndefined();
  });
});
