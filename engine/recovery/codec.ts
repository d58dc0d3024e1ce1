/**
 * State values to bytes and back, with msgpackr: plain objects, arrays, Map, Set, Date, typed
 * arrays, bigint. The same bytes in every store and host. A value that cannot be stored faithfully
 * (a function, a symbol, a class instance's methods, a nesting deeper than MAX_DEPTH; see
 * runtime/plainData.ts) is refused with the step and key, rather than silently saved as something
 * else or overflowing the stack.
 */

import { Packr } from "msgpackr";
import { EddyError } from "../errors.js";
import { notPlainData } from "../runtime/plainData.js";

// Records (msgpackr's extension for objects) keep objects and Maps apart; without shared
// structures every encoding describes itself, so any process or host decodes it alone.
const packr = new Packr({ structuredClone: true, moreTypes: true });

export function encodeState(value: unknown, stepId: string, op: string, key: string): Uint8Array {
  const problem = notPlainData(value);
  if (problem) {
    throw new EddyError(
      "RECOVERY_UNSERIALIZABLE",
      `Step "${stepId}" (${op}): the state of key ${JSON.stringify(key)} cannot be saved for recovery: ${problem}`,
    );
  }
  return packr.pack(value);
}

export function decodeState(bytes: Uint8Array, where: string): unknown {
  try {
    return packr.unpack(bytes);
  } catch (error) {
    throw new EddyError("RECOVERY_CORRUPT", `Recovery data of ${where} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}
