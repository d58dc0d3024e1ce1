/**
 * Problems of the document for the editor: the runner's own validator, run on what a run runs
 * (runPlan.ts: problems of steps that do not run, unfinished ones included, are warnings with
 * `severity: "warning"`), its problems sorted to the step they are in (by step key, see steps.ts)
 * or to the flow as a whole, and the field of a step that a problem is about, so that forms can
 * show it on that field. Memoized on document identity: the store asks after every edit, the
 * canvas on every render.
 */

import type { FlowDefinition, FlowProblem } from "../../engine/host/index.js";
import { runPlan } from "./runPlan.js";
import { stepKeys } from "./steps.js";

export interface ProblemIndex {
  /** Every problem: the errors, then the warnings, each in document order. */
  readonly all: readonly FlowProblem[];
  /** The problems that refuse a run (the others are warnings, in steps that runs skip). */
  readonly errors: readonly FlowProblem[];
  /** Problems inside a step, by step key. */
  readonly byStep: ReadonlyMap<string, readonly FlowProblem[]>;
  /** Problems of the flow itself (format, version, execution, no input, ...). */
  readonly flow: readonly FlowProblem[];
}

/** The segments of a JSON Pointer ("/steps/2/fn" → ["steps", "2", "fn"]). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The index of the step a problem is in, from its path. */
function stepIndexOf(problem: FlowProblem): number | undefined {
  const [first, index] = pointerSegments(problem.path);
  if (first !== "steps" || index === undefined || !/^\d+$/.test(index)) return undefined;
  return Number(index);
}

const cache = new WeakMap<FlowDefinition, ProblemIndex>();

/** The problems of `doc`, by step and for the flow. */
export function problemsByStep(doc: FlowDefinition): ProblemIndex {
  const cached = cache.get(doc);
  if (cached) return cached;
  const { report } = runPlan(doc);
  const all = [...report.errors, ...report.warnings];
  const keys = stepKeys(doc);
  const byStep = new Map<string, FlowProblem[]>();
  const flow: FlowProblem[] = [];
  for (const problem of all) {
    const index = stepIndexOf(problem);
    const key = index !== undefined ? keys[index] : problem.stepId !== undefined && keys.includes(problem.stepId) ? problem.stepId : undefined;
    if (key === undefined) {
      flow.push(problem);
      continue;
    }
    const list = byStep.get(key);
    if (list) list.push(problem);
    else byStep.set(key, [problem]);
  }
  const result: ProblemIndex = { all, errors: report.errors, byStep, flow };
  cache.set(doc, result);
  return result;
}

/** The field of its step that a problem is about (["fn"], ["input", "path"]; [] for the step itself), or undefined outside steps. */
export function fieldOfProblem(problem: FlowProblem): string[] | undefined {
  if (stepIndexOf(problem) === undefined) return undefined;
  return pointerSegments(problem.path).slice(2);
}

/** The field of `execution` a problem is about (["epoch", "length"]), or undefined outside it. */
export function executionFieldOfProblem(problem: FlowProblem): string[] | undefined {
  const segments = pointerSegments(problem.path);
  return segments[0] === "execution" ? segments.slice(1) : undefined;
}
