/** Validation, pass 3: every function must parse as one JavaScript function expression, as the compilers compile it (see functionSource.ts). */

import { checkFunctionSource, functionSourceText } from "./functionSource.js";
import { STEP_FUNCTION_FIELDS } from "./schema.js";
import { Context, isObject, knownOp, shown, type Segment, type JsonObject } from "./validateContext.js";

// ---------------------------------------------------------------------------------------------
// 3. Functions

export function functionProblems(context: Context): void {
  const steps = context.steps;
  if (!steps) return;
  steps.forEach((step, index) => {
    if (!isObject(step)) return;
    const op = knownOp(step.op);
    if (op === undefined) return;
    for (const field of STEP_FUNCTION_FIELDS[op]) checkFunction(context, ["steps", index, field], step[field]);
    const block = (field: string): JsonObject | undefined => (isObject(step[field]) ? (step[field] as JsonObject) : undefined);
    const input = block("input");
    if (op === "input" && input?.type === "function") checkFunction(context, ["steps", index, "input", "fn"], input.fn);
    const output = block("output");
    if (op === "capture" && output?.type === "function") checkFunction(context, ["steps", index, "output", "fn"], output.fn);
    const clock = block("clock");
    if ((op === "reduce_window" || op === "fold_window" || op === "join_window") && clock?.type === "event") checkFunction(context, ["steps", index, "clock", "fn"], clock.fn);
  });
}


function checkFunction(context: Context, path: readonly Segment[], value: unknown): void {
  const source = functionSourceText(value);
  if (source === undefined) return; // a wrong type: the schema pass reports it
  const check = checkFunctionSource(source);
  if (check.ok) return;
  const { owner, field } = context.where(path);
  if (check.code === "FLOW_NOT_A_FUNCTION") {
    context.add("FLOW_NOT_A_FUNCTION", path, `${owner}: \`${field}\` should be a function expression such as "x => x" or "function (x) { return x; }"; ${check.message}: ${shown(source)}`);
    return;
  }
  context.add("FLOW_FUNCTION_SYNTAX", path, `${owner}: \`${field}\` does not parse: ${check.message} (line ${check.line}, column ${check.column} of the function)`, {
    line: check.line!,
    column: check.column!,
  });
}

export { checkFunctionSource, functionSourceText, type FunctionCheck } from "./functionSource.js";
