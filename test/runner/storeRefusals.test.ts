/**
 * Smaller store refusals with the real CLI (issue 10, point 11): a recovery directory that cannot
 * hold a store is refused at once; a 0-byte partition is refused unless its creation marker says
 * a run was killed while creating it; a missing partition names the partitions that are there.
 */

import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

/** A running count per key over a list input, epochs of one item, written to out/counts.jsonl. */
function countFlow(dir: string): string {
  const flow = join(dir, "count.json");
  writeFileSync(
    flow,
    JSON.stringify({
      format: "eddy.flow",
      version: 1,
      name: "count",
      steps: [
        { id: "inp", op: "input", input: { type: "list", items: Array.from({ length: 20 }, (_, i) => `k${i % 3}`) } },
        { id: "keyed", op: "map", after: ["inp"], fn: "k => [k, 1]" },
        { id: "count", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(n, x) => [n + x, n + x]" },
        { id: "out", op: "capture", after: ["count"], output: { type: "file", path: "out/counts.jsonl" } },
      ],
      execution: { epoch: { type: "testing" } },
    }),
  );
  return flow;
}

describe("eddy run: stores that cannot be used are refused clearly", () => {
  for (const dir of ["/proc/eddy-recovery-test", "/proc"]) {
    it(`a recovery directory ${dir}: exit 4 (RECOVERY_DIR_UNUSABLE) at once, not a hang`, { timeout: 60_000 }, async () => {
      const flow = countFlow(temporaryDirectory("eddy-proc-"));
      const result = await eddy(["run", flow, "--recovery-dir", dir], { timeoutMs: 45_000 });
      expect(result.timedOut, describeRun(result)).toBe(false);
      expect(result.code, describeRun(result)).toBe(4);
      expect(result.stderr).toContain("RECOVERY_DIR_UNUSABLE");
      expect(result.stderr).toContain(dir);
    });
  }

  it("-w 1, a 0-byte worker-0.mdb and nothing else: refused, not a silent start over", { timeout: 60_000 }, async () => {
    const dir = temporaryDirectory("eddy-empty-");
    const flow = countFlow(dir);
    const state = join(dir, "state");
    const first = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 40_000 });
    expect(first.code, describeRun(first)).toBe(0);
    expect(existsSync(join(state, "worker-0.creating")), "the creation marker is gone once the partition has its meta").toBe(false);
    truncateSync(join(state, "worker-0.mdb"), 0);
    rmSync(join(state, "worker-0.mdb-lock"), { force: true });
    const second = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 40_000 });
    expect(second.code, describeRun(second)).toBe(4);
    expect(second.stderr).toContain("RECOVERY_CORRUPT");
    expect(second.stderr).toContain(join(state, "worker-0.mdb"));
    expect(second.stderr.trimEnd().endsWith("(run with --fresh to start over)")).toBe(true);
  });

  it("-w 1, a 0-byte worker-0.mdb left by a run killed while creating it (its marker is there): starts over", { timeout: 60_000 }, async () => {
    const dir = temporaryDirectory("eddy-creating-");
    const flow = countFlow(dir);
    const state = join(dir, "state");
    // What a run killed between creating the file and its first commit leaves behind.
    mkdirSync(state);
    writeFileSync(join(state, "worker-0.creating"), "");
    writeFileSync(join(state, "worker-0.mdb"), "");
    const result = await eddy(["run", flow, "--recovery-dir", state], { timeoutMs: 40_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stderr).toContain("from the start");
  });

  it("-w 2 with worker 1's partition deleted: names the partition that is there, not '0 of 2'", { timeout: 60_000 }, async () => {
    const dir = temporaryDirectory("eddy-missing-");
    const flow = countFlow(dir);
    const state = join(dir, "state");
    const first = await eddy(["run", flow, "-w", "2", "--recovery-dir", state], { timeoutMs: 40_000 });
    expect(first.code, describeRun(first)).toBe(0);
    rmSync(join(state, "worker-1.mdb"));
    rmSync(join(state, "worker-1.mdb-lock"), { force: true });
    const second = await eddy(["run", flow, "-w", "2", "--recovery-dir", state], { timeoutMs: 40_000 });
    expect(second.code, describeRun(second)).toBe(4);
    expect(second.stderr).toContain("RECOVERY_MISSING_PARTITION");
    expect(second.stderr).toContain("missing the partition of worker 1");
    expect(second.stderr).toContain("it has only the partition of worker 0 of this run's 2 workers");
    expect(second.stderr).not.toContain("0 of 2");
  });
});
