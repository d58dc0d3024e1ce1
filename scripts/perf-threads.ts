/**
 * Where the worker threads' CPU time goes, from `perf` recordings on the CPU clock: unlike
 * `node --cpu-prof`, which samples wall time (a thread held off the CPU on a loaded machine is
 * charged to whatever it was running), a cpu-clock sample is taken only while the thread runs.
 * Record with JIT symbols, then read one recording, or the difference between two (an S flow
 * against the same flow with every item kept on its worker, `scripts/thread-cpu.ts --inputs local`
 * writes both; or a checkout against another):
 *
 *   perf record -e cpu-clock -F 999 -o s.data -- node --perf-basic-prof dist/node-runner/cli.js run FLOW -w 2
 *   npx tsx scripts/perf-threads.ts s.data [--workers 2] [--top 30]
 *   npx tsx scripts/perf-threads.ts local.data s.data [--workers 2] [--top 30]
 *
 * Threads: the main thread (the lowest id), the `--workers` busiest others (the worker threads) and
 * the rest (V8's and libuv's helpers: concurrent GC, compilers). Samples are per thread at the
 * recording's frequency (-F 999: one sample about every millisecond of CPU). Linux, `perf` on PATH;
 * the JIT maps (/tmp/perf-PID.map) must still be there when this reads the recording.
 */

import { execFileSync } from "node:child_process";

interface Threads {
  readonly main: number;
  readonly other: number;
  /** Samples of the worker threads, by symbol. */
  readonly workers: Map<string, number>;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function read(file: string, workerCount: number): Threads {
  const text = execFileSync("perf", ["script", "-i", file, "-F", "tid,ip,sym"], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] });
  const byThread = new Map<number, Map<string, number>>();
  for (const line of text.split("\n")) {
    const match = /^\s*(\d+)\s+\S+\s*(.*)$/.exec(line);
    if (match === null) continue;
    const symbol = match[2]!.replace(/\s*\(.*\)$/, "").replace(/file:\/\/\/\S+\/dist\//, "").trim() || "[unknown]";
    const tid = Number(match[1]);
    let symbols = byThread.get(tid);
    if (symbols === undefined) byThread.set(tid, (symbols = new Map()));
    symbols.set(symbol, (symbols.get(symbol) ?? 0) + 1);
  }
  const total = (symbols: Map<string, number>): number => [...symbols.values()].reduce((a, b) => a + b, 0);
  const main = Math.min(...byThread.keys());
  const others = [...byThread].filter(([tid]) => tid !== main).sort((a, b) => total(b[1]) - total(a[1]));
  const workers = new Map<string, number>();
  for (const [, symbols] of others.slice(0, workerCount)) for (const [symbol, n] of symbols) workers.set(symbol, (workers.get(symbol) ?? 0) + n);
  return { main: total(byThread.get(main) ?? new Map()), other: others.slice(workerCount).reduce((sum, [, symbols]) => sum + total(symbols), 0), workers };
}

const files = process.argv.slice(2).filter((arg, i, args) => !arg.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (files.length < 1 || files.length > 2) throw new Error("usage: npx tsx scripts/perf-threads.ts [BEFORE.data] RECORDING.data [--workers 2] [--top 30]");
const workerCount = option("--workers", 2);
const top = option("--top", 30);
const sum = (symbols: Map<string, number>): number => [...symbols.values()].reduce((a, b) => a + b, 0);

if (files.length === 1) {
  const { main, other, workers } = read(files[0]!, workerCount);
  const all = sum(workers);
  console.log(`samples: workers ${all}, main ${main}, other threads ${other}`);
  for (const [symbol, n] of [...workers].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * n) / all).toFixed(1).padStart(5)}% ${String(n).padStart(6)}  ${symbol}`);
} else {
  const before = read(files[0]!, workerCount);
  const after = read(files[1]!, workerCount);
  console.log(`samples: workers ${sum(before.workers)} -> ${sum(after.workers)}, main ${before.main} -> ${after.main}, other threads ${before.other} -> ${after.other}`);
  const symbols = new Set([...before.workers.keys(), ...after.workers.keys()]);
  const rows = [...symbols].map((symbol) => [symbol, before.workers.get(symbol) ?? 0, after.workers.get(symbol) ?? 0] as const);
  rows.sort((a, b) => Math.abs(b[2] - b[1]) - Math.abs(a[2] - a[1]));
  for (const [symbol, was, is] of rows.slice(0, top)) console.log(`${(is - was >= 0 ? "+" : "") + (is - was)}`.padStart(7) + `${String(was).padStart(7)}${String(is).padStart(7)}  ${symbol}`);
}
