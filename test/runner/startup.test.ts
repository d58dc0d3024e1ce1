/**
 * What `eddy` loads when it starts (the bin as `npx eddy` runs it): the runner's JavaScript build
 * (dist/runner/, node-runner/bin/runnerBuild.js) and nothing a flow does not use. Observed with a
 * preloaded recorder of every module each process and thread loads (fixtures/recordLoads.mjs):
 * no TypeScript and no tsx or esbuild at run time, no kafkajs or lmdb for a flow without Kafka or a
 * recovery store (and lmdb, in the threads, as soon as the flow has one), no zod in the worker
 * threads; the same for the processes of a cluster (`eddy run -n`, `eddy cluster`). And a build older than a source is rebuilt before it runs, never run stale. No timing
 * is asserted.
 */

import { spawn } from "node:child_process";
import { readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, REPO, flowFile, removeTemporaryDirectories, temporaryDirectory, type CliResult } from "./cli.js";

const BIN = join(REPO, "node-runner/bin/eddy.js");
const MANIFEST = join(REPO, "dist/runner/manifest.json");

afterAll(removeTemporaryDirectories);

/** Runs the bin with the recorder; resolves with the result and the recorded loads. */
function recordedRun(args: readonly string[], timeoutMs = 60_000): Promise<{ result: Omit<CliResult, "killed" | "ms">; loads: string[] }> {
  const record = join(temporaryDirectory("eddy-loads-"), "loads.txt");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", join(FIXTURES, "recordLoads.mjs"), BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, EDDY_TEST_LOADS: record },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      let loads: string[] = [];
      try {
        loads = readFileSync(record, "utf8").split("\n").filter(Boolean);
      } catch {
        // Nothing recorded: the assertions say so.
      }
      resolve({ result: { code, signal, stdout, stderr, timedOut }, loads });
    });
  });
}

const ONE_ITEM = [
  { id: "one", op: "input", input: { type: "function", fn: "function* () { yield [1, 'first']; }" } },
  { id: "out", op: "capture", after: ["one"], output: { type: "stdout" } },
];

/** The packages (node_modules/NAME) among the loads. */
function packages(loads: readonly string[]): Set<string> {
  return new Set(loads.flatMap((line) => [...line.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((match) => match[1]!)));
}

describe("eddy's start-up", () => {
  it("runs the JavaScript build: no TypeScript, tsx or esbuild, no kafkajs or lmdb, and no zod in the worker thread", { timeout: 90_000 }, async () => {
    const { result, loads } = await recordedRun(["run", flowFile(ONE_ITEM), "-w", "1"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("first\n");
    expect(loads.filter((line) => line.includes("/dist/runner/"))).toEqual([`esm file://${REPO}/dist/runner/cli.js`, `esm file://${REPO}/dist/runner/threadMain.js`]);
    expect(loads.filter((line) => /\.[cm]?tsx?$/.test(line))).toEqual([]);
    const loaded = packages(loads);
    for (const absent of ["tsx", "esbuild", "kafkajs", "lmdb", "zod", "acorn", "commander"]) expect(loaded.has(absent), `${absent} was loaded:\n${loads.join("\n")}`).toBe(false);
    // zod (the flow schema) is bundled into the main thread's build only: the threads do not validate again.
    expect(readFileSync(join(REPO, "dist/runner/cli.js"), "utf8")).toContain('"ZodError"');
    expect(readFileSync(join(REPO, "dist/runner/threadMain.js"), "utf8")).not.toContain('"ZodError"');
  });

  it("loads lmdb, in the verifying child and the worker thread, once the flow has a file recovery store", { timeout: 90_000 }, async () => {
    const store = join(temporaryDirectory("eddy-loads-store-"), "state");
    const flow = flowFile(ONE_ITEM);
    const first = await recordedRun(["run", flow, "--recovery-dir", store]);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(packages(first.loads).has("lmdb")).toBe(true);
    // The second run finds the store: a child process checks it first (verifyStoreChild.js).
    const again = await recordedRun(["run", flow, "--recovery-dir", store]);
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(again.loads).toContain(`esm file://${REPO}/dist/runner/verifyStoreChild.js`);
    expect(packages(again.loads).has("lmdb")).toBe(true);
    expect(packages(again.loads).has("kafkajs")).toBe(false);
  });

  it("runs the same build for a cluster: eddy run -n and its eddy cluster processes load no TypeScript, tsx, esbuild, kafkajs or lmdb", { timeout: 90_000 }, async () => {
    // The recorder is preloaded into the children too (they get the parent's execArgv and environment).
    const { result, loads } = await recordedRun(["run", flowFile(ONE_ITEM), "-n", "2", "-w", "1"]);
    expect(result.code, result.stderr).toBe(0);
    // Each of the 2 workers (one per process) yields its one item.
    expect(result.stdout).toBe("first\nfirst\n");
    const bundles = loads.filter((line) => line.includes("/dist/runner/"));
    // The parent and each process load cli.js; each process's one thread loads threadMain.js.
    expect(bundles.filter((line) => line === `esm file://${REPO}/dist/runner/cli.js`)).toHaveLength(3);
    expect(bundles.filter((line) => line === `esm file://${REPO}/dist/runner/threadMain.js`)).toHaveLength(2);
    expect(bundles.filter((line) => !line.endsWith("/cli.js") && !line.endsWith("/threadMain.js"))).toEqual([]);
    expect(loads.filter((line) => /\.[cm]?tsx?$/.test(line))).toEqual([]);
    const loaded = packages(loads);
    for (const absent of ["tsx", "esbuild", "kafkajs", "lmdb"]) expect(loaded.has(absent), `${absent} was loaded:\n${loads.join("\n")}`).toBe(false);
  });

  it("rebuilds the build before running when a source changed since it was built", { timeout: 120_000 }, async () => {
    const source = join(REPO, "engine/flow/migrateFlow.ts");
    const { atime, mtime } = statSync(source);
    const warm = await recordedRun(["run", flowFile(ONE_ITEM)]);
    expect(warm.result.code, warm.result.stderr).toBe(0);
    const before = (JSON.parse(readFileSync(MANIFEST, "utf8")) as { builtAt: number; inputs: string[] });
    expect(before.inputs).toContain("engine/flow/migrateFlow.ts");
    try {
      // An edit: the source is now newer than the build.
      const now = new Date();
      utimesSync(source, now, now);
      const { result, loads } = await recordedRun(["run", flowFile(ONE_ITEM)]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("first\n");
      // It rebuilt (esbuild ran, the manifest is newer than the edit) and then ran the new build.
      expect(packages(loads).has("esbuild")).toBe(true);
      const after = JSON.parse(readFileSync(MANIFEST, "utf8")) as { builtAt: number };
      expect(after.builtAt).toBeGreaterThanOrEqual(now.getTime());
      expect(after.builtAt).toBeGreaterThan(before.builtAt);
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});
