/**
 * Disabled steps in the studio's simulated runs: the simulation prints exactly what `eddy run`
 * prints for the same flow file (1 and 2 workers), disabled and skipped steps show no live data,
 * and a disabled input that would need a sample (Kafka, file) does not keep the flow from running.
 */

import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, lines, removeTemporaryDirectories } from "../../runner/cli.js";
import { flowOf, simulate } from "./helpers.js";

afterAll(removeTemporaryDirectories);

type Step = Record<string, unknown>;

/** Sentences → words → (disabled) shout → loud-out, words → counted pairs → count-out, and a merge of both. */
function stepsWith(disabled: readonly string[]): Step[] {
  const flag = (id: string) => (disabled.includes(id) ? { disabled: true } : {});
  return [
    { id: "lines", op: "input", input: { type: "list", items: ["to be or", "not to be", "that is"] } },
    { id: "words", op: "flat_map", after: ["lines"], ...flag("words"), fn: "line => line.split(' ')" },
    { id: "shout", op: "map", after: ["words"], ...flag("shout"), fn: "word => word.toUpperCase() + '!'" },
    { id: "loud-out", op: "capture", after: ["shout"], output: { type: "stdout" } },
    { id: "pairs", op: "map", after: ["words"], ...flag("pairs"), fn: "word => [word, 1]" },
    { id: "count", op: "reduce", after: ["pairs"], fn: "(a, b) => a + b", isComplete: "() => false" },
    { id: "both", op: "map", after: ["shout", "words"], fn: "word => 'both ' + word" },
    { id: "both-out", op: "capture", after: ["both"], output: { type: "stdout" } },
  ];
}

describe("a simulated run of a flow with disabled steps", () => {
  for (const workers of [1, 2]) {
    it(`prints what eddy run prints for the same file (${workers} worker(s))`, { timeout: 60_000 }, async () => {
      const steps = stepsWith(["shout"]);
      const [simulated, runner] = await Promise.all([simulate(flowOf(steps), { workers }), eddy(["run", flowFile(steps), "-w", String(workers)])]);
      expect(runner.code, describeRun(runner)).toBe(0);
      expect(simulated.status).toBe("done");
      const printed = simulated.output.map((line) => line.line).sort();
      expect(printed).toEqual(lines(runner.stdout).sort());
      expect(printed).toHaveLength(8);
      expect(printed.every((line) => line.startsWith("both ") && !line.includes("!"))).toBe(true);
    });
  }

  it("shows no live data for disabled and skipped steps, and the others' as usual", async () => {
    const run = await simulate(flowOf(stepsWith(["shout", "pairs"])));
    expect(run.status).toBe("done");
    expect(Object.keys(run.last.steps).sort()).toEqual(["both", "both-out", "lines", "words"]);
    expect(run.last.steps["both-out"]!.count).toBe(8);
  });

  it("a disabled Kafka input needs no sample; a disabled half-configured step does not stop the run", async () => {
    const steps = [
      ...stepsWith([]),
      { id: "events", op: "input", disabled: true, input: { type: "kafka", brokers: ["localhost:9092"], topic: "events" } },
      { id: "parse", op: "map", after: ["events"], fn: "x => {" },
      { id: "draft", op: "filter", disabled: true },
    ];
    const run = await simulate(flowOf(steps));
    expect(run.last.error).toBeUndefined();
    expect(run.status).toBe("done");
    expect(run.output).toHaveLength(8 + 8 + 8);
  });
});
