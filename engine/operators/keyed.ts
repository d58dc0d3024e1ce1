/**
 * The `[key, value]` contract of keyed steps (Bytewax 0.11's `(key, value)` 2-tuples) and the stable
 * hash that routes each key to its worker.
 */

import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { RETURN_RULES } from "../dataflow/returnRules.js";

/** Throws the Bytewax-worded TypeError when `item` is not a `[string, value]` pair. */
export function assertKeyed(item: unknown, stepId: string, op: string): asserts item is [string, unknown] {
  if (!Array.isArray(item) || item.length !== 2) {
    throw new EddyTypeError(
      "STEP_NOT_KEYED",
      stepId,
      `Step "${stepId}" (${op}): Dataflow requires a \`[key, value]\` 2-element array as input to every stateful operator; got \`${preview(item)}\` instead`,
    );
  }
  if (typeof item[0] !== "string") {
    throw new EddyTypeError(
      "STEP_KEY_NOT_STRING",
      stepId,
      `Step "${stepId}" (${op}): Stateful logic functions must return string keys in \`[key, value]\`; got \`${preview(item[0])}\` instead`,
    );
  }
}

/**
 * A 32-bit hash of a string's UTF-16 code units (FNV-1a, then murmur3's finalizer for spread).
 * It depends on nothing but the string, so it is the same in every process, run and JS engine.
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The worker that owns `key` among `workerCount` workers: `hashKey(key) % workerCount`. */
export function workerForKey(key: string, workerCount: number): number {
  // The same value, written so that the JIT divides 32-bit unsigned integers: hashes above 2^31
  // are not small integers, and `hashKey(key) % workerCount` was a float64 modulus (a call into
  // C), which made routing an item about 3 times as slow.
  return (hashKey(key) % (workerCount >>> 0)) >>> 0;
}

export function notBoolean(stepId: string, op: string, fnName: string, opName: string, value: unknown): EddyTypeError {
  return new EddyTypeError(
    "STEP_NOT_BOOLEAN",
    stepId,
    `Step "${stepId}" (${op}): return value of \`${fnName}\` in ${opName} operator ${RETURN_RULES.boolean}; got \`${preview(value)}\` instead`,
  );
}
