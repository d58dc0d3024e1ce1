/**
 * The examples run as they are, as a user would run them (`npx tsx examples/NAME.ts -w N`), and
 * give the same output with 1 and 4 workers. The word count is checked against an independent
 * count of the same file; the others against what their data implies.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function runExample(name: string, workers: number): string[] {
  const stdout = execFileSync(join(root, "node_modules/.bin/tsx"), [`examples/${name}.ts`, "-w", String(workers)], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  return stdout.split("\n").filter(Boolean).sort();
}

describe("examples", () => {
  it("wordcount counts every word of its file, on 1 and 4 workers", () => {
    const text = readFileSync(join(root, "examples/data/wordcount.txt"), "utf8").toLowerCase();
    const counts = new Map<string, number>();
    for (const word of text.split(/[^a-z']+/).filter(Boolean)) counts.set(word, (counts.get(word) ?? 0) + 1);
    const expected = [...counts].map(([word, count]) => `${word}: ${count}`).sort();
    expect(expected.length).toBeGreaterThan(50);
    expect(runExample("wordcount", 1)).toEqual(expected);
    expect(runExample("wordcount", 4)).toEqual(expected);
  });

  it("sessionizer ends a session at each logout, on 1 and 4 workers", () => {
    const expected = [
      '{"user":"ada","events":3,"searches":1,"clicks":0,"ctr":0}',
      '{"user":"ada","events":6,"searches":1,"clicks":2,"ctr":2}',
      '{"user":"grace","events":7,"searches":2,"clicks":1,"ctr":0.5}',
    ];
    expect(runExample("sessionizer", 1)).toEqual(expected);
    expect(runExample("sessionizer", 4)).toEqual(expected);
  });

  it("windowed-count counts views per page per 10 s window and drops the late view, on 1 and 4 workers", () => {
    const expected = ["12:00:00 / 3", "12:00:00 /pricing 1", "12:00:10 /docs 2", "12:00:20 /docs 1", "12:00:20 /pricing 1", "12:00:30 / 1"];
    expect(runExample("windowed-count", 1)).toEqual(expected);
    expect(runExample("windowed-count", 4)).toEqual(expected);
  });
});

describe("the recovery example", () => {
  it("crashes on the asked transaction, then resumes at that epoch with the balances it had", () => {
    const dir = mkdtempSync(join(tmpdir(), "eddy-example-"));
    const state = join(dir, "state");
    const run = (...args: string[]) =>
      spawnSync(join(root, "node_modules/.bin/tsx"), ["examples/recoverable-count.ts", "--state", state, ...args], { cwd: root, encoding: "utf8", timeout: 30_000 });
    try {
      const crashed = run("--crash-at", "6");
      expect(crashed.status).toBe(1);
      expect(crashed.stderr).toContain("failed: crashing on transaction 6, as asked; run again without --crash-at to resume");
      const resumed = run();
      expect(resumed.status).toBe(0);
      const lines = [...crashed.stdout.split("\n"), ...resumed.stdout.split("\n")].filter(Boolean);
      // Together the two runs print what one uninterrupted run prints.
      const balances = new Map<string, number>();
      const expected = [["alice", 100], ["bob", 20], ["alice", -30], ["carol", 75], ["bob", 5], ["alice", 12], ["carol", -25], ["bob", 40], ["alice", 8], ["carol", 10]].map(
        ([account, amount], epoch) => {
          balances.set(account as string, (balances.get(account as string) ?? 0) + (amount as number));
          return `epoch ${epoch}: ${account} ${balances.get(account as string)}`;
        },
      );
      expect(lines).toEqual(expected);
      expect(resumed.stdout.split("\n")[0]).toBe("epoch 6: carol 50");
      expect(run().stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
