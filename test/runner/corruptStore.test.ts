/**
 * Issue 10, point 4: random bytes inside the LMDB file of a recovery store. The real CLI runs the
 * paced-sum fixture (a running sum per key from a CSV file to a JSONL file) with recovery to its
 * end; the store is also compacted (LMDB's copy: no free pages, so most bytes hit live data); more lines are then appended to its input, bytes are overwritten at seeded positions beyond
 * the two meta pages, and the run is repeated. Every outcome must be either a refusal (exit 4,
 * RECOVERY_CORRUPT naming the file) that changed nothing, the output and the store byte for byte,
 * or (bytes in space LMDB does not use) a resumed run whose output is an uninterrupted run's.
 * Never exit 1, never a signal, never a wrong output.
 *
 * The seed is printed; EDDY_CORRUPT_SEED=<seed> repeats a run, EDDY_CORRUPT_POSITIONS=<n> tries more.
 */

import { prng } from "../helpers/seeds.js";
import { appendFileSync, closeSync, cpSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { open } from "lmdb";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, fixtureCopy, lines, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

const KEYS = 40;
const csv = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${from + i},k${(from + i) % KEYS},${(from + i) % 7}\n`).join("");
const FIRST = csv(0, 1500);
const MORE = csv(1500, 2000);
/** EDDY_CORRUPT_POSITIONS=<n> tries more positions (a longer soak). */
const POSITIONS = Number(process.env["EDDY_CORRUPT_POSITIONS"] ?? 8);
const PAGE = 4096;

const runArgs = (flow: string) => ["run", flow, "-w", "1", "--epoch-length", "20", "--recovery-dir", join(dirname(flow), "state")];
const output = (flow: string) => join(dirname(flow), "out/sums.jsonl");

describe("random bytes inside a recovery store's LMDB file", () => {
  it("are refused with exit 4 before anything changes, or (in unused space) resume correctly", { timeout: 60_000 + POSITIONS * 15_000 }, async () => {
    const seed = Number(process.env["EDDY_CORRUPT_SEED"] ?? Date.now() % 1_000_000);
    console.log(`corruptStore seed: ${seed} (EDDY_CORRUPT_SEED=${seed} repeats it)`);
    const random = prng(seed);

    // What an uninterrupted run writes: per line, the key's running sum and count.
    const sums = new Map<string, { sum: number; count: number }>();
    const expected = lines(FIRST + MORE)
      .map((line) => {
        const [seq, key, value] = line.split(",");
        const before = sums.get(key!) ?? { sum: 0, count: 0 };
        const after = { sum: before.sum + Number(value), count: before.count + 1 };
        sums.set(key!, after);
        return JSON.stringify([key, { seq: Number(seq), ...after }]);
      })
      .sort();

    // The store: a run with recovery over the first lines, to its end.
    const base = fixtureCopy("paced-sum", { "data/numbers.csv": FIRST });
    const first = await eddy(runArgs(base), { timeoutMs: 60_000 });
    expect(first.code, describeRun(first)).toBe(0);
    appendFileSync(join(dirname(base), "data/numbers.csv"), MORE);
    // The same store compacted by LMDB's own copy: every page in use, so most bytes hit live data.
    const compact = temporaryDirectory("eddy-corrupt-compact-");
    cpSync(dirname(base), compact, { recursive: true });
    rmSync(join(compact, "state"), { recursive: true });
    const env = open({ path: join(dirname(base), "state/worker-0.mdb"), readOnly: true });
    await env.backup(join(compact, "state/worker-0.mdb"), true);
    await env.close();

    const outcomes: string[] = [];
    for (let n = 0; n < POSITIONS; n++) {
      const dir = temporaryDirectory("eddy-corrupt-");
      const source = n % 2 === 0 ? compact : dirname(base);
      cpSync(source, dir, { recursive: true });
      const flow = join(dir, "paced-sum.json");
      const file = join(dir, "state/worker-0.mdb");
      const size = statSync(file).size;
      // A page after the two meta pages; in it, where LMDB keeps live bytes: the header and the
      // node pointers at its start, the nodes (keys and values) at its end.
      const page = 2 + Math.floor(random() * (size / PAGE - 2));
      const inPage = random() < 0.5 ? Math.floor(random() * 64) : PAGE - 16 - Math.floor(random() * 1024);
      const position = page * PAGE + inPage;
      const length = 1 + Math.floor(random() * 16);
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      const fd = openSync(file, "r+");
      writeSync(fd, bytes, 0, length, position);
      closeSync(fd);
      const storeBefore = readFileSync(file);
      const outputBefore = readFileSync(output(flow));

      const rerun = await eddy(runArgs(flow), { timeoutMs: 60_000 });
      const what = `seed ${seed}, ${length} bytes at ${position} of ${size} (${source === compact ? "compacted" : "as written"}): ${describeRun(rerun)}`;
      expect(rerun.signal, what).toBeNull();
      expect([0, 4], what).toContain(rerun.code);
      if (rerun.code === 4) {
        expect(rerun.stderr, what).toContain("RECOVERY_CORRUPT");
        expect(rerun.stderr, what).toContain(file);
        expect(readFileSync(output(flow)).equals(outputBefore), `${what}: the output changed`).toBe(true);
        expect(readFileSync(file).equals(storeBefore), `${what}: the store changed`).toBe(true);
        outcomes.push(`${position}/${size}: refused`);
      } else {
        expect(lines(readFileSync(output(flow), "utf8")).sort(), `${what}: wrong output`).toEqual(expected);
        outcomes.push(`${position}/${size}: resumed`);
      }
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`corruptStore seed ${seed}: ${outcomes.join(", ")}`);
  });
});
