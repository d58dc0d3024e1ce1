/**
 * The soak's reference flows: each writes its flow file and input data into a directory and
 * computes, without Eddy, the records its file output must hold after a finished run. Records are
 * compared as canonical JSON text (`canonical`), so key order inside objects does not matter.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface SoakFlow {
  readonly name: string;
  readonly workers: number;
  /** Writes the flow file and its data under `dir`; returns the flow file's path. */
  write(dir: string): string;
  /** Every record the output files must hold once the flow has finished, as canonical JSON. */
  expected(): string[];
}

/** A JSON value as text with object keys sorted, so equal values give equal text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

const KEYS = 8;
/** Spends about `ms` per item, so that a run lasts long enough to be killed midway. */
const pace = (ms: number) => ["line => {", `  const until = performance.now() + ${ms};`, "  while (performance.now() < until) {}", "  return line;", "}"];

function numbers(items: number): { seq: number; key: string; value: number }[] {
  return Array.from({ length: items }, (_, seq) => ({ seq, key: `k${seq % KEYS}`, value: ((seq * 7919) % 97) + 1 }));
}

function writeFlow(dir: string, name: string, steps: unknown[], data: string): string {
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "data/input.csv"), data);
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ format: "eddy.flow", version: 1, name, steps }, null, 2));
  return path;
}

const input = { id: "lines", op: "input", input: { type: "file", path: "data/input.csv" } };
const output = (after: string) => ({ id: "out", op: "capture", after: [after], output: { type: "file", path: "out/records.jsonl" } });
const parse = { id: "parse", op: "map", after: ["pace"], fn: "line => { const [seq, key, value] = line.split(','); return [key, { seq: Number(seq), value: Number(value) }]; }" };

/** A running sum and count per key: file input → stateful_map → file output. */
function runningSum(name: string, workers: number, items: number): SoakFlow {
  const rows = numbers(items);
  return {
    name,
    workers,
    write: (dir) =>
      writeFlow(
        dir,
        name,
        [
          input,
          { id: "pace", op: "map", after: ["lines"], fn: pace(0.05) },
          parse,
          {
            id: "sum",
            op: "stateful_map",
            after: ["parse"],
            builder: "() => ({ sum: 0, count: 0 })",
            fn: "(state, { seq, value }) => [{ sum: state.sum + value, count: state.count + 1 }, { seq, sum: state.sum + value, count: state.count + 1 }]",
          },
          output("sum"),
        ],
        rows.map((row) => `${row.seq},${row.key},${row.value}\n`).join(""),
      ),
    expected: () => {
      const totals = new Map<string, { sum: number; count: number }>();
      return rows.map(({ seq, key, value }) => {
        const total = totals.get(key) ?? { sum: 0, count: 0 };
        const next = { sum: total.sum + value, count: total.count + 1 };
        totals.set(key, next);
        return canonical([key, { seq, ...next }]);
      });
    },
  };
}

/** Event-time tumbling windows: each key's items, one minute apart per item, folded per hour. Nothing arrives late. */
function eventWindows(items: number): SoakFlow {
  const rows = numbers(items);
  const START = Date.UTC(2026, 0, 1);
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  return {
    name: "event-windows",
    workers: 1,
    write: (dir) =>
      writeFlow(
        dir,
        "event-windows",
        [
          input,
          { id: "pace", op: "map", after: ["lines"], fn: pace(0.05) },
          { id: "parse", op: "map", after: ["pace"], fn: "line => { const [seq, key] = line.split(','); return [key, Number(seq)]; }" },
          {
            id: "hourly",
            op: "fold_window",
            after: ["parse"],
            clock: { type: "event", fn: `seq => ${START} + seq * ${MINUTE}`, waitForSystemDuration: 0 },
            window: { type: "tumbling", length: HOUR, startAt: START },
            builder: "() => []",
            fn: "(seqs, seq) => { seqs.push(seq); return seqs; }",
          },
          output("hourly"),
        ],
        rows.map((row) => `${row.seq},${row.key}\n`).join(""),
      ),
    expected: () => {
      const windows = new Map<string, number[]>();
      for (const { seq, key } of rows) {
        const id = `${key}/${Math.floor(seq / 60)}`;
        const seqs = windows.get(id) ?? [];
        seqs.push(seq);
        windows.set(id, seqs);
      }
      return [...windows].map(([id, seqs]) => canonical([id.split("/")[0], seqs]));
    },
  };
}

/** A branch and a merge: even values and multiples of three go separate ways, then one running count per branch. */
function branchMerge(items: number): SoakFlow {
  const rows = numbers(items);
  return {
    name: "branch-merge",
    workers: 1,
    write: (dir) =>
      writeFlow(
        dir,
        "branch-merge",
        [
          input,
          { id: "pace", op: "map", after: ["lines"], fn: pace(0.05) },
          parse,
          { id: "evens", op: "filter", after: ["parse"], fn: "([, { value }]) => value % 2 === 0" },
          { id: "tag_even", op: "map", after: ["evens"], fn: "([, { seq }]) => ['even', seq]" },
          { id: "threes", op: "filter", after: ["parse"], fn: "([, { seq }]) => seq % 3 === 0" },
          { id: "tag_three", op: "map", after: ["threes"], fn: "([, { seq }]) => ['three', seq]" },
          {
            id: "count",
            op: "stateful_map",
            after: ["tag_even", "tag_three"],
            builder: "() => 0",
            fn: "(count, seq) => [count + 1, { seq, count: count + 1 }]",
          },
          output("count"),
        ],
        rows.map((row) => `${row.seq},${row.key},${row.value}\n`).join(""),
      ),
    expected: () => {
      let even = 0;
      let three = 0;
      const records: string[] = [];
      for (const { seq, value } of rows) {
        if (value % 2 === 0) records.push(canonical(["even", { seq, count: ++even }]));
        if (seq % 3 === 0) records.push(canonical(["three", { seq, count: ++three }]));
      }
      return records;
    },
  };
}

/** The four reference flows of the soak, with enough items that a run lasts a few seconds. */
export function soakFlows(): SoakFlow[] {
  return [runningSum("running-sum", 1, 40_000), eventWindows(40_000), branchMerge(40_000), runningSum("two-workers", 2, 40_000)];
}
