/** Errors of input steps, shared by the readers. */

import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { isThenable, returnedPromise } from "../operators/promises.js";

export function notAPair(stepId: string, value: unknown): EddyTypeError {
  if (isThenable(value)) return returnedPromise(stepId, "input", "builder", value, "a `[state, item]` pair of its iterable");
  return new EddyTypeError(
    "INPUT_NOT_PAIR",
    stepId,
    `Step "${stepId}" (input): Manual input builders must yield \`[state, item]\` pairs; got \`${preview(value)}\` instead`,
  );
}

export function notIterable(stepId: string, value: unknown): EddyTypeError {
  if (isThenable(value)) return returnedPromise(stepId, "input", "builder", value, "its iterable");
  return new EddyTypeError(
    "INPUT_NOT_PAIR",
    stepId,
    `Step "${stepId}" (input): Manual input builders must return an iterable or an async iterable; got \`${preview(value)}\` instead`,
  );
}

/** The error for an item (the second of a `[state, item]` pair) that is a thenable. */
export function promisedItem(stepId: string, value: unknown): EddyTypeError {
  return returnedPromise(stepId, "input", "builder", value, "an item of its iterable");
}
