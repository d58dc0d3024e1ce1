/**
 * Eddy's contender: each workload as a dataflow built with the public API (`eddy/*`, as a user
 * writes it) and run with `runMain` (one worker, this thread). Items come from a
 * `ManualInputConfig` generator that computes them from their indices: one item per yield with its
 * resume state (Bytewax 0.11's protocol), or, `batched`, 1,024 items per yield as an `ItemBatch`
 * (Eddy's extension, as a source that reads in batches would); the capture sums the checksum in a
 * closure.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dataflow } from "eddy/dataflow";
import { PeriodicEpochConfig, runMain } from "eddy/execution";
import { ItemBatch, ManualInputConfig } from "eddy/inputs";
import { ManualOutputConfig } from "eddy/outputs";
import { FileRecoveryConfig } from "eddy/recovery";
import { EventClockConfig, SessionWindowConfig, TumblingWindowConfig } from "eddy/window";
import { W5_GAP_MS, W5_WAIT_MS, joinContribution, joinLeft, joinRight, mix, type Workload } from "./workloads.js";

export interface EddyOptions {
  /** Yield 1,024 items at a time as an `ItemBatch` instead of one item per yield. */
  readonly batched?: boolean;
  /** Run with `FileRecoveryConfig` in a fresh temporary directory (workload R). */
  readonly recovery?: boolean;
  /** Close an epoch every this many ms (R uses 1,000 with and without recovery). */
  readonly epochMs?: number;
}

interface WordAt {
  word: string;
  t: number;
}

/** Items per `ItemBatch` when batched. */
const BATCH = 1024;

/**
 * Indices `resume ?? worker`, `+ workers`, ... below `n`, each yielded as `[next index, item]`, or
 * (batched) up to 1,024 of them as `[next index, ItemBatch]`.
 */
function indexInput<T>(n: number, item: (i: number) => T, batched: boolean): ManualInputConfig {
  if (batched) {
    return new ManualInputConfig(function* (worker: number, workers: number, resume: unknown) {
      let i = typeof resume === "number" ? resume : worker;
      while (i < n) {
        const items: T[] = [];
        for (let k = 0; k < BATCH && i < n; k++, i += workers) items.push(item(i));
        yield [i, new ItemBatch(items)];
      }
    });
  }
  return new ManualInputConfig(function* (worker: number, workers: number, resume: unknown) {
    for (let i = typeof resume === "number" ? resume : worker; i < n; i += workers) yield [i + workers, item(i)];
  });
}

const wordWindows = () => new EventClockConfig((value: WordAt) => value.t, 0);
const secondWindows = () => new TumblingWindowConfig(1000, { startAt: 0 });

/** Workload J's side: its items `make(j)` for j = 0 .. ceil or floor of n / 2 (the left side takes item 0). */
function sideInput(n: number, side: 0 | 1, make: (j: number) => [string, number], batched: boolean): ManualInputConfig {
  const count = side === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
  return indexInput(count, make, batched);
}

/** Builds the workload's dataflow; `add` receives each output's contribution to the checksum. */
export function eddyFlow(workload: Workload, n: number, batched: boolean, add: (value: number) => void): Dataflow {
  switch (workload) {
    case "W1":
      return new Dataflow()
        .input("numbers", indexInput(n, (i) => mix(i) % 1000, batched))
        .map((x: number) => x * 3)
        .filter((x: number) => x % 2 === 0)
        .map((x: number) => x + 1)
        .capture(new ManualOutputConfig(() => (x: number) => add(x)));
    case "W2":
      return new Dataflow()
        .input("pairs", indexInput(n, (i) => {
          const m = mix(i);
          return ["k" + (m % 10000), m % 100];
        }, batched))
        .statefulMap("sum", () => 0, (sum: number, value: number) => [sum + value, sum + value])
        .capture(new ManualOutputConfig(() => ([, sum]: [string, number]) => add(sum)));
    case "W3":
      return new Dataflow()
        .input("words", indexInput(n, (i): WordAt => ({ word: "w" + (mix(i) % 1000), t: i }), batched))
        .map((x: WordAt) => [x.word, x])
        .foldWindow("count", wordWindows(), secondWindows(), () => 0, (count: number) => count + 1)
        .capture(new ManualOutputConfig(() => ([, count]: [string, number]) => add(count * count)));
    case "W4":
      return new Dataflow()
        .input("lines", indexInput(n, (i) => JSON.stringify({ word: "w" + (mix(i) % 1000), t: i }), batched))
        .map((line: string) => JSON.parse(line) as WordAt)
        .map((x: WordAt) => [x.word, x])
        .foldWindow("count", wordWindows(), secondWindows(), () => 0, (count: number) => count + 1)
        .map(([word, count]: [string, number]) => JSON.stringify({ word, count }))
        .capture(new ManualOutputConfig(() => (text: string) => add(countOf(text) ** 2 + text.length)));
    case "W5":
      return new Dataflow()
        .input("clicks", indexInput(n, (i) => ["k" + (mix(i) % 10000), i], batched))
        .countWindow("sessions", new EventClockConfig((t: number) => t, W5_WAIT_MS), new SessionWindowConfig(W5_GAP_MS), { withWindow: true })
        .capture(new ManualOutputConfig(() => ([, [first, last, count]]: [string, [number, number, number]]) => add(count * count + last - first)));
    case "J": {
      const flow = new Dataflow();
      const left = flow.input("left", sideInput(n, 0, joinLeft, batched)).stream();
      const right = flow.input("right", sideInput(n, 1, joinRight, batched)).stream();
      return flow
        .join("join", [left, right], { emitMode: "running" })
        .capture(new ManualOutputConfig(() => ([, [l, r]]: [string, [number | null, number | null]]) => add(joinContribution(l, r))));
    }
  }
}

/** The count at the end of `{"word":"w12","count":3}`. */
function countOf(text: string): number {
  return Number(text.slice(text.lastIndexOf(":") + 1, -1));
}

/** Runs the workload with `runMain`; returns its checksum and the seconds `runMain` took. */
export async function runEddy(workload: Workload, n: number, options: EddyOptions = {}): Promise<{ checksum: number; seconds: number }> {
  let checksum = 0;
  const flow = eddyFlow(workload, n, options.batched ?? false, (value) => {
    checksum += value;
  });
  const dir = options.recovery ? mkdtempSync(join(tmpdir(), "eddy-bench-")) : undefined;
  try {
    const started = performance.now();
    await runMain(flow, {
      ...(options.epochMs !== undefined && { epochConfig: new PeriodicEpochConfig(options.epochMs) }),
      ...(dir !== undefined && { recoveryConfig: new FileRecoveryConfig(dir) }),
    });
    return { checksum, seconds: (performance.now() - started) / 1000 };
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}
