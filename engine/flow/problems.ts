/** What is wrong with a flow definition: the unit that parsing and validation report. */

import type { ErrorCode } from "../errorCodes.js";

/** Codes that must be in the table of error codes (a code missing there does not compile). */
type ListedCodes<Code extends ErrorCode> = Code;

/** The stable codes of flow problems, each in the table of error codes (engine/errorCodes.ts). */
export type FlowProblemCode = ListedCodes<
  /** The text is not JSON (parseFlow). */
  | "FLOW_JSON_SYNTAX"
  /** `format` is not "eddy.flow". */
  | "FLOW_WRONG_FORMAT"
  /** `version` is newer than this Eddy reads. */
  | "FLOW_VERSION_NEWER"
  /** A field that the format does not have (every object is strict, except inside `ui`). */
  | "FLOW_UNKNOWN_FIELD"
  /** A required field is absent. */
  | "FLOW_MISSING_FIELD"
  /** A value of the wrong JSON type (a number where a string belongs, ...). */
  | "FLOW_WRONG_TYPE"
  /** A value of the right type outside what is allowed (an empty array, a negative length, ...). */
  | "FLOW_INVALID_VALUE"
  /** A step's `op` is not a step kind. */
  | "FLOW_UNKNOWN_STEP_KIND"
  /** A block's `type` (input, sample, output, clock, window, epoch, recovery) is not one of its types. */
  | "FLOW_UNKNOWN_BLOCK_TYPE"
  /** A step id that does not match `^[A-Za-z0-9][A-Za-z0-9_-]*$`. */
  | "FLOW_INVALID_STEP_ID"
  /** Two steps with the same id. */
  | "FLOW_DUPLICATE_STEP_ID"
  /** `after` names a step that does not exist. */
  | "FLOW_UNKNOWN_AFTER"
  /** `after` names the same step twice. */
  | "FLOW_DUPLICATE_AFTER"
  /** `after` names an output a step does not have (`ID:late` of a step that is not a window step). */
  | "FLOW_UNKNOWN_OUTPUT"
  /** An input step with `after` (inputs start streams). */
  | "FLOW_INPUT_AFTER"
  /** Steps that feed each other in a circle, or a step that feeds itself. */
  | "FLOW_CYCLE"
  /** No input step. */
  | "FLOW_NO_INPUT"
  /** No capture step. */
  | "FLOW_NO_CAPTURE"
  /** A function that does not parse as JavaScript. */
  | "FLOW_FUNCTION_SYNTAX"
  /** Source that parses but is not a function expression. */
  | "FLOW_NOT_A_FUNCTION"
  /** A `{ "$env": NAME }` where nothing resolves it (inside list or sample items, `ui`). */
  | "FLOW_ENV_UNRESOLVED"
  /** Validation itself failed (a bug); the message says how. */
  | "FLOW_INTERNAL_ERROR"
>;

export interface FlowProblem {
  readonly code: FlowProblemCode;
  /** JSON Pointer (RFC 6901) to the value at fault: "" for the whole flow, "/steps/2/fn", ... */
  readonly path: string;
  /** The id of the step the problem is in, when it is inside a step that has a string id. */
  readonly stepId?: string;
  /** What was expected, what was found, and where. */
  readonly message: string;
  /**
   * 1-based line and column: in the file's text for `FLOW_JSON_SYNTAX`, inside the function's own
   * source (its lines joined with "\n") for `FLOW_FUNCTION_SYNTAX`.
   */
  readonly line?: number;
  readonly column?: number;
  /**
   * "warning" for a problem inside a step that does not run (disabled, or skipped because every
   * step that feeds it is): it does not keep the flow from running. Absent for errors.
   */
  readonly severity?: "warning";
}

/** A JSON Pointer from path segments. */
export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}
