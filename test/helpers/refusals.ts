/**
 * What a refused call threw, as tests compare it: the error's stable code and its message.
 */

import type { EddyError } from "../../engine/errors.js";

/**
 * `[code, message]` of what `call` threw, or undefined when it returned.
 *
 * @example
 * expect(refusalOf(() => flow.merge([]))).toEqual(["FLOW_STREAM_INVALID", "merge: expected a non-empty array of Streams; got `[]` instead"]);
 */
export function refusalOf(call: () => unknown): [code: string, message: string] | undefined {
  try {
    call();
  } catch (error) {
    return [(error as EddyError).code, (error as Error).message];
  }
  return undefined;
}
