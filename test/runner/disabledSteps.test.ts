/**
 * Disabled steps in flow files, through the `eddy` CLI: `eddy run` gives the output of the flow
 * without the disabled step and without what it alone fed (on 1 and 2 worker threads, which
 * compile the file again), and says which steps it does not run; `eddy validate` lists them with
 * the warnings inside them and exits 0; a flow whose only capture does not run is refused (exit 2).
 */

import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, lines, removeTemporaryDirectories, sortedLines } from "./cli.js";

afterAll(removeTemporaryDirectories);

type Step = Record<string, unknown>;

/** words → upper → shout-out, words → exclaim → plain-out, and both → merged-out. */
function steps(disabled: readonly string[]): Step[] {
  const flag = (id: string) => (disabled.includes(id) ? { disabled: true } : {});
  return [
    { id: "words", op: "input", input: { type: "list", items: ["a", "b", "c"] } },
    { id: "upper", op: "map", after: ["words"], ...flag("upper"), fn: "w => w.toUpperCase()" },
    { id: "exclaim", op: "map", after: ["words"], ...flag("exclaim"), fn: "w => w + '!'" },
    { id: "shout-out", op: "capture", after: ["upper"], output: { type: "stdout" } },
    { id: "merged", op: "map", after: ["upper", "exclaim"], fn: "w => 'merged ' + w" },
    { id: "merged-out", op: "capture", after: ["merged"], output: { type: "stdout" } },
  ];
}

/** The same flow with the steps removed (and the connections to them). */
function without(removed: readonly string[]): Step[] {
  return steps([])
    .filter((step) => !removed.includes(step.id as string))
    .map((step) => (Array.isArray(step.after) ? { ...step, after: step.after.filter((id) => !removed.includes(id)) } : step));
}

describe("eddy run on a flow file with a disabled step", () => {
  for (const workers of [1, 2]) {
    it(`gives the output of the flow without it and without what it alone fed (${workers} worker thread(s))`, { timeout: 60_000 }, async () => {
      const [disabled, removed, all] = await Promise.all([
        eddy(["run", flowFile(steps(["upper"])), "-w", String(workers)]),
        eddy(["run", flowFile(without(["upper", "shout-out"])), "-w", String(workers)]),
        eddy(["run", flowFile(steps([])), "-w", String(workers)]),
      ]);
      for (const result of [disabled, removed, all]) expect(result.code, describeRun(result)).toBe(0);
      expect(sortedLines(disabled.stdout)).toEqual(sortedLines(removed.stdout));
      expect(lines(disabled.stdout)).toHaveLength(3);
      expect(disabled.stdout).not.toMatch(/[ABC]/);
      expect(lines(all.stdout)).toHaveLength(9);
      expect(all.stdout).toMatch(/merged A/);
      expect(lines(disabled.stderr).filter((line) => line.includes("not run"))).toEqual([
        "eddy: /steps/1 (upper): not run: disabled",
        "eddy: /steps/3 (shout-out): not run: skipped: every step that feeds it is disabled or skipped",
      ]);
      expect(all.stderr).not.toContain("not run");
    });
  }

  it("refuses a flow whose only capture steps are skipped, exit 2, naming them", async () => {
    const result = await eddy(["run", flowFile(steps(["upper", "exclaim"]))]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stderr).toContain('/steps: No capture step runs: "shout-out" is skipped (every step that feeds it is disabled or skipped); "merged-out" is skipped (');
    expect(result.stdout).toBe("");
  });

  it("still refuses a step that runs and is not connected, saying how to fix it", async () => {
    const unconnected = [...steps([]), { id: "stray", op: "map", fn: "x => x" }];
    const result = await eddy(["run", flowFile(unconnected)]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stderr).toMatch(/\/steps\/6\/after \(stray\): Step "stray" \(map\): `after` is missing; .*; connect the step, or disable it \("disabled": true\)$/m);
  });
});

describe("eddy validate on a flow file with disabled steps", () => {
  it("lists the steps that do not run and the warnings inside them; the file is valid (exit 0)", async () => {
    const flow = steps(["upper"]);
    flow[1] = { id: "upper", op: "map", after: ["words"], disabled: true, fn: "w => {" };
    const result = await eddy(["validate", flowFile(flow)]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(lines(result.stderr)).toEqual([
      "/steps/1 (upper): not run: disabled",
      "/steps/3 (shout-out): not run: skipped: every step that feeds it is disabled or skipped",
      '/steps/1/fn (upper): warning: Step "upper" (map): `fn` does not parse: Unexpected token (line 1, column 7 of the function) [1:7]',
      expect.stringMatching(/flow\.json is valid \(2 steps do not run, 1 warning\)$/),
    ]);
  });

  it("lists them after the problems of an invalid file", async () => {
    const flow = [...steps(["exclaim"]), { id: "stray", op: "map", fn: "x => x" }];
    const result = await eddy(["validate", flowFile(flow)]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^\/steps\/6\/after \(stray\): .*`after` is missing/),
      "/steps/2 (exclaim): not run: disabled",
      expect.stringMatching(/flow\.json: 1 problem$/),
    ]);
  });
});
