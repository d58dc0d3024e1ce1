/**
 * Properties of pair columns (engine/exchange/pairColumns.ts): any batch of `[string, value]`
 * pairs, of one schema or almost (one item changed into something else, which sends the frame to
 * the general encoding), made in this realm or in a node:vm context, decodes through the fast path
 * to exactly what the general encoding gives and structured clone makes, keys in the same order,
 * with generated code and without; and damaged frames of pair columns are refused with
 * EXCHANGE_BAD_FRAME only.
 */

import fc from "fast-check";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { FrameDecoder, FrameEncoder, type WireMessage } from "../../engine/exchange/frame.js";

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom("w1", "k2", "", "é", "\ud800"), fc.string({ minLength: 60, maxLength: 80 }));
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 0, NaN, Infinity, 2 ** 31, -(2 ** 31)));
// Not "constructor": vitest's toStrictEqual compares \`a.constructor === b.constructor\`, which an own NaN field fails (pairColumns.test.ts has one).
const fieldName = fc.oneof(fc.constantFrom("word", "t", "0", "7", "__proto__", "toString", ""), fc.string({ maxLength: 6 }).filter((name) => name !== "constructor"));

/** A record schema: up to 18 fields (more than the fast path takes), each a number or a string. */
const recordSchema = fc.uniqueArray(fc.tuple(fieldName, fc.boolean()), { minLength: 1, maxLength: 18, selector: ([name]) => name });
const recordOf = (schema: readonly (readonly [string, boolean])[]) => fc.tuple(...schema.map(([, isNumber]) => (isNumber ? number : text))).map((values) => {
  const record: Record<string, unknown> = {};
  schema.forEach(([name], f) => Object.defineProperty(record, name, { value: values[f], enumerable: true, writable: true, configurable: true }));
  return record;
});

const pairs = fc.oneof(
  fc.array(fc.tuple(text, number), { minLength: 1, maxLength: 40 }),
  fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 40 }),
  recordSchema.chain((schema) => fc.array(fc.tuple(text, recordOf(schema)), { minLength: 1, maxLength: 40 })),
);
/** Something else in one item's place: another kind of value, a record of another shape, not a pair. */
const other = fc.oneof(fc.tuple(text, fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.dictionary(fieldName, number, { maxKeys: 3 }))), fc.constantFrom("a", 1, ["x"], ["x", 1, 2]));
const batch = fc.tuple(pairs, fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.tuple(fc.nat(), other), weight: 1 })).map(([items, change]) => {
  const copy: unknown[] = [...items];
  if (change !== null) copy[change[0] % copy.length] = change[1];
  return copy;
});

/** The same items made in a node:vm context (own Array and Object prototypes), as flow functions make them. */
const inOtherRealm = runInNewContext(`(function copy(value) {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value !== "object" || value === null) return value;
  const record = {};
  for (const key of Object.keys(value)) Object.defineProperty(record, key, { value: copy(value[key]), enumerable: true, writable: true, configurable: true });
  return record;
})`) as (items: unknown[]) => unknown[];

const COLUMNS_FLAG = 4;
const data = (items: unknown[]): WireMessage => ({ kind: "data", node: 0, port: 0, epoch: 0, items });
const keyOrders = (message: WireMessage): unknown[] => (message.kind === "data" ? message.items.map((item) => (Array.isArray(item) && typeof item[1] === "object" && item[1] !== null ? Object.keys(item[1]) : null)) : []);

describe("pair columns, for any batch of pairs", () => {
  it("decode to what the general encoding gives and structured clone makes, in this realm and a node:vm context's", () => {
    let columns = 0;
    fc.assert(
      fc.property(batch, fc.boolean(), fc.boolean(), (items, foreign, generateCode) => {
        const sent = foreign ? inOtherRealm(items) : items;
        const frame = new FrameEncoder({ generateCode }).encode(data(sent));
        if ((frame[2]! & COLUMNS_FLAG) !== 0) columns++;
        const fast = new FrameDecoder({ generateCode }).decode(frame);
        const general = new FrameDecoder({ generateCode }).decode(new FrameEncoder({ generateCode, columns: false }).encode(data(sent)));
        expect(fast).toStrictEqual(general);
        expect(fast).toStrictEqual(data(structuredClone(items)));
        expect(keyOrders(fast)).toEqual(keyOrders(general));
      }),
      { numRuns: 400 },
    );
    // Both paths were taken: most batches fit a schema, the changed ones mostly do not.
    expect(columns).toBeGreaterThan(100);
    expect(columns).toBeLessThan(400);
  });

  it("refuse damaged frames of pair columns with EXCHANGE_BAD_FRAME only", () => {
    const frames = pairs.map((items) => new FrameEncoder().encode(data(items)));
    const damaged = fc.tuple(frames, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([frame, at, byte, cut]) => {
      const copy = frame.slice(0, frame.length - (cut % 3));
      copy[at % copy.length] = byte;
      return copy;
    });
    fc.assert(
      fc.property(damaged, (bytes) => {
        try {
          new FrameDecoder({ generateCode: true }).decode(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(EddyError);
          expect((error as EddyError).code).toBe("EXCHANGE_BAD_FRAME");
        }
      }),
      { numRuns: 500 },
    );
  });
});
