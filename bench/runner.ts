/**
 * The runner's contender: writes the workload's flow file (bench/flows.ts) to a temporary
 * directory and spawns `node node-runner/bin/eddy.js run FLOW.json -w N`, as a user runs it. The
 * With `procs`, `eddy run FLOW.json -n P -w N`: P local processes over TCP. The
 * time is wall time from spawn to exit: the runner's start-up (loading, compiling the flow,
 * starting the worker threads) is included. The checksum is the sum of each worker's last
 * `eddy-bench-sum` line on standard error (bench/flows.ts); the peak RSS (all threads) comes from a preloaded exit
 * hook (bench/rssHook.ts).
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { flowFile, type FlowPart } from "./flows.js";
import { MAXRSS_TAG, SUM_TAG, type Workload } from "./workloads.js";

const BIN = fileURLToPath(new URL("../../node-runner/bin/eddy.js", import.meta.url));
const HOOK = new URL("./rssHook.js", import.meta.url).href;

export interface RunnerResult {
  readonly checksum: number;
  readonly seconds: number;
  readonly maxRssKb: number;
}

/**
 * Runs `workload` over `n` items on the runner with `workers` worker threads per process, in
 * `procs` processes (`eddy run -n`, a local cluster over TCP) when given.
 */
export async function runRunner(workload: Workload, n: number, workers: number, scaling = false, procs?: number): Promise<RunnerResult> {
  const dir = mkdtempSync(join(tmpdir(), "eddy-bench-flow-"));
  const flow = join(dir, `${workload.toLowerCase()}.json`);
  writeFileSync(flow, flowFile(workload, n, scaling));
  try {
    return await spawnRunner(flow, workers, procs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The machine's ceiling for `parts` workers (the case S/pair): `parts` independent `eddy run -w 1`
 * processes at once, process p reading what worker p of `parts` reads in the scaling flow (only
 * W3), so each holds all of its keys and nothing crosses. Timed from the first spawn to the last
 * exit; the checksum is the sum of theirs, the peak RSS their sum.
 */
export async function runParts(workload: Workload, n: number, parts: number): Promise<RunnerResult> {
  if (workload !== "W3") throw new Error("only W3 has a flow in parts");
  const dir = mkdtempSync(join(tmpdir(), "eddy-bench-flow-"));
  try {
    const flows = Array.from({ length: parts }, (_, index) => {
      const part: FlowPart = { index, of: parts };
      const flow = join(dir, `${workload.toLowerCase()}-part${index + 1}.json`);
      writeFileSync(flow, flowFile(workload, n, true, part));
      return flow;
    });
    const started = performance.now();
    const results = await Promise.all(flows.map((flow) => spawnRunner(flow, 1, undefined)));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, checksum: results.reduce((sum, r) => sum + r.checksum, 0), maxRssKb: results.reduce((sum, r) => sum + r.maxRssKb, 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnRunner(flow: string, workers: number, procs: number | undefined): Promise<RunnerResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const cluster = procs === undefined ? [] : ["-n", String(procs)];
    const child = spawn(process.execPath, ["--import", HOOK, BIN, "run", flow, "-w", String(workers), ...cluster], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr += text;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = new RegExp(`^${MAXRSS_TAG} (\\d+)$`, "m").exec(stderr);
      const sums = new Map<string, number>();
      for (const match of stderr.matchAll(new RegExp(`^${SUM_TAG} (\\d+) (\\d+)$`, "gm"))) sums.set(match[1]!, Number(match[2]));
      // A worker that never printed its sum had no output (its sum is 0); a wrong total shows in the checksum.
      if (code !== 0 || !rss) {
        const why = code !== 0 ? `exited with code ${code}` : "did not report its peak RSS";
        const log = stderr.split("\n").filter((line) => !line.startsWith(SUM_TAG)).join("\n").trim();
        reject(new Error(`eddy run ${flow} -w ${workers}${cluster.map((a) => ` ${a}`).join("")} ${why}:\n${log}`));
        return;
      }
      let checksum = 0;
      for (const sum of sums.values()) checksum += sum;
      resolve({ checksum, seconds, maxRssKb: Number(rss[1]) });
    });
  });
}
