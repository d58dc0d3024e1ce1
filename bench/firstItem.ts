/**
 * The runner's start-up as a user sees it: spawn `node node-runner/bin/eddy.js run FLOW.json -w 1`
 * on a flow whose input yields one item and whose `stdout` capture prints it, and time spawn →
 * that line on standard output (and spawn → exit). An untimed run goes first, as a user's earlier
 * runs would: the first run after a build writes the V8 code cache of the runner's files
 * (node-runner/bin/chunkLoader.cjs), which every later run starts with. With `recovery`, the runs
 * have a file recovery store (`--recovery-dir`), which the untimed run makes, as a restart finds
 * it: the timed run checks it in a child process (recovery/verifyInChild.ts), opens it with LMDB
 * and resumes. The input ignores its resume state, so the resumed run prints the item again.
 *
 * `runBareNode` times a bare `node -e` printing the same line with the same harness: Node's own
 * start on this machine, the floor under every figure above. `withoutExtraCa` runs either without
 * NODE_EXTRA_CA_CERTS in the environment: when it is set, Node 20 parses its bundled root
 * certificates and that file as it starts (about 100 ms per process on the development machine),
 * before any JavaScript runs, Eddy's or not.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../node-runner/bin/eddy.js", import.meta.url));
/** What the flow's one item prints. */
export const FIRST_ITEM_MARKER = "eddy-bench-first-item";
/** No run of this tiny flow may take longer. */
const TIME_LIMIT_MS = 60_000;

export interface FirstItemResult {
  /** Spawn to the marker line on standard output. */
  readonly firstItemSeconds: number;
  /** Spawn to exit. */
  readonly exitSeconds: number;
}

const FLOW = {
  format: "eddy.flow",
  version: 1,
  name: "bench-first-item",
  description: "one item, printed: the runner's start-up from spawn to the first item",
  steps: [
    { id: "one", op: "input", input: { type: "function", fn: `function* () { yield [1, ${JSON.stringify(FIRST_ITEM_MARKER)}]; }` } },
    { id: "out", op: "capture", after: ["one"], output: { type: "stdout" } },
  ],
};

export interface FirstItemOptions {
  /** With a file recovery store made by the untimed run. */
  readonly recovery?: boolean;
  /** NODE_EXTRA_CA_CERTS left out of the child's environment. */
  readonly withoutExtraCa?: boolean;
}

/** Times one run, after an untimed one (which writes the code cache if there is none, and creates the store with `recovery`). */
export async function runFirstItem(options: FirstItemOptions = {}): Promise<FirstItemResult> {
  const dir = mkdtempSync(join(tmpdir(), "eddy-bench-first-"));
  const flow = join(dir, "first.json");
  writeFileSync(flow, `${JSON.stringify(FLOW, null, 2)}\n`);
  const args = [BIN, "run", flow, "-w", "1", ...(options.recovery === true ? ["--recovery-dir", join(dir, "state")] : [])];
  const env = childEnv(options);
  try {
    await timeRun(args, env);
    return await timeRun(args, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Times a bare Node printing the marker (`node -e`), after an untimed one, as `runFirstItem` times Eddy. */
export async function runBareNode(options: FirstItemOptions = {}): Promise<FirstItemResult> {
  const args = ["-e", `console.log(${JSON.stringify(FIRST_ITEM_MARKER)})`];
  const env = childEnv(options);
  await timeRun(args, env);
  return timeRun(args, env);
}

function childEnv(options: FirstItemOptions): NodeJS.ProcessEnv {
  if (options.withoutExtraCa !== true) return process.env;
  const { NODE_EXTRA_CA_CERTS: _left, ...rest } = process.env;
  return rest;
}

function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): Promise<FirstItemResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let firstItemSeconds: number | undefined;
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIME_LIMIT_MS);
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      if (firstItemSeconds === undefined && stdout.includes(`${FIRST_ITEM_MARKER}\n`)) firstItemSeconds = (performance.now() - started) / 1000;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const exitSeconds = (performance.now() - started) / 1000;
      if (code !== 0 || firstItemSeconds === undefined) {
        reject(new Error(`node ${args.join(" ")} ${code !== 0 ? `exited with ${signal ?? `code ${code}`}` : "never printed its item"}:\n${stderr.trim()}`));
        return;
      }
      resolve({ firstItemSeconds, exitSeconds });
    });
  });
}
