/**
 * Joins under SIGKILL: `eddy run` on test/runner/fixtures/paced-join.json (four joins of the same
 * two sides: running/last, complete/first, final/product, and a join_window final/product whose
 * testing clock puts a key's first two values in one window and its last two in the next, each to
 * its own `file` output) is
 * SIGKILLed at seeded moments while thousands of joins are open, and run again on the same
 * --recovery-dir until a run finishes. The output files then hold exactly what an uninterrupted
 * run writes (the file output is exactly once), which is checked against rows computed here
 * from the data alone.
 *
 * The data: line s has key `k(s mod K)` and side `floor(s / K) mod 2`, so every key gets a value on
 * side 0, then side 1, then side 0, then side 1, K lines apart. K is much more than what workers
 * read in one epoch, so a key's events reach its join in file order on any worker count, and the
 * rows do not depend on where epochs or batches were cut (which differs after a resume).
 */

import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, fixtureCopy, removeTemporaryDirectories } from "./cli.js";
import { eddyUntilFinished, outputBytes, outputs } from "./killedRuns.js";
import { BASE_SEED, prng } from "../helpers/seeds.js";

afterAll(removeTemporaryDirectories);

const K = 3000;
const ROUNDS = 4;
const ITEMS = K * ROUNDS;
const DATA = Array.from({ length: ITEMS }, (_, seq) => `${seq},${Math.floor(seq / K) % 2},k${seq % K},${seq}\n`).join("");
const KILLS = 2;
const MAX_ATTEMPTS = 10;

/** The rows of each join, from the data's shape: per key, L0 = k, R1 = K + k, L2 = 2K + k, R3 = 3K + k. */
function expectedRows(): Map<string, string[]> {
  const running: string[] = [];
  const complete: string[] = [];
  const final: string[] = [];
  const windowed: string[] = [];
  for (let k = 0; k < K; k++) {
    const key = `k${k}`;
    const [l0, r1, l2, r3] = [k, K + k, 2 * K + k, 3 * K + k];
    const row = (left: number | null, right: number | null) => JSON.stringify([key, [left, right]]);
    running.push(row(l0, null), row(l0, r1), row(l2, r1), row(l2, r3));
    complete.push(row(l0, r1), row(l2, r3));
    final.push(row(l0, r1), row(l0, r3), row(l2, r1), row(l2, r3));
    windowed.push(row(l0, r1), row(l2, r3));
  }
  return new Map([
    ["complete", complete.sort()],
    ["final", final.sort()],
    ["running", running.sort()],
    ["windowed", windowed.sort()],
  ]);
}

function setup(workers: number): { args: string[]; outDir: string } {
  const flow = fixtureCopy("paced-join", { "data/events.csv": DATA });
  const dir = dirname(flow);
  return { outDir: join(dir, "out"), args: ["run", flow, "-w", String(workers), "--epoch-length", "20", "--recovery-dir", join(dir, "state")] };
}

/** Every line of each join's files (one per worker), sorted, by join. */
function byJoin(files: Map<string, string[]>): Map<string, string[]> {
  const joined = new Map<string, string[]>();
  for (const [name, rows] of files) {
    const step = name.split(".")[0]!;
    joined.set(step, [...(joined.get(step) ?? []), ...rows].sort());
  }
  return new Map([...joined].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe("SIGKILL while joins are open, then `eddy run` again with the same --recovery-dir", () => {
  console.log(`join kill test seed: ${BASE_SEED} (replay with CRASH_SEED=${BASE_SEED})`);

  for (const workers of [1, 2]) {
    it(`-w ${workers}: each join's file holds exactly the rows of an uninterrupted run`, { timeout: 120_000 }, async () => {
      const random = prng((BASE_SEED + workers * 0x85ebca6b) >>> 0);
      const reference = setup(workers);
      const uninterrupted = await eddy(reference.args, { timeoutMs: 60_000 });
      const totalBytes = outputBytes(reference.outDir);
      expect(uninterrupted.code, describeRun(uninterrupted)).toBe(0);
      const referenceFiles = outputs(reference.outDir);
      expect(byJoin(referenceFiles)).toEqual(expectedRows());

      const log: string[] = [];
      const where = () => `seed ${BASE_SEED}, -w ${workers}; attempts: ${log.join("; ")}`;
      const { args, outDir } = setup(workers);
      const kills = await eddyUntilFinished({ args, kills: KILLS, maxAttempts: MAX_ATTEMPTS, timeoutMs: 60_000, log, where }, () => {
        // Once this attempt wrote a seeded share (10% to 50%) of what is left to write: by progress,
        // not by time, so the kill lands mid-flow (joins open) whatever the machine's speed.
        const sizeBefore = outputBytes(outDir);
        const share = 0.1 + 0.4 * random();
        const killAt = sizeBefore + share * (totalBytes - sizeBefore);
        return {
          options: { killAfterMs: 0, killWhen: () => outputBytes(outDir) > killAt },
          describe: (result) => `kill after ${(share * 100).toFixed(0)}% of the rest: ${result.killed ? `killed at ${outputBytes(outDir)} of ${totalBytes} bytes` : `exit ${result.code}`}`,
        };
      });
      expect(kills, where()).toBeGreaterThan(0);
      const got = outputs(outDir);
      expect([...got.keys()], where()).toEqual([...referenceFiles.keys()]);
      for (const [name, rows] of referenceFiles) expect(got.get(name), `${where()}: ${name}`).toEqual(rows);
      console.log(`join kill test, -w ${workers}: ${log.join("; ")}`);
    });
  }
});
