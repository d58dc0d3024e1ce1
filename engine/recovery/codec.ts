/**
 * State values to bytes and back, with msgpackr: plain objects, arrays, Map, Set, Date, typed
 * arrays, bigint. The same bytes in every store and host. A value that cannot be stored faithfully
 * (a function, a symbol, a class instance's methods) is refused with the step and key, rather than
 * silently saved as something else.
 */

import { Packr } from "msgpackr";
import { EddyError } from "../errors.js";
import { isPlainObject, preview } from "../preview.js";

// Records (msgpackr's extension for objects) keep objects and Maps apart; without shared
// structures every encoding describes itself, so any process or host decodes it alone.
const packr = new Packr({ structuredClone: true, moreTypes: true });

export function encodeState(value: unknown, stepId: string, op: string, key: string): Uint8Array {
  const problem = unstorablePart(value, "", new Set());
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

/** Describes the first part of `value` that msgpackr would not store faithfully, or undefined. */
function unstorablePart(value: unknown, path: string, seen: Set<object>): string | undefined {
  const at = path === "" ? "" : ` at ${path}`;
  switch (typeof value) {
    case "function":
      return `it holds a function${at}`;
    case "symbol":
      return `it holds a symbol${at}`;
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null || seen.has(value)) return undefined;
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof RegExp) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = unstorablePart(value[i], `${path}[${i}]`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const problem = unstorablePart(k, `${path}.<key ${preview(k, 30)}>`, seen) ?? unstorablePart(v, `${path}.get(${preview(k, 30)})`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value instanceof Set) {
    for (const v of value) {
      const problem = unstorablePart(v, `${path}.<member>`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value instanceof Error) return undefined;
  if (!isPlainObject(value)) {
    const proto = Object.getPrototypeOf(value);
    return `it holds an instance of class ${proto?.constructor?.name ?? "?"}${at}, which would come back as a plain object`;
  }
  for (const [k, v] of Object.entries(value)) {
    const problem = unstorablePart(v, `${path}.${k}`, seen);
    if (problem) return problem;
  }
  return undefined;
}
