/** Items as JSON text, for the outputs that write text (standard output, files). */

import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { nestingDepth } from "./nestingDepth.js";

/**
 * `item` as one line of JSON; a value JSON cannot write (undefined, a function, a symbol, a
 * bigint, a cycle) is a TypeError naming the step and saying what the output (`target`) takes. An
 * item nested so deep that JSON.stringify runs out of call stack is told apart: its depth is the
 * cause, not its values.
 */
export function jsonLine(item: unknown, stepId: string, target: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(item);
  } catch (error) {
    // A stack overflow (not a RangeError of a user's toJSON): say that the depth is the cause.
    if (error instanceof RangeError) {
      const depth = nestingDepth(item);
      if (depth >= DEEP) throw tooDeep(item, depth, stepId);
    }
    json = undefined;
  }
  if (json === undefined) {
    throw new EddyTypeError("OUTPUT_NOT_STRINGABLE", stepId, `Step "${stepId}" (capture): items written to ${target}; got \`${preview(item)}\` instead`);
  }
  return json;
}

/** A line of `StdOutputConfig`: a string as it is, any other value as JSON (the studio previews with it too). */
export function stdoutLine(item: unknown, stepId: string): string {
  return typeof item === "string" ? item : jsonLine(item, stepId, "standard output must be strings or JSON-serializable values");
}

/** A line of `FileOutputConfig`: every value as JSON, strings too (the studio previews with it too). */
export function fileLine(item: unknown, stepId: string): string {
  return jsonLine(item, stepId, "a file must be JSON-serializable values");
}

/** Below this depth, JSON.stringify does not run out of stack on any host Eddy runs on. */
const DEEP = 1000;

function tooDeep(item: unknown, depth: number, stepId: string): EddyTypeError {
  return new EddyTypeError(
    "OUTPUT_TOO_DEEP",
    stepId,
    `Step "${stepId}" (capture): the item \`${preview(item)}\` is nested ${depth} levels deep, deeper than JSON.stringify can write here (it runs out of call stack a few thousand levels down, depending on the stack size)`,
  );
}
