/**
 * Issue 10, point 6: a recovery store that cannot grow. Without root no disk can be filled, so the
 * run gets a file size limit (RLIMIT_FSIZE, with `prlimit`): LMDB's write of the store file fails
 * there as it does on a full disk (Node ignores SIGXFSZ, so the write returns an error). The flow
 * (growing-state fixture) keeps every line per key, so the store outgrows the limit while the
 * output stays far below it. The run must exit 4 naming the store and the epoch not saved; a later
 * run without the limit resumes from the last saved epoch and ends with the right output.
 */

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, REPO, describeRun, eddy, fixtureCopy, lines, removeTemporaryDirectories, type CliResult } from "./cli.js";

afterAll(removeTemporaryDirectories);

const ITEMS = 1000;
const KEYS = 10;
const DATA = Array.from({ length: ITEMS }, (_, i) => `${i},k${i % KEYS},${String(i).padStart(4, "0").repeat(100)}\n`).join("");
/** Bytes: the store passes it after a few hundred items, the output (100 short lines) never does. */
const FILE_SIZE_LIMIT = 300_000;

/** `eddy ARGS` under a file size limit, killed by its PID after `timeoutMs`. */
function eddyWithFileSizeLimit(args: readonly string[], limit: number, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolveRun, rejectRun) => {
    const started = performance.now();
    const child = spawn("prlimit", [`--fsize=${limit}`, process.execPath, "--import", "tsx", CLI, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", rejectRun);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, timedOut, killed: false, ms: performance.now() - started });
    });
  });
}

// prlimit is util-linux's, on every Debian machine: a missing one fails the test, never skips it.
describe("a recovery store that cannot grow", () => {
  it("exits 4 naming the store and the epoch not saved; a later run resumes and ends right", { timeout: 120_000 }, async () => {
    const flow = fixtureCopy("growing-state", { "data/lines.csv": DATA });
    const state = join(dirname(flow), "state");
    const args = ["run", flow, "--recovery-dir", state];

    const full = await eddyWithFileSizeLimit(args, FILE_SIZE_LIMIT, 60_000);
    expect(full.code, describeRun(full)).toBe(4);
    expect(full.stderr).toMatch(/Epoch \d+ was not saved to recovery store file .*worker-0\.mdb: recovery file .*worker-0\.mdb cannot grow/);
    expect(full.stderr).toContain("run again (after freeing space) to resume");
    expect(full.stderr).not.toMatch(/\n\s+at /);
    const notSaved = Number(/Epoch (\d+) was not saved/.exec(full.stderr)![1]);

    const resumed = await eddy(args, { timeoutMs: 60_000 });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    const resumedAt = Number(/resuming at epoch (\d+)/.exec(resumed.stderr)?.[1]);
    expect(resumedAt, resumed.stderr).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(notSaved);

    // Every 10th line of a key, with its count: as an uninterrupted run writes them.
    const expected = Array.from({ length: ITEMS }, (_, seq) => ({ key: `k${seq % KEYS}`, seq, count: Math.floor(seq / KEYS) + 1 }))
      .filter(({ count }) => count % 10 === 0)
      .map(({ key, seq, count }) => JSON.stringify([key, { seq, count }]))
      .sort();
    expect(lines(readFileSync(join(dirname(flow), "out/counts.jsonl"), "utf8")).sort()).toEqual(expected);
  });
});
