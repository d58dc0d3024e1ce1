/** Items as JSON text, for the outputs that write text (standard output, files). */

import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";

/**
 * `item` as one line of JSON; a value JSON cannot write (undefined, a function, a symbol, a
 * bigint, a cycle) is a TypeError naming the step and saying what the output (`target`) takes.
 */
export function jsonLine(item: unknown, stepId: string, target: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(item);
  } catch {
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
