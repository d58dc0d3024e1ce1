/**
 * An async flow function in the real CLI (issue 10, point 3): `"fn": "async x => x * 2"` used to
 * exit 0 and write `{}`; it exits 3 with STEP_RETURNED_PROMISE naming the step, the worker and the
 * item, on one worker thread and on several, and a Promise that rejects later never surfaces as an
 * unhandled rejection.
 */

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

function flowFile(steps: unknown[]): string {
  const path = join(temporaryDirectory(), "flow.json");
  writeFileSync(path, JSON.stringify({ format: "eddy.flow", version: 1, steps }, null, 2));
  return path;
}

const INPUT = { id: "numbers", op: "input", input: { type: "list", items: [1, 2, 3, 4] } };

describe("an async flow function", () => {
  for (const workers of ["1", "2"]) {
    it(`an async map exits 3 naming the step and the item, -w ${workers}`, async () => {
      const flow = flowFile([INPUT, { id: "double", op: "map", after: ["numbers"], fn: "async x => x * 2" }, { id: "out", op: "capture", after: ["double"], output: { type: "stdout" } }]);
      const result = await eddy(["run", flow, "-w", workers], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stdout).not.toContain("{}");
      expect(result.stderr).toMatch(/Worker \d failed in step "double" \(map\) on item \d: TypeError: Step "double" \(map\): `mapper` returned a Promise \(or another thenable\)/);
    });
  }

  it("an async stateful_map whose Promise rejects later: exit 3, no unhandled rejection", async () => {
    const flow = flowFile([
      INPUT,
      { id: "pairs", op: "map", after: ["numbers"], fn: "x => ['k', x]" },
      { id: "total", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "async (n, x) => { throw new Error('later'); }" },
      { id: "out", op: "capture", after: ["total"], output: { type: "stdout" } },
    ]);
    const result = await eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/failed in step "total" \(stateful_map\) on item \["k", \d\]: TypeError: Step "total" \(stateful_map\): `mapper` returned a Promise/);
    expect(result.stderr).not.toMatch(/later|unhandled/i);
  });
});
