/** Validation, shared: locating paths in a flow document and naming them in messages. */

import { preview } from "../preview.js";
import { jsonPointer, type FlowProblem, type FlowProblemCode } from "./problems.js";
import { FLOW_STEP_OPS, type FlowStepOp } from "./schema.js";
import { stepActivity, type StepActivity } from "./stepActivity.js";

export type Segment = string | number;
export type JsonObject = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Context: locating paths in the document and naming them in messages

export class Context {
  readonly steps: readonly unknown[] | undefined;
  /** Which steps are disabled or skipped (problems inside them are warnings). */
  readonly activity: StepActivity;
  constructor(
    readonly json: unknown,
    private readonly problems: FlowProblem[],
  ) {
    this.steps = isObject(json) && Array.isArray(json.steps) ? json.steps : undefined;
    this.activity = stepActivity(json);
  }

  add(code: FlowProblemCode, path: readonly Segment[], message: string, extra: { line?: number; column?: number } = {}): void {
    const stepId = this.stepIdAt(path);
    this.problems.push({ code, path: jsonPointer(path), ...(stepId !== undefined && { stepId }), message, ...extra });
  }

  /** The id of the step that `path` is in, when that step has a string id. */
  stepIdAt(path: readonly Segment[]): string | undefined {
    const index = stepIndexOf(path);
    if (index === undefined) return undefined;
    const step = this.steps?.[index];
    return isObject(step) && typeof step.id === "string" ? step.id : undefined;
  }

  /** "Step "x" (map)", "The step at /steps/2", or "The flow": who a path belongs to. */
  owner(path: readonly Segment[]): string {
    const index = stepIndexOf(path);
    if (index === undefined || !this.steps) return "The flow";
    return stepName(index, this.steps[index]);
  }

  /** `owner: ` plus the field, relative to its owner, in backquotes (nothing for the owner itself). */
  where(path: readonly Segment[]): { owner: string; field: string } {
    const index = stepIndexOf(path);
    const relative = index === undefined || !this.steps ? path : path.slice(2);
    return { owner: this.owner(path), field: fieldName(relative) };
  }

  valueAt(path: readonly Segment[]): { found: boolean; value: unknown } {
    let value: unknown = this.json;
    for (const segment of path) {
      if (Array.isArray(value) && typeof segment === "number") {
        if (segment < 0 || segment >= value.length) return { found: false, value: undefined };
        value = value[segment];
      } else if (isObject(value) && !Array.isArray(value) && has(value, String(segment))) {
        value = value[String(segment)];
      } else {
        return { found: false, value: undefined };
      }
    }
    return { found: value !== undefined, value };
  }
}

export function stepIndexOf(path: readonly Segment[]): number | undefined {
  return path[0] === "steps" && typeof path[1] === "number" ? path[1] : undefined;
}

function stepName(index: number, step: unknown): string {
  const op = isObject(step) ? knownOp(step.op) : undefined;
  const kind = op === undefined ? "" : ` (${op})`;
  if (isObject(step) && typeof step.id === "string" && step.id.length > 0) return `Step ${JSON.stringify(step.id)}${kind}`;
  return `The step at /steps/${index}${kind}`;
}

export function knownOp(op: unknown): FlowStepOp | undefined {
  return typeof op === "string" && (FLOW_STEP_OPS as readonly string[]).includes(op) ? (op as FlowStepOp) : undefined;
}

/** `input.brokers[0]`, `after[1]`, `clock.fn`: a path relative to its owner, for messages. */
export function fieldName(segments: readonly Segment[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

export function shown(value: unknown): string {
  return preview(value, 60);
}

// ---------------------------------------------------------------------------------------------

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : preview(error);
  } catch {
    return "an unprintable error";
  }
}

