/**
 * One run per recovery directory (issue 10, point 2), with real processes: two `eddy run`s on one
 * store, started at the same instant (on an input that never ends), end with exactly one refused (exit 4, RECOVERY_LOCKED, naming
 * the directory and the owner's pid) and the other's output intact; a run killed with SIGKILL leaves
 * a lock that does not block the next run; and the lock itself, taken by many processes at once
 * (on a free directory and on one with a stale lock), goes to exactly one of them.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { lockStoreDir } from "../../node-runner/recovery/storeLock.js";
import { REPO, type CliResult, describeRun, eddy, filesIn, fixtureCopy, lines, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

/** paced-sum spends 0.04 ms per item: 100,000 items keep a run busy for 4 s at the very least. */
const ITEMS = 100_000;
const KEYS = 8;
const DATA = Array.from({ length: ITEMS }, (_, seq) => `${seq},k${seq % KEYS},${(seq % 13) + 1}\n`).join("");

/** The output lines a complete run writes, computed without Eddy, sorted. */
function expectedSums(count: number): string[] {
  const sums = new Map<string, { sum: number; count: number }>();
  const out: string[] = [];
  for (let seq = 0; seq < count; seq++) {
    const key = `k${seq % KEYS}`;
    const state = sums.get(key) ?? { sum: 0, count: 0 };
    const next = { sum: state.sum + (seq % 13) + 1, count: state.count + 1 };
    sums.set(key, next);
    out.push(JSON.stringify([key, { seq, ...next }]));
  }
  return out.sort();
}

/** paced-sum-generated's complete output (16,000 items over 16 keys), computed without Eddy, sorted. */
function expectedGeneratedSums(): string[] {
  const sums = new Map<string, { sum: number; count: number }>();
  const out: string[] = [];
  for (let seq = 0; seq < 16_000; seq++) {
    const key = `k${seq % 16}`;
    const state = sums.get(key) ?? { sum: 0, count: 0 };
    const next = { sum: state.sum + ((seq * 7919) % 97) + 1, count: state.count + 1 };
    sums.set(key, next);
    out.push(JSON.stringify([key, { seq, ...next }]));
  }
  return out.sort();
}

function outputLines(outDir: string): string[] {
  return [...filesIn(outDir, /\.jsonl$/).values()].flatMap((text) => lines(text)).sort();
}

describe("eddy run: one run per recovery directory", () => {
  it("two runs started at the same instant: exactly one is refused (exit 4, naming the directory and the owner's pid), the other's output is intact", { timeout: 150_000 }, async () => {
    // Both runs read an input that never ends, so the winner still holds the store whenever the
    // loser reaches the lock, however slow the machine. Once one is refused, the other is stopped
    // (SIGINT, at an epoch boundary) and a run of the ending flow completes the work.
    const endless = fixtureCopy("paced-sum-generated");
    const dir = dirname(endless);
    const text = readFileSync(endless, "utf8");
    writeFileSync(endless, text.replace("__ENDS__", "false"));
    const ending = join(dir, "ending.json");
    writeFileSync(ending, text.replace("__ENDS__", "true"));
    const state = join(dir, "state");
    const options = ["-w", "2", "--epoch-length", "50", "--recovery-dir", state];
    const children: ChildProcess[] = [];
    const stopTheOther = (index: number) => (result: CliResult) => {
      const other = children[1 - index];
      if (result.code === 4 && other?.exitCode === null && other.pid !== undefined) process.kill(other.pid, "SIGINT");
      return result;
    };
    const start = (index: number) =>
      eddy(["run", endless, ...options], { timeoutMs: 120_000, onStart: (child) => void (children[index] = child) }).then(stopTheOther(index));
    const [first, second] = await Promise.all([start(0), start(1)]);
    const both = `${describeRun(first)}\n${describeRun(second)}`;
    const refused = [first, second].filter((result) => result.code === 4);
    const stopped = [first, second].filter((result) => result.code === 130);
    expect(refused.length, `one refused, one stopped by SIGINT:\n${both}`).toBe(1);
    expect(stopped.length, `one refused, one stopped by SIGINT:\n${both}`).toBe(1);
    const ownerPid = children[[first, second].indexOf(stopped[0]!)]!.pid!;
    const message = refused[0]!.stderr;
    expect(message).toContain("RECOVERY_LOCKED");
    expect(message).toContain(state);
    expect(message).toContain(`pid ${ownerPid}`);
    // The refused run wrote nothing: with the completing run, every line is there exactly once.
    const completed = await eddy(["run", ending, ...options], { timeoutMs: 120_000 });
    expect(completed.code, describeRun(completed)).toBe(0);
    expect(outputLines(join(dir, "out"))).toEqual(expectedGeneratedSums());
  });

  it("a run killed with SIGKILL leaves its lock behind, and the next run goes ahead and finishes the work", { timeout: 120_000 }, async () => {
    const flow = fixtureCopy("paced-sum", { "data/numbers.csv": DATA });
    const dir = dirname(flow);
    const state = join(dir, "state");
    const args = ["run", flow, "-w", "2", "--epoch-length", "50", "--recovery-dir", state];
    // "running ..." is printed once the store is locked and prepared; kill right then.
    let stderr = () => "";
    const killed = await eddy(args, {
      timeoutMs: 60_000,
      killAfterMs: 0,
      onStart: (_child, output) => (stderr = output.stderr),
      killWhen: () => stderr().includes("running "),
    });
    expect(killed.killed, describeRun(killed)).toBe(true);
    expect(readdirSync(state).filter((name) => /lock/i.test(name) && !/^worker-\d+\.mdb-lock$/.test(name)).length, "the killed run left its lock file").toBeGreaterThan(0);
    const next = await eddy(args, { timeoutMs: 100_000 });
    expect(next.code, describeRun(next)).toBe(0);
    expect(outputLines(join(dir, "out"))).toEqual(expectedSums(ITEMS));
  });
});

/** A child process that takes the lock of `dir` once `go` exists, prints what happened, and holds it until its stdin closes. */
function contender(dir: string, go: string): { child: ChildProcess; ready: Promise<void>; outcome: Promise<string> } {
  const script = [
    `import { existsSync } from "node:fs";`,
    `import { lockStoreDir } from ${JSON.stringify(join(REPO, "node-runner/recovery/storeLock.ts"))};`,
    `process.stdout.write("ready\\n");`,
    `while (!existsSync(${JSON.stringify(go)})) {}`,
    `let line;`,
    `try { lockStoreDir(${JSON.stringify(dir)}); line = "locked"; } catch (error) { line = "refused " + error.code + " " + error.message; }`,
    `process.stdout.write(line + "\\n");`,
    `process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`,
  ].join("\n");
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const outcome = new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`contender ${child.pid} said nothing within 60 s; stderr: ${err}`));
    }, 60_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (out.startsWith("ready\n")) onReady();
      if (out.startsWith("ready\n") && out.slice(6).includes("\n")) {
        clearTimeout(timer);
        resolve(out.slice(6).trim());
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  });
  return { child, ready, outcome };
}

/** Starts `count` contenders, waits until all are ready (busy-waiting on `go`), lets them go at once; returns each one's outcome. */
async function race(dir: string, count: number): Promise<string[]> {
  const go = join(temporaryDirectory("eddy-lock-go-"), "go");
  const contenders = Array.from({ length: count }, () => contender(dir, go));
  try {
    await Promise.race([Promise.all(contenders.map((c) => c.ready)), ...contenders.map((c) => c.outcome)]);
    writeFileSync(go, "");
    return await Promise.all(contenders.map((c) => c.outcome));
  } finally {
    for (const { child } of contenders) {
      child.stdin!.end();
      if (child.exitCode === null && child.signalCode === null) setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 10_000).unref();
    }
  }
}

describe("lockStoreDir", () => {
  it("refuses a second lock while the first is held, naming the directory and the pid, and grants it once released", () => {
    const dir = join(temporaryDirectory("eddy-lock-"), "state");
    const held = lockStoreDir(dir);
    let refusal: unknown;
    try {
      lockStoreDir(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(EddyError);
    expect((refusal as EddyError).code).toBe("RECOVERY_LOCKED");
    expect((refusal as EddyError).message).toContain(dir);
    expect((refusal as EddyError).message).toContain(`pid ${process.pid}`);
    held.release();
    lockStoreDir(dir).release();
  });

  it("treats a lock whose pid now belongs to another process (another start time) as stale", () => {
    const dir = join(temporaryDirectory("eddy-lock-"), "state");
    mkdirSync(dir, { recursive: true });
    // This very process, but "started" at another time: the pid was reused.
    writeFileSync(join(dir, "eddy.lock.0"), JSON.stringify({ pid: process.pid, host: hostname(), start: "1", token: "t", since: "2026-01-01T00:00:00Z" }));
    lockStoreDir(dir).release();
  });

  it.concurrent("of 6 processes taking a free directory at the same instant, exactly one gets it", { timeout: 90_000 }, async () => {
    const dir = join(temporaryDirectory("eddy-lock-race-"), "state");
    const outcomes = await race(dir, 6);
    expect(outcomes.filter((line) => line === "locked"), outcomes.join("\n")).toHaveLength(1);
    expect(outcomes.filter((line) => line.startsWith("refused RECOVERY_LOCKED")), outcomes.join("\n")).toHaveLength(5);
  });

  it.concurrent("of 6 processes breaking the same stale lock at the same instant, exactly one gets it", { timeout: 90_000 }, async () => {
    const dir = join(temporaryDirectory("eddy-lock-stale-"), "state");
    // A lock left by a process killed with SIGKILL.
    const dead = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const killedPid = dead.pid!;
    await new Promise<void>((resolve) => {
      dead.on("spawn", () => {
        process.kill(killedPid, "SIGKILL");
      });
      dead.on("exit", () => resolve());
    });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "eddy.lock.0"), JSON.stringify({ pid: killedPid, host: hostname(), start: null, token: "t", since: "2026-01-01T00:00:00Z" }));
    const outcomes = await race(dir, 6);
    expect(outcomes.filter((line) => line === "locked"), outcomes.join("\n")).toHaveLength(1);
    expect(existsSync(dir)).toBe(true);
  });
});
