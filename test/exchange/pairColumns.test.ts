/**
 * Pair columns (engine/exchange/pairColumns.ts), the exchange's fast path for frames of
 * `[string, value]` pairs of one schema: which frames take it (and which take the general encoding
 * instead), that what they decode to is exactly what the general encoding and structured clone
 * give (values of a node:vm context included, as flow functions make them), with generated code
 * and without, and that a corrupt schema is refused with EXCHANGE_BAD_FRAME.
 */

import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { FRAME_VERSION, FrameDecoder, FrameEncoder, type WireMessage } from "../../engine/exchange/frame.js";

const COLUMNS_FLAG = 4;
const data = (items: unknown[]): WireMessage => ({ kind: "data", node: 3, port: 1, epoch: 7, items });

/** Encodes `items` with pair columns on, and returns whether they took them and what they decode to (checked against the general encoding). */
function roundTrip(items: unknown[], generateCode = false): { columns: boolean; items: unknown[] } {
  const frame = new FrameEncoder({ generateCode }).encode(data(items));
  const decoded = new FrameDecoder({ generateCode }).decode(frame);
  const general = new FrameDecoder({ generateCode }).decode(new FrameEncoder({ generateCode, columns: false }).encode(data(items)));
  expect(decoded).toStrictEqual(general);
  expect(keyOrders(decoded)).toEqual(keyOrders(general));
  if (decoded.kind !== "data") throw new Error(`decoded a ${decoded.kind} frame`);
  return { columns: (frame[2]! & COLUMNS_FLAG) !== 0, items: decoded.items };
}

/** The keys of every object in a decoded message, in order (toStrictEqual does not compare key order). */
function keyOrders(message: WireMessage): string[][] {
  if (message.kind !== "data") return [];
  return message.items.map((item) => {
    const value = (item as unknown[])[1];
    return typeof value === "object" && value !== null ? Object.keys(value) : [];
  });
}

describe("pair columns", () => {
  const fitting: [string, unknown[]][] = [
    ["[string, number] pairs (W2), special numbers included", [["k1", 1], ["k2", -0], ["k1", NaN], ["k3", Infinity], ["k4", -Infinity], ["k5", 1.5], ["k6", 2 ** 53], ["k7", -(2 ** 31) - 1]]],
    ["[string, string] pairs", [["a", "x"], ["b", ""], ["a", "héllo"], ["c", "日本語"], ["d", "\ud800 lone"], ["e", "y".repeat(100)]]],
    ["[word, { word, t }] records (W3)", Array.from({ length: 600 }, (_, i) => [`w${i % 7}`, { word: `w${i % 7}`, t: i }])],
    ["records of string and number fields, integer-like and odd keys", [["k", { "2": "two", b: 1, "a b": "c", "": 0, constructor: "x" }], ["k", { "2": "", b: -0, "a b": "é", "": NaN, constructor: "y" }]]],
    ["keys and values in UTF-16, with lone surrogates, empty and long", [["日本", { s: "\udc00" }], ["", { s: "" }], ["k".repeat(70), { s: "🙂".repeat(40) }], ["\ud83d", { s: "k".repeat(70) }]]],
    ["a null-prototype record (arrives as a plain object)", [["k", Object.assign(Object.create(null) as object, { a: 1 })]]],
  ];
  for (const [what, items] of fitting) {
    it(`take ${what} and decode them as the general encoding does`, () => {
      for (const generateCode of [false, true]) {
        const { columns, items: decoded } = roundTrip(items, generateCode);
        expect(columns).toBe(true);
        expect(decoded).toStrictEqual(structuredClone(items));
      }
    });
  }

  const general: [string, unknown[]][] = [
    ["values of two kinds", [["a", 1], ["b", "x"]]],
    ["a record field of two kinds", [["a", { v: 1 }], ["b", { v: "x" }]]],
    ["records of two shapes", [["a", { x: 1, y: 2 }], ["b", { y: 2, x: 1 }]]],
    ["a record with one field less", [["a", { x: 1, y: 2 }], ["b", { x: 1 }]]],
    ["a nested value", [["a", { x: { y: 1 } }]]],
    ["an empty record", [["a", {}]]],
    ["an own __proto__ key", [["a", JSON.parse('{"__proto__": 1, "b": 2}')]]],
    ["a record of 17 fields", [["a", Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, i]))]]],
    ["values that are neither numbers, strings nor records", [["a", true], ["b", null], ["c", undefined], ["d", [1, 2]], ["e", new Date(5)], ["f", 5n]]],
    ["items that are not pairs", [["a", 1], ["b", 1, 2], [1, 1], "a", ["c"]]],
    ["a sparse pair", [["a", 1], ["b", ,]]], // eslint-disable-line no-sparse-arrays
  ];
  for (const [what, items] of general) {
    it(`leave ${what} to the general encoding`, () => {
      for (const generateCode of [false, true]) {
        const { columns, items: decoded } = roundTrip(items, generateCode);
        expect(columns).toBe(false);
        expect(decoded).toStrictEqual(structuredClone(items));
      }
    });
  }

  it("read pairs and records made in a node:vm context (flow functions) as this realm's own", () => {
    const foreign = runInNewContext('Array.from({ length: 50 }, (_, i) => [`w${i % 5}`, { word: `w${i % 5}`, t: i }])') as unknown[];
    expect(Object.getPrototypeOf(foreign[0])).not.toBe(Array.prototype);
    for (const generateCode of [false, true]) {
      const { columns, items } = roundTrip(foreign, generateCode);
      expect(columns).toBe(true);
      for (const item of items as [string, object][]) {
        expect(Object.getPrototypeOf(item)).toBe(Array.prototype);
        expect(Object.getPrototypeOf(item[1])).toBe(Object.prototype);
      }
      expect(items).toStrictEqual(Array.from({ length: 50 }, (_, i) => [`w${i % 5}`, { word: `w${i % 5}`, t: i }]));
    }
  });

  it("refuse a class instance in a record's place as the general encoding does", () => {
    class Reading {
      constructor(readonly v: number) {}
    }
    expect(() => new FrameEncoder({ generateCode: true }).encode(data([["k", { v: 1 }], ["k", new Reading(1)]]))).toThrow("an instance of class Reading cannot cross to another worker");
  });

  it("take records whose prototype has a null prototype, and notice when that prototype changes", () => {
    class Reading {}
    // Not a realm's Object.prototype, even with its constructor: its own prototype may change.
    const base = Object.defineProperty(Object.create(null) as object, "constructor", { value: Object, writable: true, configurable: true });
    const record = Object.assign(Object.create(base) as object, { v: 1 });
    for (const generateCode of [false, true]) {
      const encoder = new FrameEncoder({ generateCode });
      expect(new FrameDecoder().decode(encoder.encode(data([["k", record]])))).toStrictEqual(data([["k", { v: 1 }]]));
      Object.setPrototypeOf(base, Reading.prototype);
      // The general encoding refuses it (naming the constructor that \`base\` holds).
      expect(() => encoder.encode(data([["k", record]]))).toThrow(/^an instance of class Object cannot cross to another worker$/);
      Object.setPrototypeOf(base, null);
    }
  });

  it("decode frame after frame with one decoder, shapes changing between frames", () => {
    const encoder = new FrameEncoder({ generateCode: true });
    const decoder = new FrameDecoder({ generateCode: true });
    const messages = [data([["a", { x: 1 }]]), data([["b", 2]]), data([["a", { y: "s", x: 3 }]]), data([["a", { x: 4 }], ["b", { x: 5 }]])];
    for (const message of messages) expect(decoder.decode(encoder.encode(message))).toStrictEqual(message);
  });

  it("refuse a schema that no writer makes with EXCHANGE_BAD_FRAME", () => {
    const field = (name: string, kind: number) => [0, name.length * 2, ...[...name].map((c) => c.charCodeAt(0)), kind];
    const rows = new Array<number>(20).fill(0);
    // After the schema, rows of zeros (empty keys, zero numbers): only the schema is wrong, or the frame is short.
    const cases: [number[], RegExp][] = [
      [[7, ...rows], /pair columns of the unknown kind 7/],
      [[2, 0, ...rows], /a record of 0 fields/],
      [[2, 17, ...rows], /a record of 17 fields/],
      [[2, 1, ...field("__proto__", 0), ...rows], /a field "__proto__"/],
      [[2, 1, ...field("a", 5), ...rows], /a field of the unknown kind 5/],
      [[0, 0, 2, 107], /ends early/],
    ];
    const header = [FRAME_VERSION, 1, COLUMNS_FLAG, 3, 1, ...new Uint8Array(new Float64Array([7]).buffer), 1];
    for (const [columns, message] of cases) {
      let caught: unknown;
      try {
        new FrameDecoder().decode(Uint8Array.from([...header, ...columns]));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(EddyError);
      expect((caught as EddyError).code).toBe("EXCHANGE_BAD_FRAME");
      expect((caught as EddyError).message).toMatch(message);
    }
  });
});
