/**
 * Pair columns: the exchange's fast path for a frame whose items are all `[string, value]` pairs
 * of one schema, where the value is a number, a string, or a flat plain object with the same keys
 * in the same order whose fields are each always a number or always a string (W2's `[key, count]`,
 * W3's `[word, { word, t }]`, what keyed flows send). One schema per frame, written once, and then
 * for each item its key and its value without any tag: numbers as float64, strings as table entries
 * (ValueWriter.stringEntry: a reference to the frame's string table, or the characters), a record's
 * fields in the schema's order. Decoded, the items are exactly what the general encoding gives (and
 * structured clone makes): arrays and plain objects of the receiving realm, the same numbers (-0 and
 * NaN included) and strings (lone surrogates included), the same key order.
 *
 * Layout, after the data frame's item count (frame.ts, flag COLUMNS):
 *   schema  byte value kind (NUMBER, STRING or RECORD); for RECORD: varint field count (1 to
 *           MAX_FIELDS), then each field's name (a string entry) and kind (byte NUMBER or STRING)
 *   rows    per item: key (string entry), then the value: NUMBER float64 | STRING string entry |
 *           RECORD each field in order
 *
 * This module decides the schema; pairColumnsWriter.ts and pairColumnsReader.ts write and read.
 */

export const COLUMN = { NUMBER: 0, STRING: 1, RECORD: 2 } as const;

/** The most fields a record of pair columns has (wider values take the general encoding). */
export const MAX_FIELDS = 16;

/** The schema of a frame's pairs: the value's kind and, for a record, its keys and their kinds (NUMBER or STRING). */
export interface PairSchema {
  readonly value: number;
  readonly fields: readonly string[];
  readonly kinds: readonly number[];
}

const OBJECT_PROTOTYPE: unknown = Object.prototype;
const NUMBER: PairSchema = { value: COLUMN.NUMBER, fields: [], kinds: [] };
const STRING: PairSchema = { value: COLUMN.STRING, fields: [], kinds: [] };

/**
 * Whether the general encoding writes `value` as a plain record (valueWriter.ts): not an array, and
 * its prototype is Object.prototype of any realm (a node:vm context's too) or null.
 */
export function isPlainRecord(value: object): boolean {
  if (Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === OBJECT_PROTOTYPE || proto === null || Object.getPrototypeOf(proto) === null;
}

/** Whether `item` is a dense `[string, value]` pair (the pair columns' row). */
export function isPair(item: unknown): item is [string, unknown] {
  return Array.isArray(item) && item.length === 2 && typeof item[0] === "string";
}

/** The schema of pair columns that `item` fits, or undefined when it takes the general encoding. */
export function schemaOf(item: unknown): PairSchema | undefined {
  if (!isPair(item)) return undefined;
  const value = item[1];
  if (typeof value === "number") return NUMBER;
  if (typeof value === "string") return STRING;
  if (typeof value !== "object" || value === null || !isPlainRecord(value)) return undefined;
  const fields: string[] = [];
  const kinds: number[] = [];
  for (const key in value) {
    // An own "__proto__" key takes the general path, which keeps it an own property.
    if (fields.length === MAX_FIELDS || key === "__proto__") return undefined;
    const field = (value as Record<string, unknown>)[key];
    if (typeof field === "number") kinds.push(COLUMN.NUMBER);
    else if (typeof field === "string") kinds.push(COLUMN.STRING);
    else return undefined;
    fields.push(key);
  }
  return fields.length === 0 ? undefined : { value: COLUMN.RECORD, fields, kinds };
}

/**
 * Checks that values are plain records with exactly a schema's keys, in order. A record made in a
 * node:vm context has that context's Object.prototype, whose own prototype `isPlainRecord` asks
 * for each time (a second Object.getPrototypeOf, a runtime call in V8); a realm's Object.prototype
 * can never change its prototype (it is an immutable prototype object), so the last one seen is
 * remembered and then recognised by identity.
 */
export class RecordCheck {
  private knownPrototype: unknown = OBJECT_PROTOTYPE;

  fits(value: unknown, fields: readonly string[]): boolean {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== this.knownPrototype && proto !== null) {
      if (Object.getPrototypeOf(proto) !== null) return false;
      if (isObjectPrototypeOfARealm(proto as object)) this.knownPrototype = proto;
    }
    let count = 0;
    for (const key in value) {
      if (key !== fields[count]) return false;
      count++;
    }
    return count === fields.length;
  }
}

/**
 * Whether `proto` is the Object.prototype of some realm: its `constructor` is a realm's own `Object`
 * (a native function of that name: user code cannot make one), whose `prototype` (read-only) is it.
 */
function isObjectPrototypeOfARealm(proto: object): boolean {
  const constructor: unknown = Object.getOwnPropertyDescriptor(proto, "constructor")?.value;
  return typeof constructor === "function" && Function.prototype.toString.call(constructor) === "function Object() { [native code] }" && (constructor as { prototype?: unknown }).prototype === proto;
}

/** A schema's identity, for the caches of generated code. */
export function schemaId(schema: PairSchema): string {
  return JSON.stringify([schema.value, schema.fields, schema.kinds]);
}
