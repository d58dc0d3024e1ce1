import { describe, expect, it } from "vitest";
import { preview } from "../../engine/preview.js";

describe("preview of offending values in error messages", () => {
  it("renders values the way a developer would type them", () => {
    expect(preview("a\nb")).toBe('"a\\nb"');
    expect(preview(42)).toBe("42");
    expect(preview(-0)).toBe("-0");
    expect(preview(10n)).toBe("10n");
    expect(preview(undefined)).toBe("undefined");
    expect(preview(null)).toBe("null");
    expect(preview(["a", 1, [true]])).toBe('["a", 1, [true]]');
    expect(preview({ a: 1, "b c": "x" })).toBe('{a: 1, "b c": "x"}');
    expect(preview(new Map([["k", 1]]))).toBe('Map(1) {"k" => 1}');
    expect(preview(new Set([1, 2]))).toBe("Set(2) {1, 2}");
    expect(preview(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
    expect(preview(function named() {})).toBe("[Function named]");
    expect(preview(new Uint8Array(3))).toBe("Uint8Array(3 bytes)");
    expect(preview(new (class Point { x = 1 })())).toBe("Point {x: 1}");
  });

  it("shortens long values to the limit with an ellipsis", () => {
    const text = preview(Array.from({ length: 100 }, (_, i) => `value-number-${i}`));
    expect(text.length).toBe(80);
    expect(text.endsWith("…")).toBe(true);
  });

  it("never throws, whatever the value", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(preview(cyclic)).toBe('{name: "loop", self: [Circular]}');
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error("no"); } });
    expect(preview(hostile)).toBe("[unrenderable]");
    expect(preview(Symbol("s"))).toBe("Symbol(s)");
  });
});
