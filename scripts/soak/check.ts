/**
 * Checking a finished run's output against the records it must hold: each expected record exactly
 * once, nothing else. Lost: expected and absent; duplicated: present more often than expected;
 * wrong: present and not expected at all (or a line that is not JSON).
 */

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { canonical } from "./flows.js";

export interface Tally {
  readonly records: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly wrong: number;
}

/** Every line of the `.jsonl` files in `outDir`, as canonical JSON (unparsable lines stay as they are). */
export function outputRecords(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const records: string[] = [];
  for (const name of readdirSync(outDir).filter((file) => file.endsWith(".jsonl")).sort()) {
    for (const line of readFileSync(join(outDir, name), "utf8").split("\n")) {
      if (line.length === 0) continue;
      try {
        records.push(canonical(JSON.parse(line)));
      } catch {
        records.push(line);
      }
    }
  }
  return records;
}

/** Compares two multisets of records. */
export function tally(expected: readonly string[], actual: readonly string[]): Tally {
  const wanted = new Map<string, number>();
  for (const record of expected) wanted.set(record, (wanted.get(record) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const record of actual) seen.set(record, (seen.get(record) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  let wrong = 0;
  for (const [record, count] of wanted) {
    const got = seen.get(record) ?? 0;
    if (got < count) lost += count - got;
    if (got > count) duplicated += got - count;
  }
  for (const [record, count] of seen) if (!wanted.has(record)) wrong += count;
  return { records: expected.length, lost, duplicated, wrong };
}
