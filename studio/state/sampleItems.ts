/**
 * The items of a sample (or of a list input) as text: a JSON array, or JSON lines (one JSON value
 * per line, blank lines ignored), which keeps a 10,000-item sample at 10,000 short lines instead of
 * tens of thousands of pretty-printed ones. The studio shows items as JSON lines and reads both.
 */

import { findJsonSyntaxError } from "../../engine/host/index.js";

export type ItemsParse =
  | { ok: true; items: unknown[]; format: "array" | "lines" }
  | { ok: false; message: string; line: number; column: number };

/**
 * Items from text. The whole text as one JSON value: an array is the items, any other value is one
 * item. Else each non-blank line is one JSON value (JSON lines); the first line that does not parse
 * is the problem, with its line and column in the text.
 *
 * @example
 * parseItems('["a", 1]'); // { ok: true, items: ["a", 1], format: "array" }
 * parseItems('{"user": "a"}\n{"user": "b"}'); // { ok: true, items: [{ user: "a" }, { user: "b" }], format: "lines" }
 */
export function parseItems(text: string): ItemsParse {
  if (text.trim() === "") return { ok: true, items: [], format: "lines" };
  try {
    const whole: unknown = JSON.parse(text);
    return { ok: true, items: Array.isArray(whole) ? whole : [whole], format: Array.isArray(whole) ? "array" : "lines" };
  } catch {
    // not one JSON value: JSON lines
  }
  const items: unknown[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, "");
    if (line.trim() === "") continue;
    try {
      items.push(JSON.parse(line));
    } catch (error) {
      const found = findJsonSyntaxError(line);
      return {
        ok: false,
        message: `line ${index + 1} is not a JSON value: ${found?.message ?? (error instanceof Error ? error.message : String(error))}`,
        line: index + 1,
        column: (found?.offset ?? 0) + 1,
      };
    }
  }
  return { ok: true, items, format: "lines" };
}

/**
 * Items as JSON lines, one compact JSON value per line; `parseItems` reads back the same items. A
 * single item that is itself an array is written as an array of it (`[[1, 2]]`), since the line
 * `[1, 2]` alone reads as two items.
 *
 * @example
 * formatItems([{ user: "a" }, 2]); // '{"user":"a"}\n2'
 * formatItems([[1, 2]]); // '[[1,2]]'
 */
export function formatItems(items: readonly unknown[]): string {
  if (items.length === 1 && Array.isArray(items[0])) return JSON.stringify(items);
  return items.map((item) => JSON.stringify(item) ?? "null").join("\n");
}

/** "1 item", "10,000 items". */
export function countItems(count: number): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? "item" : "items"}`;
}
