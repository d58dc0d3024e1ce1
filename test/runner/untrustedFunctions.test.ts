/**
 * Issue 10, point 1: validation never runs user code, and what it accepts is exactly what the
 * compilers compile. The exploit of the issue: a function that a module parse reads as operators
 * (`<!--`) and a script compile reads as a comment, so that compiling it used to run EVIL, which
 * reaches `process` and writes a marker file. `eddy validate` and `eddy run` refuse it (exit 2,
 * naming the step and "HTML-like comment"), and the marker file never appears.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

/** Code that escapes the vm context through a host function's constructor and writes `marker`. */
const evil = (marker: string) => `console.log.constructor("return process")().getBuiltinModule("fs").writeFileSync(${JSON.stringify(marker)}, "ran")`;

function exploitFlow(fn: string): { flow: string; marker: string } {
  const marker = join(temporaryDirectory(), "MARKER");
  const flow = flowFile([
    { id: "numbers", op: "input", input: { type: "list", items: [1] } },
    { id: "sneaky", op: "map", after: ["numbers"], fn: fn.replace("EVIL", evil(marker)) },
    { id: "out", op: "capture", after: ["sneaky"], output: { type: "stdout" } },
  ]);
  return { flow, marker };
}

const EXPLOITS: ReadonlyArray<readonly [string, string]> = [
  ["<!-- (the issue's)", "x => x <!-- y + `\n), EVIL, (y => y // `"],
  ["--> at a line start", "x => x\n--> ), EVIL, (y => y"],
];

describe("a function that would run code when compiled", () => {
  for (const [name, fn] of EXPLOITS) {
    it(`${name}: eddy validate and eddy run refuse it, exit 2, and it never runs`, async () => {
      const checked = exploitFlow(fn);
      const validated = await eddy(["validate", checked.flow]);
      expect(validated.code, describeRun(validated)).toBe(2);
      expect(validated.stderr).toMatch(/^\/steps\/1\/fn \(sneaky\): .*HTML-like comment/m);
      expect(existsSync(checked.marker)).toBe(false);

      const ran = exploitFlow(fn);
      const run = await eddy(["run", ran.flow]);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/^\/steps\/1\/fn \(sneaky\): .*HTML-like comment/m);
      expect(run.stdout).toBe("");
      expect(existsSync(ran.marker)).toBe(false);
    });
  }

});
