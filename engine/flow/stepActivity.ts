/**
 * Which steps of a flow run. A step with `"disabled": true` does not run and passes nothing on, as
 * a disabled node in Node-RED: the steps after it get nothing from it. A step that is not disabled
 * is *skipped* when every step that feeds it is disabled or skipped (it could never get an item);
 * a step fed by a step that runs as well (a merge) runs, with the items of the steps that run.
 *
 * Why "passes nothing" rather than n8n's "passes items through": the output of a flow with
 * disabled steps is then exactly the output of the flow without them (and without what depends only
 * on them). Passing items through would feed the next step items of a shape it was not written for
 * (a disabled `word => [word, 1]` before a window step makes the window step fail, on a step the
 * user did not touch), and a disabled step that redacts or filters would let raw items through to
 * an output. To bypass a step, connect its upstream step to its downstream one as well.
 *
 * Works on any value (even far from a flow): `after` entries are resolved as the validator
 * resolves them (a string naming the first step with that id, or `ID:OUTPUT` naming another output
 * of it, such as a window step's `count:late`; the step itself is left out). A disabled step passes
 * nothing on any of its outputs: a step fed only by a disabled window step's late items is skipped.
 * The skipped set is the least fixpoint, so steps that feed each other in a cycle are not skipped
 * by each other (the validator reports the cycle).
 */

import { parseAfterRef } from "./afterRef.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A step that does not run. */
export interface InactiveStep {
  /** Its index in `steps`. */
  readonly index: number;
  /** Its id, when it has a string id. */
  readonly stepId?: string;
  /** `disabled`: it has `"disabled": true`; `skipped`: every step that feeds it is disabled or skipped. */
  readonly reason: "disabled" | "skipped";
}

export interface StepActivity {
  /** The indices of the steps with `"disabled": true`. */
  readonly disabled: ReadonlySet<number>;
  /** The indices of the steps skipped because every step that feeds them is disabled or skipped. */
  readonly skipped: ReadonlySet<number>;
  /** For each step index, the indices of the steps its `after` names (known steps, itself left out, each once). */
  readonly upstream: readonly (readonly number[])[];
  /** For each step index, its `after` entries that name a known step (itself left out), in order, each once. */
  readonly inputs: readonly (readonly StepInput[])[];
}

/** An `after` entry resolved: the step it names and which of its outputs. */
export interface StepInput {
  /** The index of the step in `steps`. */
  readonly index: number;
  /** The output after ":" (`"late"` in `count:late`), or undefined for the step's items. */
  readonly output: string | undefined;
}

/** Whether a step cannot run without every step of its `after` (a join: each is a side). */
function needsEverySide(step: unknown): boolean {
  return isObject(step) && (step.op === "join" || step.op === "join_window");
}

/** Whether a step (a value of `steps`) has `"disabled": true`. */
export function isDisabledStep(step: unknown): boolean {
  return isObject(step) && step.disabled === true;
}

/**
 * Which steps of `json` are disabled or skipped.
 *
 * @example
 * // lines → shout (disabled) → out: "shout" is disabled, "out" is skipped
 * stepActivity({ steps: [{ id: "lines", op: "input" }, { id: "shout", op: "map", after: ["lines"], disabled: true }, { id: "out", op: "capture", after: ["shout"] }] })
 * // → { disabled: Set {1}, skipped: Set {2}, upstream: [[], [0], [1]], inputs: [[], [{ index: 0, output: undefined }], [{ index: 1, output: undefined }]] }
 */
export function stepActivity(json: unknown): StepActivity {
  const steps: readonly unknown[] = isObject(json) && Array.isArray(json.steps) ? json.steps : [];
  const byId = new Map<string, number>();
  steps.forEach((step, index) => {
    if (isObject(step) && typeof step.id === "string" && !byId.has(step.id)) byId.set(step.id, index);
  });
  const inputs = steps.map((step, index) => {
    if (!isObject(step) || step.op === "input" || !Array.isArray(step.after)) return [];
    const found: StepInput[] = [];
    for (const name of step.after) {
      if (typeof name !== "string") continue;
      const { id, output } = parseAfterRef(name);
      const target = byId.get(id);
      if (target !== undefined && target !== index && !found.some((seen) => seen.index === target && seen.output === output)) found.push({ index: target, output });
    }
    return found;
  });
  const upstream = inputs.map((found) => [...new Set(found.map((input) => input.index))]);
  const disabled = new Set<number>();
  steps.forEach((step, index) => isDisabledStep(step) && disabled.add(index));

  // Propagation: a step is skipped once none of its upstream steps can still give it an item.
  const downstream: number[][] = steps.map(() => []);
  upstream.forEach((ups, index) => ups.forEach((up) => downstream[up]!.push(index)));
  // A join needs every side (its sides are positions in `after`): one side lost skips it.
  const running = upstream.map((ups, index) => (needsEverySide(steps[index]) ? Math.min(1, ups.length) : ups.length));
  const skipped = new Set<number>();
  const lost = [...disabled];
  while (lost.length > 0) {
    const gone = lost.pop()!;
    for (const next of downstream[gone]!) {
      if (disabled.has(next) || skipped.has(next)) continue;
      running[next]! -= 1;
      if (running[next] === 0) {
        skipped.add(next);
        lost.push(next);
      }
    }
  }
  return { disabled, skipped, upstream, inputs };
}

/** Whether step `index` does not run (disabled or skipped). */
export function isInactive(activity: StepActivity, index: number): boolean {
  return activity.disabled.has(index) || activity.skipped.has(index);
}

/**
 * The steps of `json` that do not run, in file order.
 *
 * @example
 * inactiveSteps(flow) // → [{ index: 1, stepId: "shout", reason: "disabled" }, { index: 2, stepId: "out", reason: "skipped" }]
 */
export function inactiveSteps(json: unknown, activity: StepActivity = stepActivity(json)): InactiveStep[] {
  const steps: readonly unknown[] = isObject(json) && Array.isArray(json.steps) ? json.steps : [];
  const inactive: InactiveStep[] = [];
  steps.forEach((step, index) => {
    if (!isInactive(activity, index)) return;
    const stepId = isObject(step) && typeof step.id === "string" ? step.id : undefined;
    inactive.push({ index, ...(stepId !== undefined && { stepId }), reason: activity.disabled.has(index) ? "disabled" : "skipped" });
  });
  return inactive;
}

/** Why a step does not run, for messages: "disabled", or "skipped: every step that feeds it is disabled or skipped". */
export function inactiveReason(step: Pick<InactiveStep, "reason">): string {
  return step.reason === "disabled" ? "disabled" : "skipped: every step that feeds it is disabled or skipped";
}

/** `"shout" is disabled`, `"out" is skipped (every step that feeds it is disabled or skipped)`: an inactive step for messages. */
export function describeInactive(step: InactiveStep): string {
  const name = step.stepId !== undefined ? JSON.stringify(step.stepId) : `/steps/${step.index}`;
  return step.reason === "disabled" ? `${name} is disabled` : `${name} is skipped (every step that feeds it is disabled or skipped)`;
}
