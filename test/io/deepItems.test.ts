/**
 * Items nested too deep (issue 10, point 11): the cause named is the depth, with the limit, not
 * "not JSON-serializable": at a JSON output, at the state codec, and at the exchange of the runner.
 */

import { describe, expect, it } from "vitest";
import { fileLine, stdoutLine } from "../../engine/connectors/jsonLine.js";
import { nestingDepth } from "../../engine/connectors/nestingDepth.js";
import { encodeState } from "../../engine/recovery/codec.js";
import { MAX_DEPTH, notPlainData } from "../../engine/runtime/plainData.js";

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("deeply nested items", () => {
  it("measures the depth without recursion", () => {
    expect(nestingDepth(1)).toBe(0);
    expect(nestingDepth([1, { a: [2] }])).toBe(3);
    expect(nestingDepth(nested(200_000))).toBe(200_000);
    const cycle: unknown[] = [];
    cycle.push([cycle]);
    expect(nestingDepth(cycle)).toBe(2);
  });

  for (const [name, line] of [
    ["stdout", stdoutLine],
    ["file", fileLine],
  ] as const) {
    it(`a ${name} output names the depth of an item JSON.stringify cannot write`, () => {
      expect(() => line(nested(200_000), "out")).toThrowError(
        /^Step "out" \(capture\): the item `\[\[\[\[.*` is nested 200000 levels deep, deeper than JSON.stringify can write here/,
      );
      let code: unknown;
      try {
        line(nested(200_000), "out");
      } catch (error) {
        code = (error as { code?: unknown }).code;
      }
      expect(code).toBe("OUTPUT_TOO_DEEP");
    });

    it(`a ${name} output still says "JSON-serializable" for what JSON cannot write at any depth`, () => {
      expect(() => line([1n], "out")).toThrowError(/JSON-serializable/);
    });
  }

  it("the state codec refuses a state deeper than MAX_DEPTH, naming the depth and the limit", () => {
    expect(() => encodeState(nested(MAX_DEPTH + 1), "s", "stateful_map", "k")).toThrowError(
      `Step "s" (stateful_map): the state of key "k" cannot be saved for recovery: it is nested more than ${MAX_DEPTH} levels deep (the most for items`,
    );
    expect(() => encodeState(nested(MAX_DEPTH), "s", "stateful_map", "k")).not.toThrow();
    // Before: msgpackr ran out of call stack ("Maximum call stack size exceeded"), with no step or key.
    expect(() => encodeState(nested(50_000), "s", "stateful_map", "k")).toThrowError(/nested more than 1000 levels deep/);
  });

  it("plain data allows cycles and shared parts, which structured clone and msgpackr copy", () => {
    const shared = { x: 1 };
    const cycle: Record<string, unknown> = { shared, again: shared };
    cycle["self"] = cycle;
    expect(notPlainData(cycle)).toBeUndefined();
    expect(notPlainData(nested(MAX_DEPTH))).toBeUndefined();
  });
});
