/**
 * Validation, pass 6: what the schema cannot say about window steps. A sliding window's `offset`
 * may not exceed its `length` (the time between windows would belong to none), and a `fold_window`
 * over session windows needs a `merger` (two sessions merge when an out-of-order item bridges them).
 */

import { STEP_KINDS } from "../dataflow/steps.js";
import { Context, has, isObject, knownOp } from "./validateContext.js";

export function windowProblems(context: Context): void {
  context.steps?.forEach((step, index) => {
    if (!isObject(step)) return;
    const op = knownOp(step.op);
    if (op === undefined || !STEP_KINDS[op].windowed || !isObject(step.window)) return;
    const block = step.window;
    if (block.type === "sliding" && typeof block.offset === "number" && typeof block.length === "number" && block.offset > block.length) {
      const path = ["steps", index, "window", "offset"];
      context.add(
        "FLOW_INVALID_VALUE",
        path,
        `${context.owner(path)}: \`window.offset\` (${block.offset}) should not be greater than \`window.length\` (${block.length}); the time between windows would belong to none`,
      );
    }
    if (op === "fold_window" && block.type === "session" && (!has(step, "merger") || step.merger === undefined)) {
      const path = ["steps", index, "merger"];
      context.add(
        "FLOW_MISSING_FIELD",
        path,
        `${context.owner(path)}: \`merger\` is missing; a fold_window over session windows needs one, "(earlier, later) => acc", to combine two sessions that an out-of-order item bridges`,
      );
    }
  });
}
