/**
 * What `eddy` loads when it starts (the bin as `npx eddy` runs it): the runner's JavaScript build
 * (dist/runner/, node-runner/bin/runnerBuild.js) and nothing a flow or a command does not use.
 * Observed with a preloaded recorder of every module each process and thread loads
 * (fixtures/recordLoads.mjs); what each file of the build holds is in its manifest (`outputs`).
 * No TypeScript and no tsx or esbuild at run time; no kafkajs or lmdb, no Kafka or recovery-store
 * code, no msgpackr (the state codec) and no cluster code for a flow without them; prom-client only
 * with --metrics-port; lmdb and the file store's code as soon as the flow has a file store; no zod
 * in the worker threads; the same for the processes of a cluster (`eddy run -n`, `eddy cluster`),
 * whose first process starts no thread of its own. A run leaves V8's code cache beside each file
 * of the build it ran (node-runner/bin/chunkLoader.cjs), takes it the next time, and runs the same
 * with a cache that does not fit (rejected, then written again). And a build older than a source
 * is rebuilt before it runs, never run stale. No timing is asserted.
 */

import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { basename, join } from "node:path";
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

/**
 * The files of the runner's build among the loads, one per load: the stubs Node loads (`cli.js`,
 * `threadMain.cjs`), and the files the loader reads (`threadMain-kafkaInput-HASH.cjs`, ...); left
 * out: the loader itself (loader.cjs), Node's own read of a stub it loads, and the ES module
 * loader's record of a CommonJS stub (with the recorder's --import, Node hands the worker thread's
 * entry to it first, and it to the CommonJS loader, which records it too).
 */
function buildFiles(loads: readonly string[]): string[] {
  const files = loads.filter((line) => line.includes("/dist/runner/") && !line.endsWith("/loader.cjs"));
  const once = files.filter((line) => (line.startsWith("read ") ? basename(line).includes("-") : !(line.startsWith("esm ") && line.endsWith(".cjs"))));
  return once.map((line) => basename(line));
}

/** What the build's manifest says each of its files holds (sources and package files, relative to the repository). */
function outputs(): Record<string, string[]> {
  return (JSON.parse(readFileSync(MANIFEST, "utf8")) as { outputs: Record<string, string[]> }).outputs;
}

/** The sources and package files inside the files of the build (`FAMILY-...-HASH.cjs`) that `family` (the main thread: `cli`, the worker threads: `threadMain`) ran. */
function loadedInputs(loads: readonly string[], family: "cli" | "threadMain"): Set<string> {
  const holds = outputs();
  const files = buildFiles(loads).filter((file) => file.startsWith(`${family}-`));
  return new Set(files.flatMap((file) => holds[file] ?? [`(not in the manifest: ${file})`]));
}

/** Inputs of `inputs` that start with any of `prefixes`. */
function matching(inputs: ReadonlySet<string>, prefixes: readonly string[]): string[] {
  return [...inputs].filter((input) => prefixes.some((prefix) => input.startsWith(prefix)));
}

/** What a run of a flow without Kafka, recovery or metrics never loads, in any thread. */
const NOT_FOR_A_PLAIN_FLOW = [
  "node_modules/prom-client/",
  "node_modules/@opentelemetry/",
  "node-runner/metrics/metricsServer.ts",
  "node-runner/kafka/",
  "node-runner/connectors/kafka",
  "node-runner/recovery/fileStore.ts",
  "node-runner/recovery/kafkaStore.ts",
  "node-runner/recovery/storeLock.ts",
  "node-runner/commands/runRecovery.ts",
  "engine/runtime/recoveryStart.ts",
  "engine/recovery/codec.ts",
  "node-runner/cluster/connectMesh.ts",
  "node-runner/cluster/router.ts",
  "node-runner/commands/cluster.ts",
  "node-runner/cluster/spawnLocal.ts",
];

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The packages (node_modules/NAME) among the loads. */
function packages(loads: readonly string[]): Set<string> {
  return new Set(loads.flatMap((line) => [...line.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((match) => match[1]!)));
}

describe("eddy's start-up", () => {
  it("runs the JavaScript build: no TypeScript, tsx or esbuild, nothing for Kafka, recovery, metrics or clusters, and no zod in the worker thread", { timeout: 90_000 }, async () => {
    const { result, loads } = await recordedRun(["run", flowFile(ONE_ITEM), "-w", "1"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("first\n");
    const files = buildFiles(loads);
    // The stubs of the main thread and of its one worker thread, and the files they run.
    expect(files.filter((file) => file === "cli.js" || file === "threadMain.cjs")).toEqual(["cli.js", "threadMain.cjs"]);
    expect(files.filter((file) => !/^(cli\.js|threadMain\.cjs|(cli|threadMain)-[\w-]+\.cjs)$/.test(file))).toEqual([]);
    expect(loads.filter((line) => /\.[cm]?tsx?$/.test(line))).toEqual([]);
    const loaded = packages(loads);
    for (const absent of ["tsx", "esbuild", "kafkajs", "lmdb", "msgpackr", "zod", "acorn", "commander", "prom-client"]) expect(loaded.has(absent), `${absent} was loaded:\n${loads.join("\n")}`).toBe(false);
    const main = loadedInputs(loads, "cli");
    const thread = loadedInputs(loads, "threadMain");
    expect(matching(main, NOT_FOR_A_PLAIN_FLOW)).toEqual([]);
    expect(matching(thread, NOT_FOR_A_PLAIN_FLOW)).toEqual([]);
    // zod (the flow schema) is loaded by the main thread only: the threads do not validate again.
    expect(matching(main, ["node_modules/zod/"]).length).toBeGreaterThan(0);
    expect(matching(thread, ["node_modules/zod/"])).toEqual([]);
    const threadFiles = readdirSync(join(REPO, "dist/runner")).filter((file) => file.startsWith("threadMain") && file.endsWith(".cjs"));
    for (const file of threadFiles) expect(readFileSync(join(REPO, "dist/runner", file), "utf8"), file).not.toContain('"ZodError"');
  });

  it("loads prom-client only with --metrics-port, and eddy validate loads no worker thread", { timeout: 90_000 }, async () => {
    const flow = flowFile(ONE_ITEM);
    const metrics = await recordedRun(["run", flow, "--metrics-port", String(await freePort())]);
    expect(metrics.result.code, metrics.result.stderr).toBe(0);
    const withMetrics = loadedInputs(metrics.loads, "cli");
    expect(withMetrics.has("node-runner/metrics/metricsServer.ts")).toBe(true);
    expect(matching(withMetrics, ["node_modules/prom-client/"]).length).toBeGreaterThan(0);
    const validate = await recordedRun(["validate", flow]);
    expect(validate.result.code, validate.result.stderr).toBe(0);
    expect(buildFiles(validate.loads).filter((file) => file.startsWith("threadMain"))).toEqual([]);
    expect(matching(loadedInputs(validate.loads, "cli"), NOT_FOR_A_PLAIN_FLOW)).toEqual([]);
  });

  it("loads lmdb, in the verifying child and the worker thread, once the flow has a file recovery store", { timeout: 90_000 }, async () => {
    const store = join(temporaryDirectory("eddy-loads-store-"), "state");
    const flow = flowFile(ONE_ITEM);
    const first = await recordedRun(["run", flow, "--recovery-dir", store]);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(packages(first.loads).has("lmdb")).toBe(true);
    // The second run finds the store: a child process checks it first (verifyStoreChild.cjs).
    const again = await recordedRun(["run", flow, "--recovery-dir", store]);
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(again.loads).toContain(`cjs ${REPO}/dist/runner/verifyStoreChild.cjs`);
    expect(packages(again.loads).has("lmdb")).toBe(true);
    expect(packages(again.loads).has("kafkajs")).toBe(false);
    // The store's code, in both threads (the main one prepares recovery, the worker writes), and no Kafka code.
    for (const family of ["cli", "threadMain"] as const) {
      const inputs = loadedInputs(again.loads, family);
      expect(inputs.has("node-runner/recovery/fileStore.ts"), family).toBe(true);
      expect(matching(inputs, ["node-runner/kafka/", "node-runner/connectors/kafka", "node-runner/recovery/kafkaStore.ts"]), family).toEqual([]);
    }
  });

  it("runs the same build for a cluster: eddy run -n and its eddy cluster processes load no TypeScript, tsx, esbuild, kafkajs or lmdb", { timeout: 90_000 }, async () => {
    // The recorder is preloaded into the children too (they get the parent's execArgv and environment).
    const { result, loads } = await recordedRun(["run", flowFile(ONE_ITEM), "-n", "2", "-w", "1"]);
    expect(result.code, result.stderr).toBe(0);
    // Each of the 2 workers (one per process) yields its one item.
    expect(result.stdout).toBe("first\nfirst\n");
    const files = buildFiles(loads);
    // The parent and each process load cli.js; each process's one thread loads threadMain.cjs (the parent starts none).
    expect(files.filter((file) => file === "cli.js")).toHaveLength(3);
    expect(files.filter((file) => file === "threadMain.cjs")).toHaveLength(2);
    expect(files.filter((file) => !/^(cli\.js|threadMain\.cjs|(cli|threadMain)-[\w-]+\.cjs)$/.test(file))).toEqual([]);
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

  it("leaves a code cache beside each file it ran, takes it the next time, and runs the same with a cache that does not fit", { timeout: 120_000 }, async () => {
    const flow = flowFile(ONE_ITEM);
    const dir = join(REPO, "dist/runner");
    const first = await recordedRun(["run", flow]);
    expect(first.result.code, first.result.stderr).toBe(0);
    const ran = [...new Set(buildFiles(first.loads).filter((file) => file !== "cli.js" && file !== "threadMain.cjs"))];
    expect(ran.length).toBeGreaterThan(2);
    const cachesOf = (file: string) => readdirSync(dir).filter((name) => name.startsWith(`${file}.`) && name.endsWith(".cache"));
    // Without caches, a run writes one for each file it ran.
    for (const file of ran) for (const cache of cachesOf(file)) rmSync(join(dir, cache), { force: true });
    const cold = await recordedRun(["run", flow]);
    expect(cold.result.code, cold.result.stderr).toBe(0);
    expect(cold.result.stdout).toBe("first\n");
    for (const file of ran) expect(cachesOf(file), file).toHaveLength(1);
    // Caches that are not V8's code of their file: rejected, the run is the same, and they are written again.
    const garbage = Buffer.from("not a code cache, whatever its name says ".repeat(64));
    const caches = ran.map((file) => join(dir, cachesOf(file)[0]!));
    for (const cache of caches) writeFileSync(cache, garbage);
    const damaged = await recordedRun(["run", flow]);
    expect(damaged.result.code, damaged.result.stderr).toBe(0);
    expect(damaged.result.stdout).toBe("first\n");
    for (const cache of caches) expect(readFileSync(cache).equals(garbage), cache).toBe(false);
    // Caches that fit are taken, not written again.
    const written = caches.map((cache) => statSync(cache).mtimeMs);
    const warm = await recordedRun(["run", flow]);
    expect(warm.result.code, warm.result.stderr).toBe(0);
    expect(warm.result.stdout).toBe("first\n");
    expect(caches.map((cache) => statSync(cache).mtimeMs)).toEqual(written);
  });
});
