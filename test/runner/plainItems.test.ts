/**
 * Items that cross worker threads (issue 10, point 11). A class instance used to keep its class
 * with -w 1 and arrive as a plain object with -w 2 (only on the items that crossed); now it is
 * refused, naming the step and what is not plain, with -w 1 as with -w 2. Built-ins of the flow
 * functions' own realm (Date, Map, Set) are plain data and cross. An item nested too deep is
 * refused for its depth, with the limit, rather than as "not JSON-serializable".
 */

import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

const INPUT = { id: "words", op: "input", input: { type: "list", items: ["a", "b", "c", "d"] } };
const COUNT = { id: "count", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "(n, v) => [n + 1, v]" };
const OUT = (after: string) => ({ id: "out", op: "capture", after: [after], output: { type: "stdout" } });

describe("items that go to a keyed step in the runner", () => {
  for (const workers of ["1", "2"]) {
    it(`a class instance is refused, naming the step, the item and the class, -w ${workers}`, async () => {
      const pairs = { id: "pairs", op: "map", after: ["words"], fn: "w => [w, new (class Reading { constructor(v) { this.v = v; } double() { return this.v + this.v; } })(w)]" };
      const flow = flowFile([INPUT, pairs, COUNT, OUT("count")]);
      const result = await eddy(["run", flow, "-w", workers], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stderr).toMatch(
        /failed in step "count" \(stateful_map\) on item \["[a-d]", Reading \{v: "[a-d]"\}\]: TypeError: Step "count" \(stateful_map\): items that go to a keyed step must be plain data.*it holds an instance of class Reading, which would be copied as a plain object, without its class/,
      );
    });

    it(`an item nested deeper than the limit is refused for its depth, -w ${workers}`, async () => {
      const pairs = { id: "pairs", op: "map", after: ["words"], fn: "w => { let v = w; for (let i = 0; i < 5000; i++) v = [v]; return [w, v]; }" };
      const flow = flowFile([INPUT, pairs, COUNT, OUT("count")]);
      const result = await eddy(["run", flow, "-w", workers], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stderr).toMatch(/failed in step "count" \(stateful_map\) on item .*it is nested more than 1000 levels deep/);
      expect(result.stderr).not.toMatch(/JSON-serializable|Maximum call stack/);
    });
  }

  it("Date, Map and Set made by flow functions cross workers, -w 2", async () => {
    const pairs = { id: "pairs", op: "map", after: ["words"], fn: "w => [w, { at: new Date(0), m: new Map([[w, new Set([1])]]) }]" };
    const check = { id: "check", op: "map", after: ["count"], fn: "([k, v]) => `${k} ${v.at.toISOString()} ${v.m.get(k).has(1)}`" };
    const flow = flowFile([INPUT, pairs, COUNT, check, OUT("check")]);
    const result = await eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout.trim().split("\n").sort()).toEqual(["a", "b", "c", "d"].map((w) => `${w} 1970-01-01T00:00:00.000Z true`));
  });

  it("an item too deep for JSON at standard output names its depth, not JSON", async () => {
    const deep = { id: "deep", op: "map", after: ["words"], fn: "w => { let v = w; for (let i = 0; i < 200000; i++) v = [v]; return v; }" };
    const flow = flowFile([INPUT, deep, OUT("deep")]);
    const result = await eddy(["run", flow, "-w", "1"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toMatch(/failed in step "out"[^\n]*: TypeError: Step "out" \(capture\): the item `\[\[\[\[\[…\]\]\]\]\]` is nested 200000 levels deep, deeper than JSON.stringify can write here/);
  });
});
