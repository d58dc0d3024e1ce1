/**
 * Simulated runs with recovery in IndexedDB (fake-indexeddb): a run stopped in the middle and run
 * again resumes where the snapshots say, reports the epoch, and together the two runs write what
 * one uninterrupted run writes. The stored state can be inspected and cleared, but not while a run
 * uses it.
 */

import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { Simulator } from "../../../studio/sim/simulator.js";
import { flowOf, simulate, start, until } from "./helpers.js";

/** Running sums per key over 60 paced items, 100 ms apart, in epochs of 500 ms. */
const flow = flowOf(
  [
    { id: "numbers", op: "input", input: { type: "list", items: [] }, sample: { type: "list", items: Array.from({ length: 60 }, (_, i) => i), intervalMs: 100 } },
    { id: "keyed", op: "map", after: ["numbers"], fn: "n => [`k${n % 3}`, n]" },
    { id: "sum", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(sum, n) => [sum + n, `${n}:${sum + n}`]" },
    { id: "out", op: "capture", after: ["sum"], output: { type: "file", path: "out.jsonl" } },
  ],
  { epoch: { type: "periodic", length: 500 }, recovery: { type: "file", dir: "ignored-in-the-studio" } },
);

const sortedLines = (lines: { line: string }[]) => lines.map((line) => line.line).sort();

describe("recovery in the simulator", () => {
  for (const workers of [1, 2]) {
    it(`a stopped run resumes from IndexedDB; both runs together write what one run writes (${workers} worker${workers > 1 ? "s" : ""})`, async () => {
      const dbName = `sim-recovery-${workers}`;
      const settings = { workers, recovery: true, dbName, updateIntervalMs: 10 };
      const uninterrupted = await simulate(flow, { workers });
      expect(uninterrupted.output).toHaveLength(60);

      const simulator = new Simulator();
      const first = start(simulator, flow, { ...settings, clock: { kind: "virtual", speed: 20 } });
      await until(() => (first.updates.at(-1)?.steps["numbers"]?.count ?? 0) >= 20);
      await expect(simulator.clearState(dbName)).rejects.toMatchObject({ code: "SIM_STATE_IN_USE" });
      simulator.stop();
      const stopped = await first.done;
      expect(stopped.status).toBe("stopped");
      expect(stopped.last.resumedFrom).toBeUndefined();
      expect(stopped.output.length).toBeLessThan(60);

      const stored = await simulator.inspectState(dbName, workers);
      expect(stored).toMatchObject({ exists: true, workers });
      expect(stored.resumeEpoch).toBeGreaterThan(0);
      expect(stored.problem).toBeUndefined();
      expect((await simulator.inspectState(dbName, workers + 1)).problem).toContain(`this run has ${workers + 1}`);

      const second = await start(simulator, flow, { ...settings, clock: { kind: "virtual", speed: Infinity } }).done;
      expect(second.status).toBe("done");
      const resumedFrom = second.last.resumedFrom!;
      expect(resumedFrom).toBe(stored.resumeEpoch);
      expect(second.updates.filter((update) => update.status !== "starting").every((update) => update.resumedFrom === resumedFrom)).toBe(true);
      const before = stopped.output.filter((line) => line.epoch < resumedFrom);
      expect(Math.min(...second.output.map((line) => line.epoch))).toBeGreaterThanOrEqual(resumedFrom);
      expect(sortedLines([...before, ...second.output])).toEqual(sortedLines(uninterrupted.output));

      await simulator.clearState(dbName);
      expect(await simulator.inspectState(dbName, workers)).toEqual({ exists: false });
      const fresh = await start(simulator, flow, { ...settings, clock: { kind: "virtual", speed: Infinity } }).done;
      expect(fresh.last.resumedFrom).toBeUndefined();
      expect(sortedLines(fresh.output)).toEqual(sortedLines(uninterrupted.output));
    });
  }

  it("a store written with another worker count fails the run clearly", async () => {
    const simulator = new Simulator();
    const dbName = "sim-recovery-workers";
    await start(simulator, flow, { workers: 1, recovery: true, dbName }).done;
    const run = await start(simulator, flow, { workers: 2, recovery: true, dbName }).done;
    expect(run.status).toBe("failed");
    expect(run.last.error).toMatchObject({ code: "RECOVERY_WORKER_COUNT" });
    expect(run.last.error!.message).toContain('IndexedDB database "sim-recovery-workers"');
  });

  it("inspecting a database that does not exist creates nothing", async () => {
    const simulator = new Simulator();
    expect(await simulator.inspectState("never-written", 1)).toEqual({ exists: false });
    expect((await indexedDB.databases()).map((database) => database.name)).not.toContain("never-written");
  });
});
