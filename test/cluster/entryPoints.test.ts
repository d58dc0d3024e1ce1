/**
 * Every example flow in examples/ gives its expected output (examples/expected/NAME.txt: what it
 * printed and every line of the files it wrote, sorted) through every way of running it: `runMain`,
 * `clusterMain` with 4 workers in one process, `clusterMain` over TCP with 2 processes of 2 workers,
 * `spawnCluster` with 2 processes of 2 workers, and `eddy run -n 2 -w 2`. Each run works in its own
 * copy of the example (recovery state and outputs land there).
 */

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, eddy, exampleCopy, lines, removeTemporaryDirectories, type CliResult } from "../runner/cli.js";
import { apiCluster, apiRun, describeAll, outputOf } from "./processes.js";

afterAll(removeTemporaryDirectories);

const examples = readdirSync(join(REPO, "examples"))
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

const ways: Record<string, (flow: string) => Promise<readonly CliResult[]>> = {
  runMain: async (flow) => [await apiRun(flow, ["main"])],
  "clusterMain with 4 workers in one process": async (flow) => [await apiRun(flow, ["local", "4"])],
  "clusterMain over TCP, 2 processes of 2 workers": (flow) => apiCluster(flow, 2, 2),
  "spawnCluster, 2 processes of 2 workers": async (flow) => [await apiRun(flow, ["spawn", "2", "2"])],
  "eddy run -n 2 -w 2": async (flow) => [await eddy(["run", flow, "-n", "2", "-w", "2"], { timeoutMs: 90_000 })],
};

describe("every example, through every entry point", () => {
  it("has examples to run", () => expect(examples.length).toBeGreaterThanOrEqual(5));

  for (const name of examples) {
    it(`${name}.json gives its expected output through ${Object.keys(ways).join(", ")}`, { timeout: 600_000 }, async () => {
      const expected = lines(readFileSync(join(REPO, "examples/expected", `${name}.txt`), "utf8")).sort();
      for (const [way, run] of Object.entries(ways)) {
        const flow = exampleCopy(name);
        const results = await run(flow);
        for (const result of results) expect(result.code, `${name}, ${way}:\n${describeAll(results)}`).toBe(0);
        expect(outputOf(results, join(dirname(flow), "out")), `${name}, ${way}`).toEqual(expected);
      }
    });
  }
});
