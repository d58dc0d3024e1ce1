/**
 * Invalid flow files: `eddy validate` prints every problem, one per line as
 * `path (step id): message [line:col]`, and exits 2; `eddy run` on such a file exits 2 without
 * running anything. A valid file is "valid" (exit 0).
 */

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, REPO, describeRun, eddy, lines, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

const bad = (name: string) => join(FIXTURES, "bad", `${name}.json`);

describe("eddy validate", () => {
  it("reports a JSON syntax error with its line and column, exit 2", async () => {
    const result = await eddy(["validate", bad("not-json")]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(lines(result.stderr)[0]).toMatch(/^\/: Invalid JSON at line 5, column 32: .* \[5:32\]$/);
    expect(result.stdout).toBe("");
  });

  it("prints every problem of a file, one per line, with its path and step id, exit 2", async () => {
    const result = await eddy(["validate", bad("many-problems")]);
    expect(result.code, describeRun(result)).toBe(2);
    const printed = lines(result.stderr);
    expect(printed).toEqual([
      expect.stringMatching(/^\/steps\/1\/fn \(double\): .*does not parse.* \[1:9\]$/),
      expect.stringMatching(/^\/steps\/2\/id \(double\): .*already used/),
      expect.stringMatching(/^\/steps\/3\/op \(explode\): .*unknown step kind "explode"/),
      expect.stringMatching(/^\/steps\/4\/after\/0 \(out\): .*"nowhere"/),
      expect.stringMatching(/many-problems\.json: 4 problems$/),
    ]);
  });

  it("reports a missing capture and a syntax error inside a multi-line function at its line, exit 2", async () => {
    const result = await eddy(["validate", bad("no-capture")]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^\/steps: .*no capture step/),
      expect.stringMatching(/^\/steps\/1\/fn \(upper\): .* \[2:24\]$/),
      expect.stringMatching(/: 2 problems$/),
    ]);
  });

  it("says a valid file is valid, exit 0, without needing its $env variables", async () => {
    const [example, withEnv] = await Promise.all([eddy(["validate", join(REPO, "examples/wordcount.json")]), eddy(["validate", bad("missing-env")])]);
    expect(example.code, describeRun(example)).toBe(0);
    expect(example.stderr).toMatch(/wordcount\.json is valid\n$/);
    expect(withEnv.code, describeRun(withEnv)).toBe(0);
  });

  it("exits 2 for a file that cannot be read, and for a wrong command line", async () => {
    const [missing, noFile, zeroWorkers, unknown] = await Promise.all([
      eddy(["validate", join(FIXTURES, "no-such-flow.json")]),
      eddy(["run"]),
      eddy(["run", join(REPO, "examples/wordcount.json"), "-w", "0"]),
      eddy(["frobnicate"]),
    ]);
    expect(missing.code, describeRun(missing)).toBe(2);
    expect(missing.stderr).toContain("cannot read the flow file: no such file");
    for (const usage of [noFile, zeroWorkers, unknown]) expect(usage.code, describeRun(usage)).toBe(2);
    expect(zeroWorkers.stderr).toContain("must be a positive integer");
  });
});

describe("eddy run on an invalid flow file", () => {
  it("prints every problem and exits 2 without running anything", async () => {
    const dir = temporaryDirectory();
    const flow = join(dir, "flow.json");
    writeFileSync(
      flow,
      JSON.stringify({
        format: "eddy.flow",
        version: 1,
        steps: [
          { id: "numbers", op: "input", input: { type: "list", items: [1, 2, 3] } },
          { id: "show", op: "inspect", after: ["numbers"], fn: "x => console.log('ran', x)" },
          { id: "broken", op: "map", after: ["show"], fn: "x => {" },
          { id: "out", op: "capture", after: ["broken"], output: { type: "file", path: "out/numbers.jsonl" } },
          { id: "out", op: "capture", after: ["numbers"], output: { type: "stdout" } },
        ],
      }),
    );
    const result = await eddy(["run", flow, "-w", "2"]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stderr).toMatch(/^\/steps\/2\/fn \(broken\): /m);
    expect(result.stderr).toMatch(/^\/steps\/4\/id \(out\): /m);
    expect(result.stderr).not.toMatch(/running|ran/);
    expect(result.stdout).toBe("");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("refuses two captures that write the same file, exit 2", async () => {
    const flow = join(temporaryDirectory(), "flow.json");
    const capture = (id: string, path: string) => ({ id, op: "capture", after: ["numbers"], output: { type: "file", path } });
    writeFileSync(
      flow,
      JSON.stringify({
        format: "eddy.flow",
        version: 1,
        steps: [{ id: "numbers", op: "input", input: { type: "list", items: [1] } }, capture("a", "out/x.jsonl"), capture("b", "./out/../out/x.jsonl")],
      }),
    );
    const result = await eddy(["run", flow]);
    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stderr).toMatch(/^\/steps \(b\): two captures write the same file .*out\/x\.jsonl$/m);
  });

  it("names a $env variable that is not set, exit 2", async () => {
    const result = await eddy(["run", bad("missing-env")], { env: { EDDY_TEST_SURELY_UNSET_INPUT: undefined } });
    expect(result.code, describeRun(result)).toBe(2);
    expect(result.stderr).toContain("Environment variable EDDY_TEST_SURELY_UNSET_INPUT is not set");
  });
});
