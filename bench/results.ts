/**
 * From samples to results: the median rate of each case, its peak RSS, whether its checksum is
 * the expected one, and the speed targets next to the measured ratios.
 */

import type { Outcome } from "./measure.js";
import type { BenchOptions } from "./options.js";
import { WITHOUT_EXTRA_CA, type Case } from "./plan.js";
import type { SystemInfo } from "./system.js";

export interface CaseResult {
  readonly key: string;
  readonly group: string;
  readonly workload: string;
  readonly contender: string;
  readonly label: string;
  readonly items: number;
  readonly workers?: number;
  /** Every run in order; a failed run is `{ error }`. */
  readonly runs: readonly ({ seconds: number; checksum: number; maxRssKb: number } | { error: string })[];
  /** Over the successful runs: the median of items/s, and of seconds. */
  readonly itemsPerSecond?: number;
  readonly seconds?: number;
  /** The highest peak RSS of the runs, in kB. */
  readonly maxRssKb?: number;
  readonly version?: string;
  readonly checksum?: number;
  readonly expectedChecksum?: number;
  /** Every run succeeded and gave the expected checksum. */
  readonly ok: boolean;
  readonly problem?: string;
}

/** Everything a run produced: results.json, and what results.md is rendered from. */
export interface Report {
  readonly startedAt: string;
  readonly seconds: number;
  readonly command: string;
  readonly options: BenchOptions;
  readonly system: SystemInfo;
  readonly results: readonly CaseResult[];
  readonly targets: readonly Target[];
}

export interface Target {
  readonly name: string;
  readonly goal: string;
  /** The measured ratio, absent when a side was not measured. */
  readonly measured?: number;
  readonly shown: string;
  /** Absent when not measured; false also when a side failed or gave a wrong checksum. */
  readonly met?: boolean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `expected(workload, items)`: the reference checksum, if one is known. */
export function summarize(item: Case, outcomes: readonly Outcome[], expected: (workload: string, items: number) => number | undefined): CaseResult {
  const runs = outcomes.map((outcome) => (outcome.ok ? { seconds: outcome.sample.seconds, checksum: outcome.sample.checksum, maxRssKb: outcome.sample.maxRssKb } : { error: outcome.error }));
  const samples = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.sample] : []));
  const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
  const base = { key: item.key, group: item.group, workload: item.workload, contender: item.contender, label: item.label, items: item.items, ...(item.workers !== undefined && { workers: item.workers }), runs };
  const expectedChecksum = expected(item.workload, item.items);
  if (samples.length === 0) return { ...base, ...(expectedChecksum !== undefined && { expectedChecksum }), ok: false, problem: failures[0] ?? "not run" };
  const checksums = [...new Set(samples.map((sample) => sample.checksum))];
  const wrong = checksums.length > 1 ? `runs disagree: checksums ${checksums.join(", ")}` : expectedChecksum !== undefined && checksums[0] !== expectedChecksum ? `wrong checksum ${checksums[0]}, expected ${expectedChecksum}` : undefined;
  const problem = failures.length > 0 ? `${failures.length} of ${outcomes.length} runs failed: ${failures[0]}` : wrong;
  return {
    ...base,
    itemsPerSecond: median(samples.map((sample) => item.items / sample.seconds)),
    seconds: median(samples.map((sample) => sample.seconds)),
    maxRssKb: Math.max(...samples.map((sample) => sample.maxRssKb)),
    version: samples[0]!.version,
    checksum: checksums[0]!,
    ...(expectedChecksum !== undefined && { expectedChecksum }),
    ok: problem === undefined && expectedChecksum !== undefined,
    ...(problem !== undefined ? { problem } : expectedChecksum === undefined && { problem: "no reference checksum to compare with" }),
  };
}

export type Find = (key: string) => CaseResult | undefined;

/** `a`'s rate over `b`'s, with whether both are there and correct. */
function ratio(find: Find, a: string, b: string): { value?: number; valid: boolean } {
  const x = find(a);
  const y = find(b);
  if (x?.itemsPerSecond === undefined || y?.itemsPerSecond === undefined) return { valid: false };
  return { value: x.itemsPerSecond / y.itemsPerSecond, valid: x.ok && y.ok };
}

/** `a`'s speed over `b`'s, both runner cases, with the runner's start-up (case startup/runner, median) taken out of each time. */
function scalingAfterStartup(find: Find, a: string, b: string): { value?: number; valid: boolean } {
  const x = find(a);
  const y = find(b);
  const startup = find("startup/runner")?.seconds;
  if (x?.seconds === undefined || y?.seconds === undefined || startup === undefined || x.seconds <= startup || y.seconds <= startup) return { valid: false };
  return { value: (y.seconds - startup) / (x.seconds - startup), valid: x.ok && y.ok };
}

/** `a`'s peak RSS over `b`'s. */
function rssRatio(find: Find, a: string, b: string): { value?: number; valid: boolean } {
  const x = find(a);
  const y = find(b);
  if (x?.maxRssKb === undefined || y?.maxRssKb === undefined) return { valid: false };
  return { value: x.maxRssKb / y.maxRssKb, valid: x.ok && y.ok };
}

function target(name: string, goal: string, measured: { value?: number; valid: boolean }, meets: (value: number) => boolean, show: (value: number) => string): Target {
  if (measured.value === undefined) return { name, goal, shown: "not measured" };
  const shown = show(measured.value) + (measured.valid ? "" : " (a checksum is wrong or a run failed)");
  return { name, goal, measured: measured.value, shown, met: measured.valid && meets(measured.value) };
}

/**
 * The runner's rate once its start-up (the empty-input run, spawn to exit) is subtracted, over the
 * rate of runMain on the same flow file: `flow seconds ÷ (runner seconds − start-up seconds)`.
 */
export function afterStartup(find: Find, workload: string): { value?: number; valid: boolean } {
  const runner = find(`${workload}/runner`);
  const flow = find(`${workload}/flow`);
  const startup = find("startup/runner");
  if (runner?.seconds === undefined || flow?.seconds === undefined || startup?.seconds === undefined) return { valid: false };
  const working = runner.seconds - startup.seconds;
  if (working <= 0) return { valid: false };
  return { value: flow.seconds / working, valid: runner.ok && flow.ok && startup.ok };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const times = (value: number) => `${value.toFixed(2)}×`;
const milliseconds = (value: number) => `${Math.round(value * 1000)} ms`;

/** The targets for Eddy (runMain, except S: the runner). */
export function targets(results: readonly CaseResult[]): Target[] {
  const find: Find = (key) => results.find((result) => result.key === key);
  const ofHand = (workload: string, goal: number) =>
    target(`${workload}: Eddy (runMain, batched input) vs the hand loop`, `≥ ${percent(goal).replace(".0", "")}`, ratio(find, `${workload}/batch`, `${workload}/hand`), (v) => v >= goal, percent);
  const over = (workload: string, peer: string, label: string, goal: number) =>
    target(`${workload}: Eddy (runMain, batched input) vs ${label}`, `≥ ${goal}×`, ratio(find, `${workload}/batch`, `${workload}/${peer}`), (v) => v >= goal, times);
  const recovery = ratio(find, "R/recovery", "R/plain");
  // Without NODE_EXTRA_CA_CERTS when the bench's environment sets it (then measured both ways): it
  // costs every Node process its start, a bare one too, before any of Eddy runs (bench/firstItem.ts).
  const firstItemWithoutCa = find(`startup/first-item${WITHOUT_EXTRA_CA}`);
  const firstItem = firstItemWithoutCa ?? find("startup/first-item");
  const firstItemLabel = `\`eddy run\` -w 1 from spawn to the first item${firstItemWithoutCa ? " (NODE_EXTRA_CA_CERTS unset)" : ""}`;
  const runnerAfterStartup = (workload: string) =>
    target(`${workload}: \`eddy run\` -w 1 after start-up vs runMain on the same flow file`, "≥ 80%", afterStartup(find, workload), (v) => v >= 0.8, percent);
  return [
    ofHand("W1", 0.25),
    over("W1", "rxjs", "RxJS", 2),
    ofHand("W2", 0.65),
    ofHand("W3", 0.6),
    ofHand("W4", 0.9),
    ofHand("W5", 0.4),
    over("W2", "bytewax", "Bytewax", 20),
    over("W3", "bytewax", "Bytewax", 20),
    over("W5", "bytewax", "Bytewax", 20),
    ofHand("J", 0.4),
    over("J", "bytewax", "Bytewax", 20),
    target("R: cost of FileRecoveryConfig on W2 (1 s epochs)", "≤ 10%", recovery.value === undefined ? recovery : { ...recovery, value: 1 - recovery.value }, (v) => v <= 0.1, percent),
    target("S: `eddy run` -w 2 vs -w 1 on W3", "≥ 1.7×", ratio(find, "S/w2", "S/w1"), (v) => v >= 1.7, times),
    target("S: `eddy run` -w 2 vs -w 1 on W3, start-up subtracted", "≥ 1.7×", scalingAfterStartup(find, "S/w2", "S/w1"), (v) => v >= 1.7, times),
    target("S: `eddy run` -w 2 vs -w 1 on W2, start-up subtracted", "≥ 1.7×", scalingAfterStartup(find, "S/W2-w2", "S/W2-w1"), (v) => v >= 1.7, times),
    target("S: `eddy run` -w 4 vs -w 2 on W3, start-up subtracted", "≥ 1×", scalingAfterStartup(find, "S/w4", "S/w2"), (v) => v >= 1, times),
    target("S: `eddy run` -w 4 vs -w 2 on W2, start-up subtracted", "≥ 1×", scalingAfterStartup(find, "S/W2-w4", "S/W2-w2"), (v) => v >= 1, times),
    target("S: `eddy run` -n 2 -w 1 vs -n 1 -w 1 on W3, start-up subtracted", "≥ 1.6×", scalingAfterStartup(find, "S/n2", "S/n1"), (v) => v >= 1.6, times),
    target("S: peak RSS of -w 2 over -w 1 on W3", "≤ 1.5×", rssRatio(find, "S/w2", "S/w1"), (v) => v <= 1.5, times),
    runnerAfterStartup("W1"),
    runnerAfterStartup("W2"),
    runnerAfterStartup("W3"),
    target(firstItemLabel, "≤ 200 ms", firstItem?.seconds === undefined ? { valid: false } : { value: firstItem.seconds, valid: firstItem.ok }, (v) => v <= 0.2, milliseconds),
    target("K1: `eddy run` -w 1 vs a kafkajs consumer (whole runs)", "≥ 80%", ratio(find, "K1/w1", "K1/hand"), (v) => v >= 0.8, percent),
    target("K1: `eddy run` -w 2 vs -w 1 (whole runs)", "≥ 1.5×", ratio(find, "K1/w2", "K1/w1"), (v) => v >= 1.5, times),
    target("K2: `eddy run` -w 1 vs a kafkajs consume-produce loop (whole runs)", "≥ 80%", ratio(find, "K2/w1", "K2/hand"), (v) => v >= 0.8, percent),
  ];
}
