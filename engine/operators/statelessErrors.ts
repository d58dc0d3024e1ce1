/**
 * The errors of the stateless operators (map, flat_map, filter, inspect, inspect_epoch), written
 * once. The closure pipeline calls them directly; generated chains call them by reference (each is
 * bound to its step as a parameter of the generated function), so no message text is ever copied
 * into generated source. Which function of the step is named comes from `STATELESS_OPS`.
 */

import type { StatelessStep } from "../dataflow/steps.js";
import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { notBoolean } from "./keyed.js";
import { isThenable, returnedPromise } from "./promises.js";
import { STATELESS_OPS } from "./statelessOps.js";
import { RETURN_RULES } from "../dataflow/returnRules.js";

/** The name of the operator in messages, as Bytewax writes it: `flat_map` is "flat map". */
function operatorWords(step: StatelessStep): string {
  return step.op.replaceAll("_", " ");
}

/** The name of the step's user function in messages: "mapper", "predicate" or "inspector". */
function fnName(step: StatelessStep): string {
  return STATELESS_OPS[step.op].fn;
}

/**
 * Every refusal of a stateless step's return value, by name. Each takes the step and the value it
 * refuses and returns (does not throw) the error.
 *
 * @example
 * const error = STATELESS_ERRORS.notBoolean(step, "yes");
 * // EddyTypeError STEP_NOT_BOOLEAN: Step "filter_2" (filter): return value of `predicate` in filter operator must be a boolean; got `"yes"` instead
 */
export const STATELESS_ERRORS = {
  /** The function returned a thenable where a value is expected (map, inspect, inspect_epoch). */
  returnedPromise: (step: StatelessStep, value: unknown): EddyTypeError => returnedPromise(step.stepId, step.op, fnName(step), value),

  /** The iterable a flat_map returned held a thenable. */
  yieldedPromise: (step: StatelessStep, value: unknown): EddyTypeError =>
    returnedPromise(step.stepId, step.op, fnName(step), value, "an item of its iterable"),

  /** A filter's predicate returned something other than `true` or `false`. */
  notBoolean: (step: StatelessStep, value: unknown): EddyTypeError =>
    isThenable(value) ? returnedPromise(step.stepId, step.op, fnName(step), value) : notBoolean(step.stepId, step.op, fnName(step), operatorWords(step), value),

  /** A flat_map's mapper returned something that is not iterable. */
  notIterable: (step: StatelessStep, value: unknown): EddyTypeError =>
    isThenable(value)
      ? returnedPromise(step.stepId, step.op, fnName(step), value)
      : new EddyTypeError(
          "STEP_NOT_ITERABLE",
          step.stepId,
          `Step "${step.stepId}" (${step.op}): return value of \`${fnName(step)}\` in ${operatorWords(step)} operator ${RETURN_RULES.iterable}; got \`${preview(value)}\` instead`,
        ),
} as const;

/** The name of one of the `STATELESS_ERRORS`. */
export type StatelessError = keyof typeof STATELESS_ERRORS;
