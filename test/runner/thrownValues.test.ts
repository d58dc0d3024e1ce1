/**
 * `throw 42`, `throw null`, `throw undefined` and a thrown Proxy whose traps throw, in the real CLI:
 * exit 3 naming the step, the worker, the item and the value, as an Error does (issue 10, point 7;
 * they used to exit 1 as an "internal error" without step or item).
 */

import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

const INPUT = { id: "words", op: "input", input: { type: "list", items: ["a", "b", "c", "d"] } };
const OUT = (after: string) => ({ id: "out", op: "capture", after: [after], output: { type: "stdout" } });

describe("a flow function that throws a value that is not an Error", () => {
  it("throw 42 in a map, -w 2: exit 3 with step, worker, item and the value", async () => {
    const flow = flowFile([INPUT, { id: "boom", op: "map", after: ["words"], fn: "w => { if (w === 'c') throw 42; return w; }" }, OUT("boom")]);
    const result = await eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/Worker \d failed in step "boom" \(map\) on item "c": Thrown: a non-error value was thrown: 42\n/);
  });

  it("throw undefined in a stateful_map, -w 1", async () => {
    const flow = flowFile([
      INPUT,
      { id: "pairs", op: "map", after: ["words"], fn: "w => [w, 1]" },
      { id: "count", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "(n, one) => { if (n === 0) throw undefined; return [n + one, n]; }" },
      OUT("count"),
    ]);
    const result = await eddy(["run", flow, "-w", "1"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/Worker 0 failed in step "count" \(stateful_map\) on item \["a", 1\]: Thrown: a non-error value was thrown: undefined\n/);
  });

  it("throw null and a Proxy whose traps throw, in a filter, -w 2: the report never reads the Proxy", async () => {
    const proxy = "new Proxy({}, { get() { throw 1; }, has() { throw 1; }, getPrototypeOf() { throw 1; }, ownKeys() { throw 1; }, getOwnPropertyDescriptor() { throw 1; } })";
    for (const [thrown, shown] of [
      ["null", "null"],
      [proxy, "\\[unrenderable\\]"],
    ] as const) {
      const flow = flowFile([INPUT, { id: "keep", op: "filter", after: ["words"], fn: `w => { if (w === 'b') throw ${thrown}; return true; }` }, OUT("keep")]);
      const result = await eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`Worker \\d failed in step "keep" \\(filter\\) on item "b": Thrown: a non-error value was thrown: ${shown}\\n`));
    }
  });
});
