/**
 * The session-window example (examples/session-windows.json) in the studio's simulator and with
 * `eddy run`: the same lines, the late click included; and the simulator's live stats count the
 * window step's late items (`StepLive.late`) and show them apart from its results.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, describeRun, eddy, exampleCopy, lines, removeTemporaryDirectories } from "../../runner/cli.js";
import { simulate } from "./helpers.js";

afterAll(removeTemporaryDirectories);

const flow: unknown = JSON.parse(readFileSync(join(REPO, "examples/session-windows.json"), "utf8"));

describe("the session-window example", () => {
  it("gives the same lines in the simulator (1 and 4 workers) as with eddy run (2 worker threads)", { timeout: 60_000 }, async () => {
    const result = await eddy(["run", exampleCopy("session-windows"), "-w", "2"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const runner = lines(result.stdout).sort();
    expect(runner).toContain("late: ada /docs at 12:10");
    expect(runner.some((line) => line.startsWith("bob 12:02-"))).toBe(true);
    for (const workers of [1, 4]) {
      const run = await simulate(flow, { workers });
      expect(run.last.error).toBeUndefined();
      expect(run.output.map((line) => line.line).sort()).toEqual(runner);
    }
  });

  it("counts the window step's late items in the live stats, apart from its results", async () => {
    const run = await simulate(flow, { workers: 2 });
    const visits = run.last.steps["visits"]!;
    expect(visits.late).toBe(1);
    expect(visits.count).toBe(4);
    // Steps that are not window steps have no late count.
    expect(run.last.steps["by_user"]!.late).toBeUndefined();
    expect(run.last.steps["format_late"]!.count).toBe(1);
  });
});
