/**
 * Validation of flow definitions: every problem, each with its JSON Pointer, its step id and a
 * message that says what was expected, what was found and where. Never throws.
 *
 * Six passes, over whatever the value is (even far from a flow):
 * 1. the zod schema (`schema.ts`), whose issues become problems with stable codes;
 * 2. the graph: step ids (format, duplicates), `after` (types, unknown ids, repeats, inputs with
 *    `after`), cycles, and at least one input and one capture;
 * 3. functions: each must parse (acorn) as one JavaScript function expression;
 * 4. `$env` references only where the compiler resolves them;
 * 5. the properties of Kafka inputs (kafkaProblems.ts);
 * 6. window steps: a sliding window's offset, a session fold's merger (windowProblems.ts).
 * Problems come sorted by where their path appears in the document.
 *
 * Problems inside a disabled or skipped step (stepActivity.ts) are warnings (`severity: "warning"`):
 * such a step does not run, so it may be half-configured; everything else is an error, and only
 * errors keep a flow from running. Nothing here runs user code.
 */

import type { FlowProblem } from "./problems.js";
import { FLOW_FORMAT, flowSchema } from "./schema.js";
import { isNewerVersion, migrateFlow, newerVersionMessage } from "./migrateFlow.js";
import { Context, isObject, has, describeThrown, shown, type JsonObject } from "./validateContext.js";
import { describe, schemaProblems } from "./schemaProblems.js";
import { graphProblems } from "./graphProblems.js";
import { envProblems } from "./envProblems.js";
import { kafkaProblems } from "./kafkaProblems.js";
import { windowProblems } from "./windowProblems.js";
import { functionProblems, checkFunctionSource, functionSourceText, type FunctionCheck } from "./functionProblems.js";
import { inactiveSteps, isInactive, type InactiveStep, type StepActivity } from "./stepActivity.js";

export { checkFunctionSource, functionSourceText, migrateFlow, type FunctionCheck };

/** What validation found: errors (the flow cannot run), warnings, and the steps that do not run. */
export interface FlowValidation {
  /** Every problem outside disabled and skipped steps: any of them keeps the flow from running. */
  readonly errors: FlowProblem[];
  /** Every problem inside a disabled or skipped step (`severity: "warning"`): runs skip those steps. */
  readonly warnings: FlowProblem[];
  /** The steps that do not run (disabled, or skipped because every step that feeds them is), in file order. */
  readonly inactive: InactiveStep[];
}

/**
 * Every error of `json` as a flow definition, sorted by where they are (problems inside disabled or
 * skipped steps are warnings and left out: `validateFlowReport` has them). Never throws.
 *
 * @example
 * validateFlow({ format: "eddy.flow", version: 1, steps: [] })
 * // → [{ code: "FLOW_NO_INPUT", path: "/steps", ... }, { code: "FLOW_NO_CAPTURE", path: "/steps", ... }]
 */
export function validateFlow(json: unknown): FlowProblem[] {
  return validateFlowReport(json).errors;
}

/**
 * Errors, warnings and the steps that do not run, for `json` as a flow definition. Never throws.
 *
 * @example
 * const { errors, warnings, inactive } = validateFlowReport(flow);
 * // a disabled step whose `fn` does not parse: errors [], warnings [FLOW_FUNCTION_SYNTAX], inactive [{ stepId, reason: "disabled" }]
 */
export function validateFlowReport(json: unknown): FlowValidation {
  const problems: FlowProblem[] = [];
  try {
    const context = new Context(json, problems);
    if (!isObject(json)) {
      context.add("FLOW_WRONG_TYPE", [], `The flow should be ${describe(flowSchema)}; got ${shown(json)}`);
      return { errors: problems, warnings: [], inactive: [] };
    }
    if (refusedVersion(context, json)) return { errors: problems, warnings: [], inactive: [] };
    schemaProblems(context, json);
    graphProblems(context);
    functionProblems(context);
    envProblems(context);
    kafkaProblems(context);
    windowProblems(context);
    return { ...bySeverity(sortProblems(json, dedupe(problems)), context.activity), inactive: inactiveSteps(json, context.activity) };
  } catch (error) {
    problems.push({ code: "FLOW_INTERNAL_ERROR", path: "", message: `Validation failed unexpectedly: ${describeThrown(error)}` });
    return { errors: problems, warnings: [], inactive: [] };
  }
}

/** Problems inside disabled or skipped steps become warnings; the rest are errors. */
function bySeverity(problems: readonly FlowProblem[], activity: StepActivity): { errors: FlowProblem[]; warnings: FlowProblem[] } {
  const errors: FlowProblem[] = [];
  const warnings: FlowProblem[] = [];
  for (const problem of problems) {
    const [first, index] = parsePointer(problem.path);
    const inStep = first === "steps" && index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined;
    if (inStep !== undefined && isInactive(activity, inStep)) warnings.push({ ...problem, severity: "warning" });
    else errors.push(problem);
  }
  return { errors, warnings };
}

/** A newer version is refused outright: its fields are not ours to judge. */
function refusedVersion(context: Context, json: JsonObject): boolean {
  if (!isNewerVersion(json.version)) return false;
  if (has(json, "format") && json.format !== FLOW_FORMAT) {
    context.add("FLOW_WRONG_FORMAT", ["format"], `The flow: \`format\` should be ${JSON.stringify(FLOW_FORMAT)}; got ${shown(json.format)}`);
  }
  context.add("FLOW_VERSION_NEWER", ["version"], newerVersionMessage(json.version));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Ordering

function dedupe(problems: readonly FlowProblem[]): FlowProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.code}\u0000${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sorts by where each path is in the document (fields in their order, missing fields after the present ones). */
function sortProblems(json: unknown, problems: FlowProblem[]): FlowProblem[] {
  const keyed = problems.map((problem, order) => ({ problem, order, key: positionKey(json, parsePointer(problem.path)) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key) || a.order - b.order);
  return keyed.map(({ problem }) => problem);
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function positionKey(json: unknown, segments: readonly string[]): number[] {
  const key: number[] = [];
  let value: unknown = json;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      const index = Number(segment);
      key.push(Number.isInteger(index) && index >= 0 ? index : Number.MAX_SAFE_INTEGER);
      value = value[index];
    } else if (isObject(value)) {
      const keys = Object.keys(value);
      const position = keys.indexOf(segment);
      key.push(position >= 0 ? position : keys.length);
      value = position >= 0 ? value[segment] : undefined;
    } else {
      key.push(0);
      value = undefined;
    }
  }
  return key;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

