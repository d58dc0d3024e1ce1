/**
 * The step help (engine/flow/stepHelp.ts) agrees with the engine: one entry per step kind of the
 * flow format, its functions are the kind's function fields in order with the engine's API names,
 * and each example is a valid step that runs.
 */

import { describe, expect, it } from "vitest";
import { STEP_KINDS } from "../../engine/dataflow/steps.js";
import { compileFlow } from "../../engine/flow/compile.js";
import { FLOW_STEP_OPS, STEP_FUNCTION_FIELDS, type FlowDefinition, type FlowStep } from "../../engine/flow/schema.js";
import { BLOCK_FUNCTION_HELP, STEP_HELP, functionHelp } from "../../engine/flow/stepHelp.js";
import { validateFlow } from "../../engine/flow/validateFlow.js";
import { execute } from "../../engine/runtime/execute.js";
import { testHost } from "../helpers/host.js";

/** Items that each example step can take (keyed steps take [key, value] pairs). */
const ITEMS_FOR: Partial<Record<(typeof FLOW_STEP_OPS)[number], unknown[]>> = {
  reduce: [["a", 60], ["a", 50]],
  stateful_map: [["a", 1], ["a", 2]],
  reduce_window: [["a", 1], ["a", 2]],
  fold_window: [["a", { time: 0 }], ["a", { time: 5 }]],
  collect_window: [["a", { time: 5 }], ["a", { time: 0 }]],
  count_window: [["a", 1], ["a", 2]],
  join: [["a", 1], ["b", 2]],
  join_window: [["a", { time: 0 }], ["a", { time: 5 }]],
};

/** A flow around one example step: an input before it (unless it is one), a capture after (unless it is one). */
function flowAround(op: (typeof FLOW_STEP_OPS)[number]): FlowDefinition {
  const example = { id: "example", op, ...STEP_HELP[op].example };
  const steps: unknown[] =
    op === "input" ? [example] : [{ id: "in", op: "input", input: { type: "list", items: ITEMS_FOR[op] ?? ["To be", "or not"] } }, { ...example, after: ["in"] }];
  if (op !== "capture") steps.push({ id: "out", op: "capture", after: ["example"], output: { type: "stdout" } });
  return { format: "eddy.flow", version: 1, steps: steps as FlowStep[] };
}

describe("STEP_HELP", () => {
  it("has every step kind of the flow format, with its summary", () => {
    expect(Object.keys(STEP_HELP).sort()).toEqual([...FLOW_STEP_OPS].sort());
    for (const op of FLOW_STEP_OPS) expect(STEP_HELP[op].summary).toBe(STEP_KINDS[op].summary);
  });

  it("lists each kind's function fields in order, with the engine's names for them", () => {
    for (const op of FLOW_STEP_OPS) {
      expect(STEP_HELP[op].functions.map((fn) => fn.field)).toEqual(STEP_FUNCTION_FIELDS[op]);
      expect(STEP_HELP[op].functions.map((fn) => fn.apiName)).toEqual(STEP_KINDS[op].functions);
      for (const fn of STEP_HELP[op].functions) {
        expect(fn.signature.startsWith(`${fn.field}(`)).toBe(true);
        expect(functionHelp(op, fn.field)).toBe(fn);
      }
    }
    expect(functionHelp("map", "builder")).toBeUndefined();
  });

  it("says what the event clock's function receives and must return", () => {
    const clock = BLOCK_FUNCTION_HELP["clock.event.fn"]!;
    expect(clock.description).toContain("value of each [key, value] item (not the pair)");
    expect(clock.returns).toBe("must be a Date or epoch milliseconds");
  });

  for (const op of FLOW_STEP_OPS) {
    it(`${op}: its example is a valid step that runs`, async () => {
      const flow = flowAround(op);
      expect(validateFlow(flow)).toEqual([]);
      const lines: string[] = [];
      await execute(compileFlow(flow).flow, { workerCount: 1, errors: "original", host: testHost({ writeStdout: (text) => void lines.push(text) }) });
      if (op !== "inspect" && op !== "inspect_epoch" && op !== "filter") expect(lines.join("").length).toBeGreaterThan(0);
    });
  }
});
