/**
 * Failures of a run: a flow function that throws stops every worker thread (fail-stop, no hang)
 * and exits 3 with the step, the worker, the item (shortened) and the line inside the function; an
 * input that fails exits 3 naming its step; a recovery store that refuses exits 4.
 */

import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, exampleCopy, flowFile, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

describe("a flow function that throws", () => {
  it("stops every worker thread and exits 3, naming the step, the worker, the item and the line", { timeout: 60_000 }, async () => {
    // Worker 0 never returns from its item: only the fail-stop can end this run.
    const flow = flowFile([
      {
        id: "readings",
        op: "input",
        input: {
          type: "function",
          fn: [
            "function* (workerIndex) {",
            "  if (workerIndex === 0) {",
            "    yield [1, { sensor: 'spin', value: 0 }];",
            "    return;",
            "  }",
            "  yield [1, { sensor: 'a', value: 3 }];",
            "  yield [2, { sensor: 'b', value: 'a very long text that is not a number and goes on and on and on and on and on' }];",
            "}",
          ],
        },
      },
      {
        id: "parse",
        op: "map",
        after: ["readings"],
        fn: ["reading => {", "  if (typeof reading.value !== 'number') {", "    throw new RangeError(`not a number: ${reading.sensor}`);", "  }", "  while (reading.sensor === 'spin') {}", "  return [reading.sensor, reading.value];", "}"],
      },
      { id: "out", op: "capture", after: ["parse"], output: { type: "stdout" } },
    ]);
    // The spinning worker is terminated: the run ends (a hang passes the timeout).
    const result = await eddy(["run", flow, "-w", "2"], { timeoutMs: 50_000 });
    expect(result.timedOut, describeRun(result)).toBe(false);
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/Worker 1 failed in step "parse" \(map\) on item \{sensor: "b", value: "a very long text[^\n]*…: RangeError: not a number: b\n/);
    expect(result.stderr).toContain('at line 3, column 11 of the function `fn` of step "parse"');
  });

  it("in a keyed step on another worker names the worker where it ran", async () => {
    const flow = flowFile([
      { id: "words", op: "input", input: { type: "list", items: ["a", "b", "c", "d", "e", "f", "g", "h"] } },
      { id: "pairs", op: "map", after: ["words"], fn: "word => [word, 1]" },
      { id: "count", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: ["(n, one) => {", "  if (n + one > 0) null.boom;", "  return [n + one, n + one];", "}"] },
      { id: "out", op: "capture", after: ["count"], output: { type: "stdout" } },
    ]);
    const result = await eddy(["run", flow, "-w", "3"], { timeoutMs: 20_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/Worker \d failed in step "count" \(stateful_map\) on item \["[a-h]", 1\]: TypeError: Cannot read properties of null/);
    expect(result.stderr).toMatch(/at line 2, column \d+ of the function `fn` of step "count"/);
  });
});

describe("an input or a store that fails", () => {
  it("a file input whose file is missing exits 3, naming the step and the file", async () => {
    const flow = flowFile([
      { id: "lines", op: "input", input: { type: "file", path: "missing.txt" } },
      { id: "out", op: "capture", after: ["lines"], output: { type: "stdout" } },
    ]);
    const result = await eddy(["run", flow], { timeoutMs: 20_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/Worker 0 failed in step "lines" \(input\): EddyError: .*missing\.txt.*cannot open the input file/);
  });

  it("a recovery store written with another worker count refuses, exit 4", async () => {
    const flow = exampleCopy("running-max");
    const first = await eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 });
    expect(first.code, describeRun(first)).toBe(0);
    const second = await eddy(["run", flow, "-w", "3"], { timeoutMs: 30_000 });
    expect(second.code, describeRun(second)).toBe(4);
    expect(second.stderr).toMatch(/refused.*2 workers; this run has 3/);
  });
});
