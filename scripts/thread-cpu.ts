/**
 * Thread CPU time of `eddy run` on the scaling flows of workload S (bench/flows.ts), the figure
 * least disturbed by a loaded machine: spawns `node node-runner/bin/eddy.js run FLOW -w N` and
 * samples every thread's user + system time from /proc/<pid>/task/<tid>/stat every few
 * milliseconds, keeping each thread's last value (a thread's time only grows, and the workers' work
 * is over before the process exits). The worker threads are the N busiest threads other than the
 * main one; "other" is V8's and libuv's helpers (concurrent GC, compilation). Each count also runs
 * on an empty input, so that the per-item figures leave start-up out:
 *
 *   npm run build && npx tsx scripts/thread-cpu.ts [--workload W3] [--items 4000000] [--workers 1,2,4] [--runs 3] [--roots DIR,DIR] [--inputs s,scan,local]
 *
 * `--roots` names checkouts (built) whose `eddy` to run, in alternation run by run, so that drift
 * on the machine hits them alike (default: this one). `--inputs scan,local` (alternated) runs the
 * flow with two other inputs that do the same work per index: `scan` partitions the keys as S does
 * (half the items cross threads with 2 workers), `local` gives each worker the keys the exchange
 * routes to itself (no item crosses); with as many threads busy at once, their difference is what
 * crossing costs in place. Prints one line per run and, per checkout and
 * worker count, medians: the workers' CPU per item (sum, and the busiest thread), against -w 1.
 * `--write-flows DIR` only writes the flow files of `--inputs` there (DIR/w3-scan.json ...), for
 * `perf record` (scripts/perf-threads.ts). Linux only.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { flowFile } from "../bench/flows.js";
import { HAND } from "../bench/hand.js";
import { MIX_SOURCE, SUM_TAG, type Workload } from "../bench/workloads.js";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const SAMPLE_MS = 5;
const TICKS_PER_SECOND = 100;

/** Which input a run has: the S flow's (bench/flows.ts), or one of the two scanning inputs of `scanInput`. */
type Input = "s" | "scan" | "local";

/**
 * The inputs `scan` and `local`: every worker scans every index and takes the items of its own
 * keys (W2's `"k" + (m % 10000)`, W3's `"w" + (m % 1000)`), the same work per index in both. With
 * `scan` a key is worker `number % n`'s, as in the S flow (half the items cross with 2 workers);
 * with `local` it is the worker the exchange sends it to (hashKey of engine/operators/keyed.ts,
 * inlined), so no item crosses.
 */
function scanInput(workload: "W2" | "W3", items: number, input: "scan" | "local"): string[] {
  const [prefix, keys, item] = workload === "W2" ? ["k", 10000, '["k" + (m % 10000), m % 100]'] : ["w", 1000, '{ word: "w" + (m % 1000), t: i }'];
  const owner = input === "local" ? `hash(${JSON.stringify(prefix)} + k) % workers` : "k % workers";
  return [
    "function* (worker, workers, resume) {",
    `  ${MIX_SOURCE}`,
    "  const hash = (key) => { let h = 0x811c9dc5; for (let i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193); } h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16; return h >>> 0; };",
    `  const own = Array.from({ length: ${keys} }, (_, k) => ${owner} === worker);`,
    `  for (let i = typeof resume === "number" ? resume : 0; i < ${items}; i++) {`,
    "    const m = mix(i);",
    `    if (own[m % ${keys}]) yield [i + 1, ${item}];`,
    "  }",
    "}",
  ];
}

/** The S flow of `workload` (bench/flows.ts), with its input or one of `scanInput`'s. */
function sFlow(workload: "W2" | "W3", items: number, input: Input): string {
  const text = flowFile(workload, items, true);
  if (input === "s") return text;
  const flow = JSON.parse(text) as { steps: { op: string; input?: { fn: unknown } }[] };
  flow.steps.find((step) => step.op === "input")!.input!.fn = scanInput(workload, items, input);
  return JSON.stringify(flow, null, 2);
}

interface Run {
  readonly wall: number;
  readonly main: number;
  /** The worker threads' CPU seconds, busiest first. */
  readonly workers: number[];
  readonly other: number;
  readonly checksum: number;
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1]!;
}

/** CPU seconds (user + system) of every thread of `pid` now, by thread id. */
function threadTimes(pid: number, into: Map<number, number>): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      into.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // The thread ended between the listing and the read: its last sample stays.
    }
  }
}

function runOnce(root: string, flow: string, workers: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, "node-runner/bin/eddy.js"), "run", flow, "-w", String(workers)], { stdio: ["ignore", "ignore", "pipe"] });
    const times = new Map<number, number>();
    const timer = setInterval(() => threadTimes(child.pid!, times), SAMPLE_MS);
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      const wall = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`eddy run exited with ${code}:\n${stderr}`));
      const sums = new Map<string, number>();
      for (const match of stderr.matchAll(new RegExp(`^${SUM_TAG} (\\d+) (\\d+)$`, "gm"))) sums.set(match[1]!, Number(match[2]));
      let checksum = 0;
      for (const sum of sums.values()) checksum += sum;
      const main = times.get(child.pid!) ?? 0;
      const rest = [...times].filter(([tid]) => tid !== child.pid).map(([, seconds]) => seconds).sort((a, b) => b - a);
      const other = rest.slice(workers).reduce((a, b) => a + b, 0);
      resolve({ wall, main, workers: rest.slice(0, workers), other, checksum });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const f2 = (x: number): string => x.toFixed(2);

/** Per-item figures (µs) of one checkout at one worker count, start-up left out. */
function summary(base: readonly Run[], full: readonly Run[], workers: number, items: number): { start: number; sum: number; busiest: number } {
  const start = median(base.map((r) => sum(r.workers) / workers));
  const total = median(full.map((r) => sum(r.workers))) - start * workers;
  const busiest = median(full.map((r) => r.workers[0]!)) - start;
  return { start, sum: (total / items) * 1e6, busiest: (busiest / items) * 1e6 };
}

/** One thing measured: a checkout's `eddy` with one of the inputs. */
interface Variant {
  readonly root: string;
  readonly input: Input;
  readonly label: string;
}

async function main(): Promise<void> {
  const workload = option("--workload", "W3");
  if (workload !== "W2" && workload !== "W3") throw new Error("--workload W2 or W3");
  const items = Number(option("--items", "4000000"));
  const counts = option("--workers", "1,2,4").split(",").map(Number);
  const runs = Number(option("--runs", "3"));
  const inputs = option("--inputs", "s").split(",") as Input[];
  if (inputs.some((input) => !["s", "scan", "local"].includes(input))) throw new Error("--inputs: s, scan or local, separated by commas");
  const variants: Variant[] = option("--roots", HERE)
    .split(",")
    .flatMap((root) => inputs.map((input) => ({ root, input, label: `${root} ${input}` })));
  const writeTo = process.argv.includes("--write-flows") ? option("--write-flows", "") : undefined;
  if (writeTo !== undefined) {
    // Only the flow files, for other tools (perf record): DIR/w3-scan.json ...
    for (const input of inputs) writeFileSync(join(writeTo, `${workload.toLowerCase()}-${input}.json`), sFlow(workload, items, input));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "eddy-thread-cpu-"));
  try {
    const flows = new Map<Input, { flow: string; empty: string }>();
    for (const input of inputs) {
      const flow = join(dir, `flow-${input}.json`);
      const empty = join(dir, `empty-${input}.json`);
      writeFileSync(flow, sFlow(workload, items, input));
      writeFileSync(empty, sFlow(workload, 0, input));
      flows.set(input, { flow, empty });
    }
    const expected = HAND[workload as Workload](items);
    const single = new Map<string, number>();
    for (const workers of counts) {
      const base = variants.map((): Run[] => []);
      const full = variants.map((): Run[] => []);
      for (let run = 0; run < runs; run++) {
        for (let at = 0; at < variants.length; at++) {
          const { root, input, label } = variants[at]!;
          const { flow, empty } = flows.get(input)!;
          base[at]!.push(await runOnce(root, empty, workers));
          const r = await runOnce(root, flow, workers);
          full[at]!.push(r);
          const ok = r.checksum === expected ? "ok" : `WRONG (${r.checksum}, expected ${expected})`;
          console.log(`${label} ${workload} -w ${workers} run ${run + 1}: wall ${f2(r.wall)} s, main ${f2(r.main)} s, workers ${r.workers.map(f2).join(" + ")} s, other ${f2(r.other)} s, checksum ${ok}, load ${loadavg()[0]!.toFixed(1)}`);
        }
      }
      const perItem = new Map<string, number>();
      for (let at = 0; at < variants.length; at++) {
        const { root, input, label } = variants[at]!;
        const figures = summary(base[at]!, full[at]!, workers, items);
        perItem.set(label, figures.sum);
        if (workers === 1) single.set(label, figures.sum);
        const one = single.get(label);
        const crossing = (workers - 1) / workers;
        const versus = one === undefined || workers === 1 ? "" : `; -w 1 / busiest thread ${f2(one / figures.busiest)}x, ${f2((figures.sum - one) / crossing)} µs more per crossing item than -w 1`;
        const scan = perItem.get(`${root} scan`);
        const inPlace = input === "local" && scan !== undefined && workers > 1 ? `; with half the items crossing (scan), ${f2((scan - figures.sum) / crossing)} µs more per crossing item` : "";
        console.log(`${label} ${workload} -w ${workers} medians: start-up ${f2(figures.start)} s per worker; workers ${figures.sum.toFixed(3)} µs per item in all, busiest thread ${figures.busiest.toFixed(3)} µs per item${versus}${inPlace}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
