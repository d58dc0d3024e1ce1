/**
 * Every example flow file, run through the simulator with an instant virtual clock, writes the
 * lines in examples/expected/NAME.txt, on 1 and on 4 workers: the same comparison as the runner's
 * example test (sorted lines of everything the capture steps wrote), with the samples in place of
 * the files.
 */

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "./helpers.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const lines = (text: string) => text.split("\n").filter((line) => line.length > 0);

const examples = readdirSync(join(REPO, "examples"))
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

describe("the example flows in the simulator", () => {
  it("are there", () => expect(examples.length).toBeGreaterThanOrEqual(5));

  for (const name of examples) {
    it(`${name}.json gives its expected output on 1 and on 4 workers`, { timeout: 60_000 }, async () => {
      const flow: unknown = JSON.parse(readFileSync(join(REPO, "examples", `${name}.json`), "utf8"));
      const expected = lines(readFileSync(join(REPO, "examples/expected", `${name}.txt`), "utf8")).sort();
      const [one, four] = await Promise.all([simulate(flow, { workers: 1 }), simulate(flow, { workers: 4 })]);
      for (const run of [one, four]) {
        expect(run.last.error).toBeUndefined();
        expect(run.status).toBe("done");
        expect(run.output.map((line) => line.line).sort()).toEqual(expected);
      }
      expect(new Set(four.output.map((line) => line.worker)).size).toBeGreaterThan(1);
    });
  }
});
