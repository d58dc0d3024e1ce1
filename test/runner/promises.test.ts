/**
 * An async flow function in the real CLI (issue 10, point 3): `"fn": "async x => x * 2"` used to
 * exit 0 and write `{}`; it exits 3 with STEP_RETURNED_PROMISE naming the step, the worker and the
 * item, on one worker thread and on several, and a Promise that rejects later never surfaces as an
 * unhandled rejection.
 */

import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

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

  const PAIRS = { id: "pairs", op: "map", after: ["numbers"], fn: "x => ['k' + (x % 2), x]" };
  const TESTING_CLOCK = { type: "testing", itemIncr: 1000, startAt: 0 };
  const WINDOW = { type: "tumbling", length: 10000, startAt: 0 };
  const KINDS: Record<string, { step: Record<string, unknown>; op: string; fn: string; keyed: boolean }> = {
    flat_map: { step: { op: "flat_map", fn: "async x => [x]" }, op: "flat_map", fn: "mapper", keyed: false },
    "flat_map yielding a Promise": { step: { op: "flat_map", fn: "x => [x, Promise.resolve(x)]" }, op: "flat_map", fn: "mapper", keyed: false },
    filter: { step: { op: "filter", fn: "async x => true" }, op: "filter", fn: "predicate", keyed: false },
    inspect: { step: { op: "inspect", fn: "async x => {}" }, op: "inspect", fn: "inspector", keyed: false },
    inspect_epoch: { step: { op: "inspect_epoch", fn: "async (e, x) => {}" }, op: "inspect_epoch", fn: "inspector", keyed: false },
    "reduce's reducer": { step: { op: "reduce", fn: "async (a, b) => a + b", isComplete: "a => false" }, op: "reduce", fn: "reducer", keyed: true },
    "reduce's isComplete": { step: { op: "reduce", fn: "(a, b) => a + b", isComplete: "async a => true" }, op: "reduce", fn: "isComplete", keyed: true },
    "stateful_map's builder": { step: { op: "stateful_map", builder: "async () => 0", fn: "(n, x) => [n + x, n]" }, op: "stateful_map", fn: "builder", keyed: true },
    "fold_window's folder": {
      step: { op: "fold_window", clock: TESTING_CLOCK, window: WINDOW, builder: "() => 0", fn: "async (n, x) => n + x" },
      op: "fold_window",
      fn: "folder",
      keyed: true,
    },
    "reduce_window's reducer": { step: { op: "reduce_window", clock: TESTING_CLOCK, window: WINDOW, fn: "async (a, b) => a + b" }, op: "reduce_window", fn: "reducer", keyed: true },
    "the event clock's fn": {
      step: { op: "reduce_window", clock: { type: "event", fn: "async x => x", waitForSystemDuration: 0 }, window: WINDOW, fn: "(a, b) => a + b" },
      op: "reduce_window",
      fn: "dtGetter",
      keyed: true,
    },
  };
  for (const [kind, { step, op, fn, keyed }] of Object.entries(KINDS)) {
    it(`${kind}: exit 3 with STEP_RETURNED_PROMISE naming the step, -w 2`, async () => {
      const steps = keyed ? [INPUT, PAIRS, { id: "s", after: ["pairs"], ...step }] : [INPUT, { id: "s", after: ["numbers"], ...step }];
      const flow = flowFile([...steps, { id: "out", op: "capture", after: ["s"], output: { type: "stdout" } }]);
      const result = await eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stderr).toContain(`failed in step "s" (${op}) on item `);
      expect(result.stderr).toContain(`TypeError: Step "s" (${op}): \`${fn}\` returned a Promise (or another thenable)`);
    });
  }

  it("an async input function: exit 3, naming the input", async () => {
    const input = { id: "numbers", op: "input", input: { type: "function", fn: "async () => [[1, 1]]" } };
    const flow = flowFile([input, { id: "out", op: "capture", after: ["numbers"], output: { type: "stdout" } }]);
    const result = await eddy(["run", flow, "-w", "1"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toContain('TypeError: Step "numbers" (input): `builder` returned a Promise (or another thenable) as its iterable');
  });

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
