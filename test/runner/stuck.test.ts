/**
 * A flow function that never returns (`x => { for (;;) {} }`), in the real CLI: within seconds the
 * runner names the step, the worker, the item and how long the call has run (standard error); a
 * SIGINT then ends the run with that diagnosis (exit 130) instead of waiting for an epoch boundary
 * that cannot come. Maps, function inputs (a generator's body) and function outputs alike. Every
 * wait is on an observable line, bounded generously; nothing depends on the machine's speed.
 */

import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

const STUCK_MAP = [
  { id: "numbers", op: "input", input: { type: "list", items: [1, 2, 3, 4] } },
  { id: "spin", op: "map", after: ["numbers"], fn: "x => { if (x === 3) for (;;) {} return x; }" },
  { id: "out", op: "capture", after: ["spin"], output: { type: "stdout" } },
];
const STUCK_INPUT = [
  { id: "gen", op: "input", input: { type: "function", fn: "function* (worker, count, state) { for (let i = state ?? 0; ; i++) { if (i === 5) for (;;) {} yield [i + 1, i]; } }" } },
  { id: "out", op: "capture", after: ["gen"], output: { type: "stdout" } },
];
const STUCK_OUTPUT = [
  { id: "numbers", op: "input", input: { type: "list", items: [1, 2, 3, 4] } },
  { id: "sink", op: "capture", after: ["numbers"], output: { type: "function", fn: "(worker, count) => (item) => { if (item === 2) for (;;) {} }" } },
];

const REPORT = /worker (\d) has been in one call of step "([^"]+)" \(([^)]+)\) for (\d+\.\d) s(?:, on item (\S+))?; it may never return/;

/** Sends SIGINT once stderr has the stuck-call report. */
function interruptAfterReport(child: ChildProcess, output: { stderr: () => string }): void {
  const poll = setInterval(() => {
    if (!REPORT.test(output.stderr())) return;
    clearInterval(poll);
    child.kill("SIGINT");
  }, 20);
  child.once("exit", () => clearInterval(poll));
}

describe("a flow function that never returns", () => {
  for (const [name, steps, workers, step, field, item] of [
    ["a map", STUCK_MAP, 1, "spin", "fn", "3"],
    ["a map", STUCK_MAP, 2, "spin", "fn", "3"],
    ["a function input (the generator's body)", STUCK_INPUT, 1, "gen", "input.fn", undefined],
    ["a function output", STUCK_OUTPUT, 1, "sink", "output.fn", "2"],
  ] as const) {
    it.concurrent(`${name}, -w ${workers}: reported (step, worker, item, duration); SIGINT then exits 130 with the diagnosis`, { timeout: 60_000 }, async () => {
      const result = await eddy(["run", flowFile([...steps]), "-w", String(workers)], { timeoutMs: 45_000, onStart: interruptAfterReport });
      expect(result.timedOut, describeRun(result)).toBe(false);
      expect(result.code, describeRun(result)).toBe(130);
      const report = REPORT.exec(result.stderr);
      expect(report, describeRun(result)).not.toBeNull();
      const [, worker, stepId, reportedField, seconds, reportedItem] = report!;
      expect([stepId, reportedField, reportedItem]).toEqual([step, field, item]);
      expect(Number(worker)).toBeLessThan(workers);
      expect(Number(seconds)).toBeGreaterThanOrEqual(3);
      // The stop names the stuck call again and does not wait for a boundary.
      expect(result.stderr).toMatch(new RegExp(`stopped while worker ${worker} has been in one call of step "${step}" \\(${field.replace(".", "\\.")}\\) for \\d+\\.\\d s`));
      expect(result.stderr).not.toContain("exiting now");
    });
  }

  it("a SIGINT sent before the call counts as stuck ends the run once it does", { timeout: 60_000 }, async () => {
    const result = await eddy(["run", flowFile(STUCK_MAP), "-w", "1", "--verbose"], {
      timeoutMs: 45_000,
      onStart: (child, output) => {
        // The worker started: the stop reaches it before its first epoch can end (the first batch holds item 3).
        const poll = setInterval(() => {
          if (!/started on thread/.test(output.stderr())) return;
          clearInterval(poll);
          child.kill("SIGINT");
        }, 5);
        child.once("exit", () => clearInterval(poll));
      },
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(result.stderr).toMatch(/stopped while worker 0 has been in one call of step "spin" \(fn\) for \d+\.\d s, on item 3/);
  });
});
