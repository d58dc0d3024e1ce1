/**
 * The exchange format (engine/exchange/frame.ts): every message kind and every kind of plain data
 * round-trips as structured clone copies it, values made in a node:vm context (as flow functions
 * make them) arrive as this realm's own, frames own their buffer (they can be transferred), and
 * bytes that are not a frame are refused with EXCHANGE_BAD_FRAME.
 */

import { compileFunction, createContext, runInContext, runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { FRAME_VERSION, FrameDecoder, FrameEncoder, decodeFrame, encodeFrame, type WireMessage } from "../../engine/exchange/frame.js";
import type { AnyFn } from "../../engine/dataflow/steps.js";
import type { FunctionGenerator } from "../../engine/runtime/generatedCode.js";

const data = (items: unknown[]): WireMessage => ({ kind: "data", node: 3, port: 1, epoch: 7, items });
const roundTrip = (items: unknown[]): unknown[] => {
  const decoded = decodeFrame(encodeFrame(data(items)));
  if (decoded.kind !== "data") throw new Error(`decoded a ${decoded.kind} frame`);
  return decoded.items;
};

describe("exchange frames", () => {
  it("round-trip every message kind, Infinity frontiers included", () => {
    const messages: WireMessage[] = [
      data([["a", 1]]),
      { kind: "frontier", node: 2, port: 0, from: 1, frontier: Infinity },
      { kind: "progress", from: 3, frontier: 12, durable: 11 },
      { kind: "stop", from: 0, at: 4 },
      { kind: "credit", frames: 16 },
      { kind: "data", node: 300, port: 2, epoch: 2 ** 40, items: [] },
    ];
    for (const message of messages) expect(decodeFrame(encodeFrame(message))).toStrictEqual(message);
  });

  const kinds: [string, unknown][] = [
    ["strings (latin-1, UTF-16, emoji, a lone surrogate, empty, long)", ["w1", "héllo", "日本語", "🙂", "\ud800x", "", "x".repeat(10_000), "é".repeat(70)]],
    ["numbers (ints, negative, fractions, -0, NaN, ±Infinity, large)", [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 1.5, -0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, 1e300]],
    ["booleans, null, undefined", [true, false, null, undefined]],
    ["bigint, large ones too", [0n, -5n, 2n ** 200n]],
    ["nested arrays and objects", [[1, [2, [3, { a: [4, { b: null }] }]]], { x: { y: { z: [] } } }, {}]],
    ["objects of several shapes, alternating", [{ a: 1, b: 2 }, { b: 1, a: 2 }, { a: 3, b: 4 }, { a: 1 }, { "1": "x", a: 1 }, { "a b": 1, "": 2 }]],
    ["an own __proto__ key", [JSON.parse('{"__proto__": {"x": 1}, "y": 2}')]],
    ["a null-prototype object", [Object.assign(Object.create(null) as object, { a: 1 })]],
    ["a sparse array", [[1, , 3]]], // eslint-disable-line no-sparse-arrays
    ["Date (and an invalid one)", [new Date(1_700_000_000_123), new Date(NaN)]],
    ["Map and Set, nested", [new Map<unknown, unknown>([["a", new Set([1, "b", [2]])], [1, new Map([[{ k: 1 }, null]])]])]],
    ["RegExp", [/a+b/gi, /[\u{1F600}]/u]],
    ["Uint8Array, Buffer, other typed arrays, DataView, ArrayBuffer", [new Uint8Array([1, 2, 255]), Buffer.from("hi"), new Float64Array([1.5, -0, NaN]), new Int32Array([-1]), new BigInt64Array([-(2n ** 63n)]), new Uint8ClampedArray([300]), new DataView(new Uint8Array([9, 8]).buffer), new Uint8Array([1, 2]).buffer]],
    ["Error and its standard subclasses", [new Error("boom"), new TypeError("bad type"), new RangeError("far")]],
    ["a cycle", [(() => { const a: unknown[] = [1]; a.push(a); return a; })()]],
    ["keyed items as the exchange sends them", Array.from({ length: 600 }, (_, i) => [`w${i % 7}`, { word: `w${i % 7}`, t: i }])],
  ];
  for (const [what, items] of kinds) {
    it(`round-trip ${what} as structured clone does`, () => {
      const list = items as unknown[];
      expect(roundTrip(list)).toStrictEqual(structuredClone(list));
      // And with objects built by generated code (where the host allows it), the same.
      const generated = new FrameDecoder({ generateCode: true }).decode(new FrameEncoder({ generateCode: true }).encode(data(list)));
      expect(generated).toStrictEqual(data(structuredClone(list)));
    });
  }

  it("keep an own __proto__ key an own property with generated builders too, frame after frame", () => {
    const decoder = new FrameDecoder({ generateCode: true });
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') as Record<string, unknown>;
    for (let i = 0; i < 3; i++) {
      const decoded = decoder.decode(new FrameEncoder({ generateCode: true }).encode(data([value, value]))) as { items: Record<string, unknown>[] };
      for (const item of decoded.items) {
        expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
        expect(Object.keys(item)).toEqual(["__proto__", "a"]);
        expect(item.polluted).toBeUndefined();
      }
    }
  });

  it("build the objects of generated readers in the realm of the generator they are given (Host.generateFunction), with the same values", () => {
    const context = createContext({});
    const realmObject = runInContext("Object.prototype", context) as object;
    const generate: FunctionGenerator = (parameters, body) => compileFunction(body, [...parameters], { parsingContext: context }) as AnyFn;
    const encoder = new FrameEncoder({ generateCode: true });
    const decoder = new FrameDecoder({ generateCode: true, generate });
    // Pairs with record values (the pair-column reader) and records alone (the value reader's builders).
    const items = [["w1", { word: "w1", t: 1 }], ["w2", { word: "w2", t: 2 }], { word: "w3", t: 3 }, { word: "w4", t: 4 }];
    for (let frame = 0; frame < 2; frame++) {
      const decoded = decoder.decode(encoder.encode(data(items)));
      // The same values (toEqual: the prototypes are the other realm's, which toStrictEqual compares).
      expect(decoded).toEqual(data(structuredClone(items)));
      if (decoded.kind !== "data") throw new Error("not a data frame");
      const records = decoded.items.map((item) => (Array.isArray(item) ? item[1] : item) as object);
      for (const record of records) expect(Object.getPrototypeOf(record)).toBe(realmObject);
    }
    // Pairs of a number or a string column: the pairs themselves are the realm's arrays.
    const realmArray = runInContext("Array.prototype", context) as object;
    for (const pairs of [[["k1", 1], ["k2", 2.5]], [["k1", "a"], ["k2", "b"]]]) {
      const decoded = decoder.decode(encoder.encode(data(pairs)));
      expect(decoded).toEqual(data(structuredClone(pairs)));
      if (decoded.kind !== "data") throw new Error("not a data frame");
      for (const pair of decoded.items) expect(Object.getPrototypeOf(pair)).toBe(realmArray);
    }
    // Without a generator, this realm's.
    const here = new FrameDecoder({ generateCode: true }).decode(encoder.encode(data(items)));
    if (here.kind !== "data") throw new Error("not a data frame");
    expect(Object.getPrototypeOf((here.items[0] as unknown[])[1])).toBe(Object.prototype);
  });

  it("keep a cycle a cycle", () => {
    const value: Record<string, unknown> = { name: "loop" };
    value.self = value;
    const [decoded] = roundTrip([value]) as [Record<string, unknown>];
    expect(decoded.self).toBe(decoded);
    expect(decoded.name).toBe("loop");
  });

  it("give Uint8Array and Buffer back as Uint8Array, with bytes of their own", () => {
    const view = new Uint8Array([0, 1, 2, 3, 4, 5]).subarray(2, 4);
    const [decoded] = roundTrip([view]) as [Uint8Array];
    expect(decoded.constructor).toBe(Uint8Array);
    expect([...decoded]).toEqual([2, 3]);
    expect(decoded.buffer.byteLength).toBe(2);
    expect((roundTrip([Buffer.from([7])])[0] as object).constructor).toBe(Uint8Array);
  });

  it("read values made in a node:vm context (flow functions) as this realm's own", () => {
    const foreign = runInNewContext(`[{ at: new Date(5), m: new Map([["k", new Set([1])]]), list: [1, { a: "b" }], bytes: new Float32Array([0.5]), re: /x/g, error: new TypeError("t") }]`) as unknown[];
    const [decoded] = roundTrip(foreign) as [Record<string, unknown>];
    expect(decoded.at).toBeInstanceOf(Date);
    expect((decoded.at as Date).getTime()).toBe(5);
    expect(decoded.m).toBeInstanceOf(Map);
    expect((decoded.m as Map<string, Set<number>>).get("k")).toStrictEqual(new Set([1]));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded.list).toStrictEqual([1, { a: "b" }]);
    expect(decoded.bytes).toStrictEqual(new Float32Array([0.5]));
    expect(decoded.re).toStrictEqual(/x/g);
    expect(decoded.error).toBeInstanceOf(TypeError);
    expect((decoded.error as Error).message).toBe("t");
  });

  it("refuse what is not plain data, saying what it holds", () => {
    class Reading {
      constructor(readonly v: number) {}
    }
    expect(() => encodeFrame(data([["k", new Reading(1)]]))).toThrow("an instance of class Reading cannot cross to another worker");
    expect(() => encodeFrame(data([["k", () => 1]]))).toThrow("a function cannot cross to another worker");
    expect(() => encodeFrame(data([["k", Symbol("s")]]))).toThrow("a symbol cannot cross to another worker");
  });

  it("own their whole buffer, so that it can be transferred", () => {
    const encoder = new FrameEncoder();
    const first = encoder.encode(data([["a", 1]]));
    const second = encoder.encode(data([["b", 2]]));
    for (const frame of [first, second]) {
      expect(frame.byteOffset).toBe(0);
      expect(frame.buffer.byteLength).toBe(frame.length);
    }
    expect(first.buffer).not.toBe(second.buffer);
    expect(decodeFrame(first)).toStrictEqual(data([["a", 1]]));
  });

  it("decode with one decoder frame after frame (each frame's tables are its own)", () => {
    const encoder = new FrameEncoder();
    const decoder = new FrameDecoder();
    const frames = [data([["a", { x: 1 }], ["a", { x: 2 }]]), data([["b", { y: 1 }], ["a", { x: 3 }]])];
    for (const message of frames) expect(decoder.decode(encoder.encode(message))).toStrictEqual(message);
  });

  it("refuse bytes that are not a frame with EXCHANGE_BAD_FRAME, naming the sender", () => {
    const good = encodeFrame(data([["key", { word: "key", t: 1 }]]));
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([]), /shorter than a frame's header/],
      [Uint8Array.of(FRAME_VERSION + 1, 1, 0), new RegExp(`format version is ${FRAME_VERSION + 1}, and this Eddy reads version ${FRAME_VERSION}`)],
      [Uint8Array.of(FRAME_VERSION, 99, 0), /kind 99 is unknown/],
      [good.subarray(0, good.length - 1), /ends early/],
      [Uint8Array.from([...good, 0]), /1 bytes are left after the message/],
    ];
    for (const [bytes, message] of cases) {
      let caught: unknown;
      try {
        decodeFrame(bytes, "worker 1");
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(EddyError);
      expect((caught as EddyError).code).toBe("EXCHANGE_BAD_FRAME");
      expect((caught as EddyError).message).toMatch(/^A frame from worker 1 cannot be read/);
      expect((caught as EddyError).message).toMatch(message);
    }
  });
});
