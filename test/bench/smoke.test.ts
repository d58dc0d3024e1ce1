/**
 * Smoke test of the benchmark (`npm run bench -- --quick`, run as `node dist/bench/run.js --quick
 * --out DIR` on the build): every workload and every contender (hand loop, runMain, runMain on the
 * runner's flow file, `eddy run`, RxJS, Bytewax) and the runner's start-up cases completes and gives the correct checksum, compared with bench/peers/checksums.json
 * for 20,000 items and with each other. It never looks at timings. Results go to a temporary
 * directory, never to bench/results.md. Installs Bytewax into bench/.venv when missing (a pip
 * download). Needs `npm run build` first (npm test does). The Kafka workloads have their own smoke
 * test, on the Kafka project's broker (test/kafka/benchSmoke.test.ts).
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const out = mkdtempSync(join(tmpdir(), "eddy-bench-smoke-"));
const reference = (JSON.parse(readFileSync(join(root, "bench/peers/checksums.json"), "utf8")) as { checksums: Record<string, Record<string, number>> }).checksums["20000"]!;

interface Result {
  key: string;
  items: number;
  checksum?: number;
  ok: boolean;
  problem?: string;
  runs: ({ checksum: number } | { error: string })[];
}

function mtime(path: string): number | undefined {
  return existsSync(path) ? statSync(path).mtimeMs : undefined;
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run bench -- --quick", () => {
  it("runs every workload and contender to the correct checksum", () => {
    const run = join(root, "dist/bench/run.js");
    if (!existsSync(run)) throw new Error("dist/bench/run.js is missing: run `npm run build` first (npm test does)");
    const before = [mtime(join(root, "bench/results.md")), mtime(join(root, "bench/results.json"))];
    // An empty file as NODE_EXTRA_CA_CERTS: the start-up cases then also run without it (bench/plan.ts), whatever this machine sets.
    const extraCa = join(out, "extra-ca.pem");
    writeFileSync(extraCa, "");
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: extraCa };
    const bench = spawnSync(process.execPath, [run, "--quick", "--only", "W1,W2,W3,W4,W5,J,R,S", "--out", out], { cwd: root, encoding: "utf8", timeout: 15 * 60_000, env });
    const report = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { results: Result[] };
    const byKey = new Map(report.results.map((result) => [result.key, result]));

    const expected: [string, number][] = [];
    for (const workload of ["W1", "W2", "W3", "W4", "W5"]) {
      for (const contender of ["hand", "batch", "eddy", "flow", "runner", "rxjs", "bytewax"]) expected.push([`${workload}/${contender}`, reference[workload]!]);
    }
    for (const contender of ["hand", "batch", "eddy", "flow", "runner", "bytewax"]) expected.push([`J/${contender}`, reference.J!]);
    expected.push(["R/plain", reference.W2!], ["R/recovery", reference.W2!], ["S/w1", reference.W3!], ["S/w2", reference.W3!], ["S/w4", reference.W3!], ["S/pair", reference.W3!], ["S/W2-w1", reference.W2!], ["S/W2-w2", reference.W2!], ["S/W2-w4", reference.W2!], ["S/n1", reference.W3!], ["S/n2", reference.W3!], ["startup/runner", 0], ["startup/node", 0], ["startup/node-without-extra-ca", 0], ["startup/first-item", 0], ["startup/first-item-without-extra-ca", 0], ["startup/first-item-recovery", 0]);
    const wrong = expected.flatMap(([key, checksum]) => {
      const result = byKey.get(key);
      if (!result) return [`${key}: not run`];
      const runs = result.runs.map((sample) => ("error" in sample ? `error: ${sample.error}` : sample.checksum));
      return runs.length > 0 && runs.every((value) => value === checksum) && result.ok ? [] : [`${key}: ${JSON.stringify(runs)}, expected ${checksum} (${result.problem ?? ""})`];
    });
    expect(wrong, bench.stdout + bench.stderr).toEqual([]);
    expect(report.results.length).toBe(expected.length);
    expect(bench.status, bench.stderr).toBe(0);
    const markdown = readFileSync(join(out, "results.md"), "utf8");
    expect(markdown).toContain("## What stands in the way");
    expect(markdown).toMatch(/A bare `node -e` took \d+ ms to print its line the same way\./);
    expect(markdown).toMatch(/This environment sets NODE_EXTRA_CA_CERTS, .* Without it, the same runs took \d+ ms \(`eddy run`, spawn to the first item\) and \d+ ms/);
    expect(markdown).toMatch(/\| `eddy run` -w 1 from spawn to the first item \(NODE_EXTRA_CA_CERTS unset\) \| ≤ 200 ms \|/);
    expect(markdown).toMatch(/The machine's ceiling for two workers on W3: .* ran at \d+\.\d\d× the rate of one `-w 1` run/);
    // The committed results stay as they were.
    expect([mtime(join(root, "bench/results.md")), mtime(join(root, "bench/results.json"))]).toEqual(before);
  }, 20 * 60_000);
});
