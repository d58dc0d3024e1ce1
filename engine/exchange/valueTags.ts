/**
 * The tags of the exchange's value encoding (valueWriter.ts writes them, valueReader.ts reads
 * them). One byte before each value says what follows; lengths and indices are unsigned LEB128
 * varints, integers zigzag varints, floats little-endian float64.
 *
 * Strings of at most TABLE_MAX_LENGTH characters enter a per-frame table the first time they are
 * written, and later occurrences in the same frame are written as their index (STRING_REF); objects
 * likewise: the first object of a shape (its keys, in order) writes the keys (OBJECT_NEW), later
 * ones only the shape's index and the values (OBJECT). Both tables start empty in every frame, so
 * a frame decodes alone.
 */

export const TAG = {
  UNDEFINED: 0,
  NULL: 1,
  FALSE: 2,
  TRUE: 3,
  /** A safe integer in the int32 range (not -0): zigzag varint. */
  INT: 4,
  /** Any other number (NaN, ±Infinity, -0, fractions, large integers): float64. */
  FLOAT: 5,
  /** A string whose characters are all below 256: varint length, one byte per character. */
  STRING_LATIN1: 6,
  /** Any other string: varint length, two bytes (UTF-16 code unit, little-endian) per character, lone surrogates included. */
  STRING_UTF16: 7,
  /** A string of the frame's table: varint index. */
  STRING_REF: 8,
  /** A bigint: its decimal digits as a string (STRING_* or STRING_REF follows). */
  BIGINT: 9,
  /** varint length, then the elements. */
  ARRAY: 10,
  /** An array hole (a missing index of a sparse array). */
  HOLE: 11,
  /** varint key count, the keys (strings), then the values. */
  OBJECT_NEW: 12,
  /** varint shape index, then the values in the shape's key order. */
  OBJECT: 13,
  /** float64 time value. */
  DATE: 14,
  /** varint size, then key and value of each entry. */
  MAP: 15,
  /** varint size, then the members. */
  SET: 16,
  /** source string, flags string. */
  REGEXP: 17,
  /** name, message and stack (strings, or undefined). */
  ERROR: 18,
  /** varint byte length, the bytes. */
  ARRAY_BUFFER: 19,
  /** one byte: which view (VIEW_KINDS), varint byte length, the bytes. */
  VIEW: 20,
  /** A container seen before in this frame (frames encoded with references only): varint index. */
  REFERENCE: 21,
} as const;

/** Strings longer than this are written in full each time (they rarely repeat, and the table lookup would cost more). */
export const TABLE_MAX_LENGTH = 64;

/** Typed arrays and DataView, by the tag Object.prototype.toString gives them; the index is the byte after VIEW. */
export const VIEW_KINDS = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
  "DataView",
] as const;

/** Errors that keep their class across the exchange (as structured clone does); any other name arrives as an Error. */
export const ERROR_NAMES = ["Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"] as const;
