/**
 * Interrupted runs of the real CLI, resumed from the same recovery directory: SIGKILL at seeded
 * random moments (during start-up and resume, and mid-flow), and SIGINT/SIGTERM (a graceful stop
 * at an epoch boundary, exit 130). Whatever happens, once a run finishes, the `file` output holds
 * every record EXACTLY once: each worker's file equals the file of an uninterrupted run (same
 * lines, as a multiset, none twice).
 *
 * The flow is test/runner/fixtures/paced-sum.json: a running sum and count per key (an object
 * state, saved and restored) over a file input, paced so that a run lasts a few seconds, with
 * 20 ms epochs. The seed is printed and is in every failure message; `CRASH_SEED=<n>` replays it
 * (kill times still depend on the machine's speed).
 */

import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, filesIn, fixtureCopy, lines, removeTemporaryDirectories, type CliResult } from "./cli.js";
import { BASE_SEED, prng } from "../helpers/seeds.js";

afterAll(removeTemporaryDirectories);

const ITEMS = 16_000;
const KEYS = 16;
const DATA = Array.from({ length: ITEMS }, (_, seq) => `${seq},k${seq % KEYS},${((seq * 7919) % 97) + 1}\n`).join("");
/** SIGKILLs per worker count; the first of each is aimed at start-up or resume, the others mid-flow. */
const KILLS = 3;
const MAX_ATTEMPTS = 12;

/** The total size of the output files. */
function outputBytes(outDir: string): number {
  return existsSync(outDir) ? readdirSync(outDir).reduce((total, name) => total + statSync(join(outDir, name)).size, 0) : 0;
}

/** Whether the run has written output: it is past start-up, mid-flow. */
function hasOutput(outDir: string): () => boolean {
  return () => existsSync(outDir) && readdirSync(outDir).some((name) => statSync(join(outDir, name)).size > 0);
}

interface Setup {
  readonly flow: string;
  readonly args: string[];
  readonly outDir: string;
}

function setup(workers: number): Setup {
  const flow = fixtureCopy("paced-sum", { "data/numbers.csv": DATA });
  const dir = dirname(flow);
  return { flow, outDir: join(dir, "out"), args: ["run", flow, "-w", String(workers), "--epoch-length", "20", "--recovery-dir", join(dir, "state")] };
}

/**
 * The same flow with the lines made by a function input that never ends (it waits for more once it
 * made them all): a run of `flow` can only end by a signal, whatever the machine's speed.
 * `endingFlow` is the same flow with an input that ends, for the run that completes.
 */
function setupGenerated(workers: number): Setup & { readonly endingFlow: string } {
  const template = fixtureCopy("paced-sum-generated");
  const dir = dirname(template);
  const text = readFileSync(template, "utf8");
  const flow = join(dir, "endless.json");
  const endingFlow = join(dir, "ending.json");
  writeFileSync(flow, text.replace("__ENDS__", "false"));
  writeFileSync(endingFlow, text.replace("__ENDS__", "true"));
  const options = ["-w", String(workers), "--epoch-length", "20", "--recovery-dir", join(dir, "state")];
  return { flow, endingFlow, outDir: join(dir, "out"), args: ["run", flow, ...options] };
}

/** Each output file's lines, sorted. */
function outputs(outDir: string): Map<string, string[]> {
  return new Map([...filesIn(outDir, /\.jsonl$/)].map(([name, text]) => [name, lines(text).sort()]));
}

interface Reference {
  readonly files: Map<string, string[]>;
  /** From the first output on disk to the exit. */
  readonly flowMs: number;
}

const references = new Map<number, Promise<Reference>>();

/** An uninterrupted run's output files, checked against the sums computed without Eddy. */
function reference(workers: number): Promise<Reference> {
  let pending = references.get(workers);
  if (!pending) {
    pending = (async () => {
      const { args, outDir } = setup(workers);
      let outputAt = 0;
      const written = hasOutput(outDir);
      const poll = setInterval(() => {
        if (outputAt === 0 && written()) outputAt = performance.now();
      }, 5);
      const result = await eddy(args, { timeoutMs: 40_000 });
      const ended = performance.now();
      clearInterval(poll);
      expect(result.code, `reference run, ${workers} workers: ${describeRun(result)}`).toBe(0);
      const files = outputs(outDir);
      expect([...files.keys()]).toEqual(workers === 1 ? ["sums.jsonl"] : Array.from({ length: workers }, (_, i) => `sums.${i}.jsonl`));
      const sums = new Map<string, { sum: number; count: number }>();
      const expected = DATA.split("\n")
        .filter(Boolean)
        .map((line) => {
          const [seq, key, value] = line.split(",");
          const state = sums.get(key!) ?? { sum: 0, count: 0 };
          const next = { sum: state.sum + Number(value), count: state.count + 1 };
          sums.set(key!, next);
          return JSON.stringify([key, { seq: Number(seq), ...next }]);
        });
      expect([...files.values()].flat().sort()).toEqual(expected.sort());
      expect(outputAt, "the reference run wrote its output before it ended").toBeGreaterThan(0);
      return { files, flowMs: ended - outputAt };
    })();
    references.set(workers, pending);
  }
  return pending;
}

function expectExactlyOnce(actual: Map<string, string[]>, expected: Map<string, string[]>, where: string): void {
  expect([...actual.keys()], `${where}: output files`).toEqual([...expected.keys()]);
  for (const [name, expectedLines] of expected) {
    const got = actual.get(name)!;
    const duplicates = got.filter((line, i) => i > 0 && got[i - 1] === line);
    expect(duplicates.slice(0, 5), `${where}: ${name} holds records twice`).toEqual([]);
    const missing = expectedLines.filter((line) => !got.includes(line));
    expect(missing.slice(0, 5), `${where}: ${name} lacks ${missing.length} records`).toEqual([]);
    expect(got, `${where}: ${name}`).toEqual(expectedLines);
  }
}

describe("SIGKILL mid-flow, then `eddy run` again with the same --recovery-dir", () => {
  console.log(`runner kill test seed: ${BASE_SEED} (replay with CRASH_SEED=${BASE_SEED})`);

  for (const workers of [1, 2]) {
    it.concurrent(`-w ${workers}: the file output holds every record exactly once, as an uninterrupted run's`, { timeout: 80_000 }, async () => {
      const random = prng((BASE_SEED + workers * 0x9e3779b9) >>> 0);
      const { flowMs, files } = await reference(workers);
      const log: string[] = [];
      const where = () => `seed ${BASE_SEED} (CRASH_SEED=${BASE_SEED}), -w ${workers}; attempts: ${log.join("; ")}`;
      let kills = 0;
      let attempts = 0;
      // Scenarios from an empty store until KILLS kills happened (a run may end before its kill).
      for (let scenario = 1; kills < KILLS; scenario++) {
        const { args, outDir } = setup(workers);
        log.push(`scenario ${scenario}:`);
        for (let killsHere = 0; ; ) {
          attempts += 1;
          if (attempts > MAX_ATTEMPTS) throw new Error(`${where()}: ${KILLS} kills and finished runs took more than ${MAX_ATTEMPTS} attempts`);
          let result: CliResult;
          if (kills >= KILLS) {
            result = await eddy(args, { timeoutMs: 40_000 });
            log.push(`#${attempts} no kill: exit ${result.code}`);
          } else if (killsHere === 0) {
            // During start-up: flow checks, prepareRecovery, threads starting (or, on a restart, resuming).
            const at = random() * 900;
            result = await eddy(args, { timeoutMs: 40_000, killAfterMs: at });
            log.push(`#${attempts} kill ${at.toFixed(0)} ms after spawn: ${result.killed ? "killed" : `exit ${result.code}`}`);
          } else {
            // Mid-flow: once this attempt changed the output (a restart first cuts the files back, then
            // writes), at a moment within what is left of the flow.
            const before = [...outputs(outDir).values()].flat().length;
            const at = 0.9 * random() * flowMs * (1 - before / ITEMS);
            const sizeBefore = outputBytes(outDir);
            result = await eddy(args, { timeoutMs: 40_000, killAfterMs: at, killWhen: () => outputBytes(outDir) !== sizeBefore });
            log.push(`#${attempts} kill ${at.toFixed(0)} ms after output: ${result.killed ? "killed" : `exit ${result.code}`}, ${before} → ${[...outputs(outDir).values()].flat().length} lines on disk`);
          }
          expect(result.timedOut, `${where()}: attempt ${attempts} hung; ${describeRun(result)}`).toBe(false);
          if (result.killed) {
            kills += 1;
            killsHere += 1;
            continue;
          }
          expect(result.code, `${where()}: attempt ${attempts}: ${describeRun(result)}`).toBe(0);
          break;
        }
        expectExactlyOnce(outputs(outDir), files, where());
      }
      console.log(`runner kill test, -w ${workers}, seed ${BASE_SEED}: ${log.join("; ")}`);
    });
  }
});

/** Sends `signal` to the child once `when()` holds. */
function signalWhen(when: () => boolean, signal: NodeJS.Signals): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      if (!when()) return;
      clearInterval(poll);
      child.kill(signal);
    }, 5);
    child.once("exit", () => clearInterval(poll));
  };
}

describe("SIGINT or SIGTERM mid-run", () => {
  for (const [workers, signal] of [
    [2, "SIGINT"],
    [1, "SIGTERM"],
  ] as const) {
    it.concurrent(`-w ${workers}, ${signal}: stops at an epoch boundary with exit 130; a re-run completes, exactly once`, { timeout: 60_000 }, async () => {
      const { files } = await reference(workers);
      // An input that never ends: only the signal can end this run, once it has written output.
      const { args, outDir, endingFlow } = setupGenerated(workers);
      const stopped = await eddy(args, { timeoutMs: 40_000, onStart: signalWhen(hasOutput(outDir), signal) });
      expect(stopped.code, describeRun(stopped)).toBe(130);
      expect(stopped.stderr).toContain(`${signal}: stopping at the next epoch boundary`);
      expect(stopped.stderr).toContain("stopped at an epoch boundary; run again with the same recovery directory to continue");
      const partial = [...outputs(outDir).values()].flat();
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThanOrEqual(ITEMS);

      const resumed = await eddy(["run", endingFlow, ...args.slice(2)], { timeoutMs: 40_000 });
      expect(resumed.code, describeRun(resumed)).toBe(0);
      expect(resumed.stderr).toMatch(/resuming at epoch [1-9]/);
      expectExactlyOnce(outputs(outDir), files, `${signal}, -w ${workers}`);
    });
  }

  it("a second signal exits at once, even when the run cannot reach an epoch boundary", { timeout: 30_000 }, async () => {
    const flow = fixtureCopy("stuck");
    const second = { at: 0 };
    const result = await eddy(["run", flow, "-w", "2", "--verbose"], { timeoutMs: 20_000, onStart: doubleSignal(2, second) });
    expect(performance.now() - second.at, describeRun(result)).toBeLessThan(EXIT_BOUND_MS);
    expect(result.code, describeRun(result)).toBe(130);
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain("SIGINT: exiting now");
  });
});

/** Sends SIGINT once `workers` workers started, and again as soon as the first one was taken (the "stopping" line). */
function doubleSignal(workers: number, second: { at: number }): (child: ChildProcess, output: { stderr: () => string }) => void {
  return (child, output) => {
    signalWhen(() => (output.stderr().match(/started on thread/g) ?? []).length === workers, "SIGINT")(child);
    signalWhen(() => {
      if (!/stopping at the next epoch boundary/.test(output.stderr())) return false;
      second.at = performance.now();
      return true;
    }, "SIGINT")(child);
  };
}

/** A generous bound on "at once": a hang (a thread that never ends) goes far past it. */
const EXIT_BOUND_MS = 10_000;

describe("a second SIGINT under load", () => {
  const LANES = 2;
  const REPEATS = 10;
  it(`exits 130 at once, every time (${LANES * REPEATS} runs, ${LANES} at once, -w 2), never by a signal; the store stays usable`, { timeout: 400_000 }, async () => {
    // Two lanes at once, each of two busy threads: the machine is loaded. Each lane keeps one
    // recovery directory: every interrupted run resumes where the last committed epoch left it.
    const { files } = await reference(2);
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const { args, outDir, endingFlow } = setupGenerated(2);
        for (let repeat = 1; repeat <= REPEATS; repeat++) {
          const second = { at: 0 };
          const result = await eddy([...args, "--verbose"], { timeoutMs: 60_000, onStart: doubleSignal(2, second) });
          const where = `lane ${lane}, run ${repeat}: ${describeRun(result)}`;
          // The first signal may have ended the run at an epoch boundary before the second was sent.
          if (second.at > 0) expect(performance.now() - second.at, where).toBeLessThan(EXIT_BOUND_MS);
          expect(result.timedOut, where).toBe(false);
          expect(result.signal, where).toBeNull();
          expect(result.code, where).toBe(130);
        }
        const completed = await eddy(["run", endingFlow, ...args.slice(2)], { timeoutMs: 60_000 });
        expect(completed.code, `lane ${lane}, completing run: ${describeRun(completed)}`).toBe(0);
        expectExactlyOnce(outputs(outDir), files, `lane ${lane}`);
      }),
    );
  });
});
