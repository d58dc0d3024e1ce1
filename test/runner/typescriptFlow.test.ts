/**
 * A flow built in TypeScript (run in one process with `clusterMain`) and the same flow as a file
 * (run with `eddy run` on worker threads) give the same output: the TypeScript examples against
 * their flow files, and the running maximum with file input, file output and recovery.
 */

import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES, describeRun, eddy, exampleCopy, filesIn, removeTemporaryDirectories, runNode, sortedLines, temporaryDirectory } from "./cli.js";
import { cpSync } from "node:fs";

afterAll(removeTemporaryDirectories);

describe("the same flow in TypeScript and as a file", () => {
  for (const name of ["wordcount", "sessionizer", "windowed-count"]) {
    it(`examples/${name}.ts and examples/${name}.json print the same lines (2 workers)`, { timeout: 60_000 }, async () => {
      const [typescript, file] = await Promise.all([runNode([`examples/${name}.ts`, "-w", "2"], { timeoutMs: 30_000 }), eddy(["run", `examples/${name}.json`, "-w", "2"], { timeoutMs: 30_000 })]);
      expect(typescript.code, describeRun(typescript)).toBe(0);
      expect(file.code, describeRun(file)).toBe(0);
      expect(sortedLines(file.stdout).length).toBeGreaterThan(0);
      expect(sortedLines(file.stdout)).toEqual(sortedLines(typescript.stdout));
    });
  }

  it("running-max: file input, file output and recovery write the same files (2 workers)", { timeout: 60_000 }, async () => {
    const flow = exampleCopy("running-max");
    const dir = temporaryDirectory();
    cpSync(join(dirname(flow), "data"), join(dir, "data"), { recursive: true });
    const [typescript, file] = await Promise.all([runNode([join(FIXTURES, "runningMax.ts"), dir, "2"], { timeoutMs: 30_000 }), eddy(["run", flow, "-w", "2"], { timeoutMs: 30_000 })]);
    expect(typescript.code, describeRun(typescript)).toBe(0);
    expect(file.code, describeRun(file)).toBe(0);
    const fromTypescript = filesIn(join(dir, "out"), /./);
    const fromFile = filesIn(join(dirname(flow), "out"), /./);
    expect([...fromFile.keys()]).toEqual(["running-max.0.jsonl", "running-max.1.jsonl"]);
    expect([...fromTypescript.keys()]).toEqual([...fromFile.keys()]);
    for (const [name, text] of fromFile) expect(sortedLines(fromTypescript.get(name)!), name).toEqual(sortedLines(text));
  });
});
