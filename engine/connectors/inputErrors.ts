/** Errors of input steps, shared by the readers. */

import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";

export function notAPair(stepId: string, value: unknown): EddyTypeError {
  return new EddyTypeError(
    "INPUT_NOT_PAIR",
    stepId,
    `Step "${stepId}" (input): Manual input builders must yield \`[state, item]\` pairs; got \`${preview(value)}\` instead`,
  );
}

export function notIterable(stepId: string, value: unknown): EddyTypeError {
  return new EddyTypeError(
    "INPUT_NOT_PAIR",
    stepId,
    `Step "${stepId}" (input): Manual input builders must return an iterable or an async iterable; got \`${preview(value)}\` instead`,
  );
}
