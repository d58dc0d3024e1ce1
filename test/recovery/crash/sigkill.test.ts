/**
 * A real crash test: crashChild.ts runs in a child process with a file (LMDB) recovery store and is
 * SIGKILLed, by its PID, at seeded random moments, then restarted on the same store until a run
 * finishes. The combined output of all attempts is checked against an uninterrupted reference run:
 *
 * - nothing lost: every output of the reference run is in the combined output;
 * - nothing wrong: every output in the combined output is in the reference run (no wrong sums);
 * - duplicates only where allowed: a line that attempt A emitted in an epoch below the resume epoch
 *   of attempt A + 1 (the minimum durable frontier, read from the store before A + 1 starts) never
 *   appears again; an attempt never emits an item twice, nor anything below its resume epoch;
 * - the final sum per key equals the reference's.
 *
 * The seed is printed and is in every failure message; `CRASH_SEED=<n>` replays it (kill times
 * still depend on the machine's speed, so a replay aims at the same moments, not the same state).
 * `CRASH_VERBOSE=1` prints every scenario's attempts.
 */

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { open } from "lmdb";
import { afterAll, describe, expect, it } from "vitest";
import { expectedOutputs } from "./crashFlow.js";
import { killAndResume } from "../../helpers/killAndResume.js";
import { BASE_SEED, prng } from "../../helpers/seeds.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../../..");
const CHILD = join(HERE, "crashChild.ts");

/** Every child is SIGKILLed after this long, and the test fails as a hang. */
const HANG_MS = 30_000;
/** At most this many attempts on one store before the test gives up. */
const MAX_ATTEMPTS = 40;
/** Kills per worker count (two worker counts: at least 20 in all). */
const KILLS_PER_TEST = 11;
/** Fresh stores per worker count at most (a scenario ends at the first run that finishes). */
const MAX_SCENARIOS = 25;
/** A restart is killed within RESUME_KILL_MS of its start (during the resume itself) with this probability. */
const RESUME_KILL_P = 0.3;
const RESUME_KILL_MS = 150;

interface Line {
  readonly epoch: number;
  readonly item: [string, number];
  readonly attempt: number;
}

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** We killed it at the planned moment. */
  readonly killed: boolean;
  readonly hung: boolean;
  /** From the child's `START` line (just before the run) to its exit. */
  readonly runMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the child once. With `killAfterStartMs`, SIGKILLs it (by PID) that long after it printed
 * `START`. Either way it is SIGKILLed after HANG_MS.
 */
function runChild(storeDir: string, outFile: string, workers: number, attempt: number, killAfterStartMs?: number): Promise<ChildResult> {
  return new Promise((resolveRun, rejectRun) => {
    // `node --import tsx` rather than the tsx CLI: the CLI runs the program in a grandchild, which
    // a SIGKILL of the CLI would orphan, leaving it writing to the store.
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, storeDir, outFile, String(workers)], {
      cwd: REPO,
      env: { ...process.env, CRASH_ATTEMPT: String(attempt) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let startedAt: number | undefined;
    let killed = false;
    let hung = false;
    let killTimer: NodeJS.Timeout | undefined;
    const hangTimer = setTimeout(() => {
      hung = true;
      process.kill(child.pid!, "SIGKILL");
    }, HANG_MS);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      if (startedAt === undefined && /^START$/m.test(stdout)) {
        startedAt = performance.now();
        if (killAfterStartMs !== undefined) {
          killTimer = setTimeout(() => {
            if (child.exitCode === null && child.signalCode === null) {
              killed = true;
              process.kill(child.pid!, "SIGKILL");
            }
          }, killAfterStartMs);
        }
      }
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", rejectRun);
    child.on("close", (code, signal) => {
      clearTimeout(hangTimer);
      clearTimeout(killTimer);
      const runMs = startedAt === undefined ? 0 : performance.now() - startedAt;
      resolveRun({ code, signal, killed, hung, runMs, stdout, stderr });
    });
  });
}

/**
 * The resume epoch the next run will use, read from the store with LMDB directly: the minimum
 * durable frontier over the partitions that exist (0 for an empty store, as a fresh start).
 */
function resumeEpochOf(storeDir: string, workers: number): number {
  if (!existsSync(storeDir)) return 0;
  const frontiers: number[] = [];
  for (let index = 0; index < workers; index++) {
    const path = join(storeDir, `worker-${index}.mdb`);
    if (!existsSync(path)) continue;
    const root = open({ path, maxDbs: 4, readOnly: true });
    try {
      let frontier: number | undefined;
      let hasMeta = false;
      try {
        hasMeta = root.openDB({ name: "meta" }).get("meta") !== undefined;
        frontier = root.openDB<number, string>({ name: "progress" }).get("frontier");
      } catch {
        // A partition whose creation was cut short has no databases yet.
      }
      if (hasMeta) frontiers.push(frontier ?? 0);
    } finally {
      root.close();
    }
  }
  return frontiers.length === 0 ? 0 : Math.min(...frontiers);
}

function readLines(outFile: string, attempt: number, killed: boolean, where: () => string): { lines: Line[]; torn: number } {
  if (!existsSync(outFile)) return { lines: [], torn: 0 };
  const text = readFileSync(outFile, "utf8");
  const parts = text.split("\n");
  const tail = parts.pop()!;
  let torn = 0;
  if (tail !== "") {
    // Only a killed child may leave a partial last line (appendFileSync is one write, so not expected).
    if (!killed) throw new Error(`${where()}: attempt ${attempt} left an unterminated last line ${JSON.stringify(tail)}`);
    torn = 1;
  }
  const lines = parts.map((part, i) => {
    const line = JSON.parse(part) as Line;
    if (line.attempt !== attempt) throw new Error(`${where()}: line ${i + 1} of attempt ${attempt} says attempt ${line.attempt}`);
    return line;
  });
  return { lines, torn };
}

interface Reference {
  readonly outputs: Set<string>;
  readonly finals: Map<string, number>;
  readonly runMs: number;
}

interface Stats {
  scenarios: number;
  attempts: number;
  kills: number;
  resumeKills: number;
  duplicates: number;
  maxEpochsReplayed: number;
  maxDuplicatesInOneRestart: number;
  resumesAboveFirstEmitted: number;
  torn: number;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "eddy-crash-"));
  dirs.push(dir);
  return dir;
}

async function referenceRun(workers: number, where: () => string): Promise<Reference> {
  const dir = freshDir();
  const outFile = join(dir, "out-1.jsonl");
  const result = await runChild(join(dir, "store"), outFile, workers, 1);
  expect(result.hung, `${where()}: the reference run hung (${HANG_MS} ms); stderr: ${result.stderr}`).toBe(false);
  expect(result.code, `${where()}: the reference run failed; stderr: ${result.stderr}`).toBe(0);
  const { lines } = readLines(outFile, 1, false, where);
  const outputs = new Set<string>();
  const finals = new Map<string, number>();
  for (const line of lines) {
    const item = JSON.stringify(line.item);
    expect(outputs.has(item), `${where()}: the reference run emitted ${item} twice`).toBe(false);
    outputs.add(item);
    finals.set(line.item[0], line.item[1]);
  }
  // The reference itself is checked against the sums computed without the engine.
  const expected = expectedOutputs();
  expect(outputs, `${where()}: the reference run's outputs`).toEqual(expected.outputs);
  expect(finals, `${where()}: the reference run's final sums`).toEqual(expected.finals);
  rmSync(dir, { recursive: true, force: true });
  return { outputs, finals, runMs: result.runMs };
}

/** One store from empty: start, kill, restart, ... until a run exits 0. Checks the oracle. */
async function crashScenario(workers: number, reference: Reference, random: () => number, stats: Stats, where: () => string): Promise<void> {
  const dir = freshDir();
  const storeDir = join(dir, "store");
  const attempts: Line[][] = [];
  /** resumes[a]: the resume epoch of attempt a + 1, read before it started. */
  const resumes: number[] = [];
  const log: string[] = [];
  const context = () => `${where()}, scenario ${stats.scenarios + 1}; attempts so far: ${log.join("; ")}`;
  // Every attempt gets a seeded kill; one that ends before it finishes the scenario.
  const { finished, attempt } = await killAndResume({
    kills: Infinity,
    maxAttempts: MAX_ATTEMPTS,
    where: context,
    run: async (attempt) => {
      const resume = resumeEpochOf(storeDir, workers);
      resumes.push(resume);
      const restart = attempt > 1;
      const duringResume = restart && random() < RESUME_KILL_P;
      const killAt = duringResume ? random() * RESUME_KILL_MS : random() * 1.2 * reference.runMs;
      const outFile = join(dir, `out-${attempt}.jsonl`);
      const result = await runChild(storeDir, outFile, workers, attempt, killAt);
      stats.attempts += 1;
      const { lines, torn } = readLines(outFile, attempt, result.killed, context);
      stats.torn += torn;
      attempts.push(lines);
      log.push(
        `#${attempt} resume ${resume}, ${result.killed ? `killed at ${killAt.toFixed(0)} ms${duringResume ? " (during resume)" : ""}` : `exit ${result.code ?? result.signal}`}, ` +
          `${lines.length} lines${lines.length > 0 ? ` in epochs ${Math.min(...lines.map((l) => l.epoch))}..${Math.max(...lines.map((l) => l.epoch))}` : ""}`,
      );
      if (result.hung) throw new Error(`${context()}: attempt ${attempt} hung (no exit in ${HANG_MS} ms); stderr: ${result.stderr}`);
      if (result.killed) {
        stats.kills += 1;
        if (duringResume) stats.resumeKills += 1;
      }
      return result;
    },
  });
  if (finished.code !== 0) throw new Error(`${context()}: attempt ${attempt} failed with ${finished.code ?? finished.signal}; stderr: ${finished.stderr}`);
  if (!/^DONE /m.test(finished.stdout)) throw new Error(`${context()}: attempt ${attempt} exited 0 without DONE; stdout: ${finished.stdout}`);
  stats.scenarios += 1;
  if (process.env["CRASH_VERBOSE"]) console.log(`${where()}, scenario ${stats.scenarios}: ${log.join("; ")}`);
  const fail = (message: string) => `${context()}: ${message}`;

  // Resume epochs never go back; an attempt emits nothing below its resume epoch, and nothing twice.
  for (let a = 1; a < resumes.length; a++) {
    expect(resumes[a]!, fail(`the resume epoch went back from ${resumes[a - 1]} to ${resumes[a]} at attempt ${a + 1}`)).toBeGreaterThanOrEqual(resumes[a - 1]!);
  }
  attempts.forEach((lines, a) => {
    const seen = new Set<string>();
    for (const line of lines) {
      const item = JSON.stringify(line.item);
      expect(line.epoch, fail(`attempt ${a + 1} emitted ${item} in epoch ${line.epoch}, below its resume epoch ${resumes[a]}`)).toBeGreaterThanOrEqual(resumes[a]!);
      expect(seen.has(item), fail(`attempt ${a + 1} emitted ${item} twice`)).toBe(false);
      seen.add(item);
    }
    if (lines.length > 0 && Math.min(...lines.map((l) => l.epoch)) > resumes[a]!) stats.resumesAboveFirstEmitted += 1;
  });

  // Duplicates only where allowed: what attempt A emitted below attempt A + 1's resume epoch was
  // committed, so no later attempt may emit it again.
  const committedBy = new Map<string, { attempt: number; epoch: number }>();
  const emittedBefore = new Set<string>();
  for (let a = 0; a < attempts.length; a++) {
    let duplicates = 0;
    for (const line of attempts[a]!) {
      const item = JSON.stringify(line.item);
      const committed = committedBy.get(item);
      if (committed) {
        throw new Error(
          fail(
            `attempt ${a + 1} emitted ${item} (epoch ${line.epoch}) again, though attempt ${committed.attempt} emitted it in epoch ${committed.epoch}, ` +
              `below attempt ${committed.attempt + 1}'s resume epoch ${resumes[committed.attempt]}`,
          ),
        );
      }
      if (emittedBefore.has(item)) duplicates += 1;
    }
    for (const line of attempts[a]!) {
      const item = JSON.stringify(line.item);
      emittedBefore.add(item);
      if (a + 1 < resumes.length && line.epoch < resumes[a + 1]!) committedBy.set(item, { attempt: a + 1, epoch: line.epoch });
    }
    stats.duplicates += duplicates;
    stats.maxDuplicatesInOneRestart = Math.max(stats.maxDuplicatesInOneRestart, duplicates);
    if (a > 0 && attempts[a - 1]!.length > 0) {
      const lastEpoch = Math.max(...attempts[a - 1]!.map((l) => l.epoch));
      stats.maxEpochsReplayed = Math.max(stats.maxEpochsReplayed, lastEpoch - resumes[a]! + 1);
    }
  }

  // Nothing lost, nothing wrong.
  const combined = new Set(attempts.flat().map((line) => JSON.stringify(line.item)));
  const lost = [...reference.outputs].filter((item) => !combined.has(item));
  expect(lost.slice(0, 10), fail(`${lost.length} outputs of the reference run are missing, first ones`)).toEqual([]);
  const wrong = [...combined].filter((item) => !reference.outputs.has(item));
  expect(wrong.slice(0, 10), fail(`${wrong.length} outputs are not in the reference run (wrong sums), first ones`)).toEqual([]);

  // The final sum per key: the last line of each key over the attempts in order, and what the
  // finishing run saw.
  const finals = new Map<string, number>();
  for (const line of attempts.flat()) finals.set(line.item[0], line.item[1]);
  expect(new Map([...finals].sort()), fail("final sums per key")).toEqual(new Map([...reference.finals].sort()));
  const done = JSON.parse(/^DONE (.*)$/m.exec(finished.stdout)![1]!) as { sums: Record<string, number> };
  for (const [key, sum] of Object.entries(done.sums)) expect(sum, fail(`the finishing run's last sum of ${key}`)).toBe(reference.finals.get(key));

  // The store holds only the partitions of this run's workers.
  expect(readdirSync(storeDir).filter((name) => name.endsWith(".mdb")).sort(), fail("partition files")).toEqual(Array.from({ length: workers }, (_, i) => `worker-${i}.mdb`));
  rmSync(dir, { recursive: true, force: true });
}

describe("SIGKILL at random moments, file store, restart until done", () => {
  console.log(`crash test seed: ${BASE_SEED} (replay with CRASH_SEED=${BASE_SEED})`);

  for (const workers of [1, 2]) {
    it(`${workers === 1 ? "runMain" : "clusterMain with 2 workers"}: nothing lost, duplicates only from the resume epoch on, same final sums`, { timeout: 300_000 }, async () => {
      const seed = (BASE_SEED + workers * 0x9e3779b9) >>> 0;
      const where = () => `seed ${BASE_SEED} (CRASH_SEED=${BASE_SEED}), ${workers} worker${workers > 1 ? "s" : ""}`;
      const random = prng(seed);
      const reference = await referenceRun(workers, where);
      const stats: Stats = { scenarios: 0, attempts: 0, kills: 0, resumeKills: 0, duplicates: 0, maxEpochsReplayed: 0, maxDuplicatesInOneRestart: 0, resumesAboveFirstEmitted: 0, torn: 0 };
      while (stats.kills < KILLS_PER_TEST) {
        if (stats.scenarios >= MAX_SCENARIOS) throw new Error(`${where()}: only ${stats.kills} kills in ${MAX_SCENARIOS} scenarios`);
        await crashScenario(workers, reference, random, stats, where);
      }
      console.log(
        `crash test, ${workers} worker(s), seed ${BASE_SEED}: reference run ${reference.runMs.toFixed(0)} ms; ${stats.scenarios} scenarios, ${stats.attempts} attempts, ` +
          `${stats.kills} kills (${stats.resumeKills} during resume), ${stats.duplicates} duplicates (at most ${stats.maxDuplicatesInOneRestart} in one restart), ` +
          `at most ${stats.maxEpochsReplayed} epochs replayed, ${stats.resumesAboveFirstEmitted} restarts whose first output was above the resume epoch, ${stats.torn} torn lines`,
      );
      expect(stats.kills).toBeGreaterThanOrEqual(KILLS_PER_TEST);
    });
  }
});
