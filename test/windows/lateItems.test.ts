/**
 * Late items as a stream of their own: an item too late for its window goes, as it came
 * (`[key, value]`), to the window step's `late` output, in the epoch it came in, on any number of
 * workers and through exchanges; it is counted in the worker metrics (`lateItems`) whether a step
 * takes the late output or not; and the clock state that makes it late survives a resume. Flows
 * are blueprints with a step that takes `{ step, output: "late" }` (what flow files' "ID:late"
 * compiles to).
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { ManualInputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { EventClockConfig, SessionWindowConfig, SlidingWindowConfig, TumblingWindowConfig, type WindowConfig } from "../../engine/configs/window.js";
import type { Blueprint, Step } from "../../engine/dataflow/steps.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { InMemoryTransport } from "../../engine/ports/transport.js";
import { execute } from "../../engine/runtime/execute.js";
import { runWorker } from "../../engine/runtime/workerHost.js";
import type { WorkerMetrics } from "../../engine/runtime/workerMetrics.js";
import { fromWorkerZero, rejectionOf, sorted } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

const eventTime = new EventClockConfig((t: number) => t, 0);
const count = (window: WindowConfig): Step => ({ op: "count_window", stepId: "count", upstream: [0], clock: eventTime, window });

/** input → count_window → capture, and the count's late items → `late` (each through `lateSteps` first). */
function lateFlow(items: readonly unknown[], window: WindowConfig, out: unknown[], late: unknown[], lateSteps: Step[] = []): Blueprint {
  const steps: Step[] = [{ op: "input", stepId: "inp", upstream: [], config: fromWorkerZero(items) }, count(window), { op: "capture", stepId: "out", upstream: [1], config: new TestingOutputConfig(out) }];
  let from: Step["upstream"][number] = { step: 1, output: "late" };
  for (const step of lateSteps) {
    steps.push({ ...step, upstream: [from] } as Step);
    from = steps.length - 1;
  }
  steps.push({ op: "capture", stepId: "late", upstream: [from], config: new TestingOutputConfig(late) });
  return { steps };
}

// Key "a": 25 moves its watermark to 25 > 10, closing [0, 10) with 1 and 2; 3 and 4 are then late. "b" keeps its own watermark.
const ITEMS = [["a", 1], ["a", 2], ["b", 4], ["a", 25], ["a", 3], ["b", 5], ["a", 4], ["b", 1]];
const TUMBLING = new TumblingWindowConfig(10, { startAt: 0 });

for (const workers of [1, 2, 4]) {
  describe(`late items (${workers} worker${workers > 1 ? "s" : ""})`, () => {
    const run = (flow: Blueprint, options: Partial<Parameters<typeof execute>[1]> = {}) =>
      execute(flow, { workerCount: workers, errors: "wrapped", host: testHost({ clock: new VirtualClock(0) }), ...options });

    it("go to the window step's late output as they came, [key, value]", async () => {
      const out: unknown[] = [];
      const late: unknown[] = [];
      await run(lateFlow(ITEMS, TUMBLING, out, late));
      expect(sorted(out)).toEqual(sorted([["a", 2], ["a", 1], ["b", 3]]));
      expect(late).toEqual([["a", 3], ["a", 4]]);
    });

    it("flow through stateless and keyed steps after the late output, across workers", async () => {
      const out: unknown[] = [];
      const late: unknown[] = [];
      const lateSteps: Step[] = [
        { op: "map", stepId: "tag", upstream: [], mapper: ([key, value]: [string, number]) => [`late-${key}`, value] },
        { op: "stateful_map", stepId: "total", upstream: [], builder: () => 0, mapper: (total: number, value: number) => [total + value, total + value] },
      ];
      await run(lateFlow(ITEMS, TUMBLING, out, late, lateSteps));
      expect(late).toEqual([["late-a", 3], ["late-a", 7]]);
    });

    it("keep their epoch", async () => {
      const late: unknown[] = [];
      const flow = lateFlow(ITEMS, TUMBLING, [], []);
      (flow.steps as Step[])[3] = { op: "capture", stepId: "late", upstream: [{ step: 1, output: "late" }], config: new TestingEpochOutputConfig(late) };
      await run(flow, { epochConfig: new TestingEpochConfig() });
      // Testing epochs: one item per epoch on worker 0, which reads all of them: item i is in epoch i.
      expect(late).toEqual([[4, ["a", 3]], [6, ["a", 4]]]);
    });

    it("of sliding and session windows too", async () => {
      const late: unknown[] = [];
      await run(lateFlow(ITEMS, new SlidingWindowConfig(10, 5, { startAt: 0 }), [], late));
      // After 25 the watermark of "a" is 25: 3 and 4 are in [0, 10), closed.
      expect(late).toEqual([["a", 3], ["a", 4]]);
      const lateOfSessions: unknown[] = [];
      await run(lateFlow(ITEMS, new SessionWindowConfig(30), [], lateOfSessions));
      // Sessions: anything behind the watermark is late.
      expect(sorted(lateOfSessions)).toEqual(sorted([["a", 3], ["a", 4], ["b", 1]]));
    });

    it("are counted in the worker metrics, whether a step takes them or not", async () => {
      const reads: (() => WorkerMetrics)[] = [];
      const flow = lateFlow(ITEMS, TUMBLING, [], []);
      const untaken: Blueprint = { steps: flow.steps.slice(0, 3) };
      for (const blueprint of [flow, untaken]) {
        const transport = new InMemoryTransport(workers);
        await Promise.all(
          Array.from({ length: workers }, (_, workerIndex) =>
            runWorker(blueprint, { workerIndex, workerCount: workers, transport, onMetrics: (read) => (reads[workerIndex] = read) }),
          ),
        );
        const metrics = reads.map((read) => read());
        const lateCount = metrics.flatMap((worker) => worker.steps.filter((step) => step.inStep === "count")).reduce((total, step) => total + step.lateItems, 0);
        const countOut = metrics.flatMap((worker) => worker.steps.filter((step) => step.outStep === "count")).reduce((total, step) => total + step.itemsOut, 0);
        expect(lateCount).toBe(2);
        // Late items are not among the step's items out.
        expect(countOut).toBe(3);
      }
    });

    it("stay late after a resume: the key's watermark is in the snapshot", async () => {
      const recoveryConfig = new MemoryRecoveryConfig();
      let armed = true;
      const resumedAt: unknown[] = [];
      // "a" moves its watermark to 25; a few items of "z" later the input fails. After the resume
      // (past 25: the input does not read it again), 3 is late for "a"'s restored watermark.
      const items = [["a", 1], ["a", 25], ["z", 0], ["z", 0], ["z", 0], "BOOM", ["a", 3], ["a", 26]];
      const input = new ManualInputConfig(function* (workerIndex, _count, resumeState) {
        if (workerIndex !== 0) return;
        resumedAt.push(resumeState);
        for (let i = typeof resumeState === "number" ? resumeState : 0; i < items.length; i++) {
          if (items[i] === "BOOM" && armed) throw new Error("BOOM");
          yield [i + 1, items[i] === "BOOM" ? ["a", 27] : items[i]];
        }
      });
      const late: unknown[] = [];
      const out: unknown[] = [];
      const flow = lateFlow([], TUMBLING, out, late);
      (flow.steps as Step[])[0] = { op: "input", stepId: "inp", upstream: [], config: input };
      await rejectionOf(run(flow, { recoveryConfig, epochConfig: new TestingEpochConfig() }));
      expect(late).toEqual([]);
      armed = false;
      out.length = 0;
      await run(flow, { recoveryConfig, epochConfig: new TestingEpochConfig() });
      expect(resumedAt[resumedAt.length - 1]).toBeGreaterThanOrEqual(2);
      expect(late).toEqual([["a", 3]]);
      // The resumed run closes the window it restored: [20, 30) holds 25, 27 and 26.
      expect(out).toContainEqual(["a", 3]);
      expect(out).not.toContainEqual(["a", 4]);
    });
  });
}
