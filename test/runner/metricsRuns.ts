/**
 * Runs whose metrics a test scrapes (`--metrics-port`, test/runner/metrics.test.ts and
 * test/cluster/metrics.test.ts): the exposition parsed into samples, scrapes until the samples show
 * what a test waits for, and a run that idles once it fed its items, stopped with SIGINT (by its PID)
 * once the test is done with it. Every wait is bounded; nothing here measures time.
 */

import type { ChildProcess } from "node:child_process";
import { createServer as createNetServer } from "node:net";
import { describeRun, eddy, flowFile, type CliResult } from "./cli.js";

/** How long a run may take to start and to reach the counts the test waits for (a loaded machine). */
export const WAIT_MS = 30_000;
export const RUN_TIMEOUT_MS = 90_000;

/** One sample of the exposition: its name, its labels and its value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const raw = match[3]!;
    samples.push({ name: match[1]!, labels, value: raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return matching(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

export function matching(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

/** A port that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** GET http://HOST:port/metrics: the text, or the error (connection refused, ...). */
export async function scrape(port: number, host = "127.0.0.1"): Promise<{ status: number; text: string; contentType: string | null } | { error: string }> {
  try {
    const response = await fetch(`http://${host.includes(":") ? `[${host}]` : host}:${port}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, text: await response.text(), contentType: response.headers.get("content-type") };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).message };
  }
}

/** Scrapes until `done(samples)` holds (at most WAIT_MS); returns those samples and the text. */
export async function scrapeUntil(port: number, done: (samples: Sample[]) => boolean, run: { exited: () => CliResult | undefined }): Promise<{ samples: Sample[]; text: string }> {
  const deadline = performance.now() + WAIT_MS;
  let last = "(nothing scraped)";
  for (;;) {
    const ended = run.exited();
    if (ended) throw new Error(`the run ended before the metrics showed what the test waits for; last scrape:\n${last}\n${describeRun(ended)}`);
    const result = await scrape(port);
    if ("text" in result) {
      last = result.text;
      const samples = parseExposition(result.text);
      if (done(samples)) return { samples, text: result.text };
    } else {
      last = result.error;
    }
    if (performance.now() > deadline) throw new Error(`the metrics did not show what the test waits for within ${WAIT_MS} ms; last scrape:\n${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `eddy ARGS`, calls `during` while it runs, then stops it with SIGINT (by its PID) and returns how it ended. */
export async function whileRunning(args: readonly string[], during: (run: { exited: () => CliResult | undefined }) => Promise<void>): Promise<CliResult> {
  let child: ChildProcess | undefined;
  let result: CliResult | undefined;
  const running = eddy(args, { timeoutMs: RUN_TIMEOUT_MS, onStart: (started) => (child = started) }).then((ended) => (result = ended));
  try {
    await during({ exited: () => result });
  } finally {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGINT");
  }
  return running;
}

/** An input function: worker w of n feeds items w, w + n, ... below `count`, then has no data for ever. */
export const idleAfter = (count: number) => `(worker, workers) => (function* () { for (let i = worker; i < ${count}; i += workers) yield [i + 1, i]; for (;;) yield undefined; })()`;

/** 1000 numbers; a fused chain map → filter → map keeps the even ones as [key, 1]; a stateful_map counts per key. */
export function countingFlow(): string {
  return flowFile(
    [
      { id: "nums", op: "input", input: { type: "function", fn: idleAfter(1000) } },
      { id: "double", op: "map", after: ["nums"], fn: "x => x * 2" },
      { id: "even", op: "filter", after: ["double"], fn: "x => x % 4 === 0" },
      { id: "keyed", op: "map", after: ["even"], fn: "x => [String(x % 10), 1]" },
      { id: "running", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(n, one) => [n + one, n + one]" },
      { id: "out", op: "capture", after: ["running"], output: { type: "function", fn: "(worker) => () => {}" } },
    ],
    { epoch: { type: "periodic", length: 100 } },
  );
}

