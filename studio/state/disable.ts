/**
 * Disabling and enabling steps: `"disabled": true` in the step, as the flow file holds it (a step
 * that runs has no `disabled` field). A disabled step does not run and passes nothing on; what
 * depends only on it is skipped (engine/flow/stepActivity.ts).
 */

import type { FlowDefinition, FlowStep } from "../../engine/host/index.js";
import { setIn } from "./immutable.js";
import { indexOfStep, isObject, stepsOf } from "./steps.js";

/** Whether the step with this key is disabled. */
export function isDisabled(doc: FlowDefinition, key: string): boolean {
  const index = indexOfStep(doc, key);
  const step: unknown = index < 0 ? undefined : stepsOf(doc)[index];
  return isObject(step) && step.disabled === true;
}

/**
 * `doc` with the steps `keys` disabled, or enabled when every one of them is disabled already
 * (one toggle for a selection, as a light switch); `doc` itself when no key names a step.
 *
 * @example
 * toggleDisabled(doc, ["shout"])   // "shout" gets "disabled": true
 * toggleDisabled(next, ["shout"])  // and loses it again
 */
export function toggleDisabled(doc: FlowDefinition, keys: readonly string[]): FlowDefinition {
  const indices = [...new Set(keys.map((key) => indexOfStep(doc, key)))].filter((index) => index >= 0 && isObject(stepsOf(doc)[index]));
  if (indices.length === 0) return doc;
  const steps = stepsOf(doc);
  const disable = indices.some((index) => (steps[index] as unknown as Record<string, unknown>).disabled !== true);
  return setDisabled(doc, indices, disable);
}

/** `doc` with the steps at `indices` disabled (`disabled: true`) or enabled (no `disabled` field). */
export function setDisabled(doc: FlowDefinition, indices: readonly number[], disabled: boolean): FlowDefinition {
  let steps: readonly FlowStep[] = stepsOf(doc);
  for (const index of indices) {
    if (!isObject(steps[index])) continue;
    steps = setIn(steps, [index, "disabled"], disabled ? true : undefined);
  }
  return steps === stepsOf(doc) ? doc : { ...doc, steps: steps as FlowStep[] };
}
