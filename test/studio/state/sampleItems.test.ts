/** Sample items as text: a JSON array or JSON lines in, JSON lines out, with the item count. */

import { describe, expect, it } from "vitest";
import { countItems, formatItems, parseItems } from "../../../studio/state/sampleItems.js";

describe("parseItems", () => {
  it("reads a JSON array as the items", () => {
    expect(parseItems('[1, "two", {"three": 3}]')).toEqual({ ok: true, items: [1, "two", { three: 3 }], format: "array" });
    expect(parseItems('[\n  1,\n  2\n]')).toEqual({ ok: true, items: [1, 2], format: "array" });
  });

  it("reads JSON lines, one item per line, blank lines and CRLF ignored", () => {
    expect(parseItems('{"user": "a"}\r\n\n{"user": "b"}\n  \n["k", 1]\n')).toEqual({ ok: true, items: [{ user: "a" }, { user: "b" }, ["k", 1]], format: "lines" });
  });

  it("reads one value that is not an array as one item, and nothing as no items", () => {
    expect(parseItems('{\n  "user": "a"\n}')).toEqual({ ok: true, items: [{ user: "a" }], format: "lines" });
    expect(parseItems("  \n")).toEqual({ ok: true, items: [], format: "lines" });
  });

  it("names the first line that is not JSON, with its column", () => {
    const result = parseItems('{"a": 1}\n{"a": 2}\n{"a": }\n{"a": 4}');
    expect(result).toMatchObject({ ok: false, line: 3, column: 7 });
    if (!result.ok) expect(result.message).toMatch(/^line 3 is not a JSON value: /);
  });

  it("reads 10,000 lines", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ user: `u${i % 7}`, n: i })).join("\n");
    const result = parseItems(text);
    expect(result.ok && result.items.length).toBe(10_000);
    expect(result.ok && result.items[9_999]).toEqual({ user: "u3", n: 9_999 });
  });
});

describe("formatItems", () => {
  it("writes one compact JSON value per line, which reads back the same", () => {
    const items = [{ user: "a", tags: ["x"] }, "text", 3, null, ["k", 1], [[1]]];
    const text = formatItems(items);
    expect(text.split("\n")).toHaveLength(items.length);
    expect(parseItems(text)).toMatchObject({ ok: true, items });
  });

  it("writes a single array item so that it reads back as one item", () => {
    expect(formatItems([[1, 2]])).toBe("[[1,2]]");
    expect(parseItems(formatItems([[1, 2]]))).toMatchObject({ ok: true, items: [[1, 2]] });
    expect(parseItems(formatItems([]))).toMatchObject({ ok: true, items: [] });
  });
});

describe("countItems", () => {
  it("counts", () => {
    expect(countItems(0)).toBe("0 items");
    expect(countItems(1)).toBe("1 item");
    expect(countItems(10_000)).toBe("10,000 items");
  });
});
