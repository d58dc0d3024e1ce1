/**
 * Durations as people type them: "10s", "500ms", "2m", "1.5h", "1m30s", or a plain number of
 * milliseconds. The flow file always holds milliseconds; the studio's duration fields take either.
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** One or more `<number><unit>` parts, e.g. "1m30s"; units ms, s, m, h, d; spaces allowed between parts. */
const PARTS = /^(?:\s*\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$/i;
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gi;

export type DurationParse = { ok: true; ms: number } | { ok: false; reason: string };

/**
 * Milliseconds from a duration's text; a plain number is milliseconds. The result is rounded to a
 * whole number of milliseconds when units give a fraction ("1.0005s").
 *
 * @example
 * parseDuration("10s"); // { ok: true, ms: 10000 }
 * parseDuration("1m30s"); // { ok: true, ms: 90000 }
 * parseDuration("250"); // { ok: true, ms: 250 }
 * parseDuration("ten"); // { ok: false, reason: 'not a duration: write milliseconds (250) or a number with a unit (500ms, 10s, 2m, 1h)' }
 */
export function parseDuration(text: string): DurationParse {
  const trimmed = text.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) return { ok: true, ms: Number(trimmed) };
  if (trimmed !== "" && PARTS.test(trimmed)) {
    let ms = 0;
    for (const [, amount, unit] of trimmed.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit!.toLowerCase()]!;
    return { ok: true, ms: Math.round(ms) };
  }
  return { ok: false, reason: "not a duration: write milliseconds (250) or a number with a unit (500ms, 10s, 2m, 1h)" };
}

/**
 * A number of milliseconds in the largest unit that divides it, for reading: "10 s", "2 min", "1.5 s".
 *
 * @example
 * describeDuration(90_000); // "1.5 min"
 * describeDuration(250); // "250 ms"
 */
export function describeDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const units: [number, string][] = [[86_400_000, "d"], [3_600_000, "h"], [60_000, "min"], [1000, "s"]];
  for (const [size, name] of units) {
    if (Math.abs(ms) >= size) {
      const value = Math.round((ms / size) * 1000) / 1000;
      return `${value.toLocaleString("en-US")} ${name}`;
    }
  }
  return `${ms.toLocaleString("en-US")} ms`;
}
