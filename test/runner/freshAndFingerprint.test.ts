/**
 * With the real CLI: a changed window is refused, not resumed (issue 10, point 5), and
 * `eddy run --fresh` starts over under the lock, deleting only the store's own partition files.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, lines, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

/** Per-key sums in tumbling windows of `lengthMs` over 40 items, 10 s of testing-clock time apart. */
function windowsFlow(lengthMs: number): string {
  return JSON.stringify({
    format: "eddy.flow",
    version: 1,
    name: "windows",
    steps: [
      { id: "inp", op: "input", input: { type: "list", items: Array.from({ length: 40 }, (_, i) => [`k${i % 2}`, i]) } },
      {
        id: "windows",
        op: "fold_window",
        after: ["inp"],
        clock: { type: "testing", itemIncr: 10_000, startAt: "2026-01-01T00:00:00Z" },
        window: { type: "tumbling", length: lengthMs, startAt: "2026-01-01T00:00:00Z" },
        builder: "() => 0",
        fn: "(acc, x) => acc + x",
      },
      { id: "out", op: "capture", after: ["windows"], output: { type: "file", path: "out/windows.jsonl" } },
    ],
    execution: { epoch: { type: "testing" } },
  });
}

/** A directory with the flow at `lengthMs`; returns the flow's path and its store's. */
function project(lengthMs: number, dir = temporaryDirectory("eddy-fingerprint-")): { flow: string; state: string; out: string; dir: string } {
  const flow = join(dir, "windows.json");
  writeFileSync(flow, windowsFlow(lengthMs));
  return { flow, dir, state: join(dir, "state"), out: join(dir, "out/windows.jsonl") };
}

const output = (path: string) => (existsSync(path) ? lines(readFileSync(path, "utf8")).sort() : []);

describe("eddy run: a changed stateful step is refused; --fresh starts over", () => {
  it("tumbling 100 s, run; changed to 30 s, run again: exit 4 naming the step, 100000 and 30000; --fresh then gives a fresh run's output", { timeout: 120_000 }, async () => {
    const { flow, dir, state, out } = project(100_000);
    const first = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 60_000 });
    expect(first.code, describeRun(first)).toBe(0);
    const firstOutput = output(out);
    expect(firstOutput.length).toBeGreaterThan(0);

    project(30_000, dir);
    writeFileSync(join(state, "notes.txt"), "not Eddy's");
    const changed = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 60_000 });
    expect(changed.code, describeRun(changed)).toBe(4);
    expect(changed.stderr).toContain("RECOVERY_STEP_CHANGED");
    expect(changed.stderr).toContain('"windows"');
    expect(changed.stderr).toContain("100000");
    expect(changed.stderr).toContain("30000");
    expect(changed.stderr.trimEnd().endsWith("(run with --fresh to start over)"), changed.stderr).toBe(true);
    expect(output(out), "the refused run left the output alone").toEqual(firstOutput);

    const fresh = await eddy(["run", flow, "--recovery-dir", state, "--fresh"], { timeoutMs: 60_000 });
    expect(fresh.code, describeRun(fresh)).toBe(0);
    const reference = project(30_000);
    const plain = await eddy(["run", reference.flow, "--recovery-dir", reference.state], { timeoutMs: 60_000 });
    expect(plain.code, describeRun(plain)).toBe(0);
    expect(output(out)).toEqual(output(reference.out));
    expect(output(out)).not.toEqual(firstOutput);
    // Only the store's partition files went: a file Eddy did not write is still there.
    expect(readFileSync(join(state, "notes.txt"), "utf8")).toBe("not Eddy's");

    // The store now carries the 30 s fingerprint: the same flow resumes (nothing left to do).
    const again = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 60_000 });
    expect(again.code, describeRun(again)).toBe(0);
    expect(output(out)).toEqual(output(reference.out));
  });

  it("--fresh on a store another run holds is refused (the lock comes first)", { timeout: 60_000 }, async () => {
    const { flow, state } = project(100_000);
    const first = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 40_000 });
    expect(first.code, describeRun(first)).toBe(0);
    // A live owner: this test process, as the lock file format records it.
    const { lockStoreDir } = await import("../../node-runner/recovery/storeLock.js");
    const held = lockStoreDir(state);
    try {
      const fresh = await eddy(["run", flow, "--recovery-dir", state, "--fresh"], { timeoutMs: 40_000 });
      expect(fresh.code, describeRun(fresh)).toBe(4);
      expect(fresh.stderr).toContain(`pid ${process.pid}`);
      expect(existsSync(join(state, "worker-0.mdb")), "the partition survived").toBe(true);
    } finally {
      held.release();
    }
  });
});
