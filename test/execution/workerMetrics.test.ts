/**
 * `Worker.metrics()` (engine/runtime/workerMetrics.ts), read through `runWorker`'s `onMetrics`, as
 * the runner's threads read it: per node, items in and out summed over workers equal what flowed;
 * a fused chain is counted at its first step (in) and its last (out); window steps count late items.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { InMemoryTransport } from "../../engine/ports/transport.js";
import { runWorker } from "../../engine/runtime/workerHost.js";
import type { StepMetrics, WorkerMetrics } from "../../engine/runtime/workerMetrics.js";

async function runReading(flow: Dataflow, workerCount: number): Promise<WorkerMetrics[]> {
  const transport = new InMemoryTransport(workerCount);
  const reads: (() => WorkerMetrics)[] = [];
  await Promise.all(
    Array.from({ length: workerCount }, (_, workerIndex) =>
      runWorker(flow, { workerIndex, workerCount, transport, epochConfig: new TestingEpochConfig(), onMetrics: (read) => (reads[workerIndex] = read) }),
    ),
  );
  return reads.map((read) => read());
}

/** The sum over workers of `pick` for the nodes whose `by` step is `step`. */
function sum(metrics: readonly WorkerMetrics[], by: "inStep" | "outStep", step: string, pick: (node: StepMetrics) => number | undefined): number {
  let total = 0;
  for (const worker of metrics) for (const node of worker.steps) if (node[by] === step) total += pick(node) ?? 0;
  return total;
}

describe("worker metrics", () => {
  it("count items in and out per node; over two workers they sum to what flowed", async () => {
    const out: unknown[] = [];
    const flow = new Dataflow()
      .input("numbers", new TestingInputConfig(Array.from({ length: 100 }, (_, i) => i)))
      .map((n: number) => n * 3)
      .filter((n: number) => n % 2 === 0)
      .map((n: number) => [String(n % 5), 1])
      .statefulMap("count", () => 0, (total: number, one: number) => [total + one, total + one])
      .capture(new TestingOutputConfig(out));
    const metrics = await runReading(flow, 2);
    expect(metrics.map((worker) => worker.workerIndex)).toEqual([0, 1]);
    expect(sum(metrics, "outStep", "numbers", (node) => node.itemsOut)).toBe(100);
    // The input has no items in.
    expect(metrics.flatMap((worker) => worker.steps.filter((node) => node.op === "input").map((node) => node.itemsIn))).toEqual([undefined, undefined]);
    // The fused chain map → filter → map: one node, 100 in, 50 out, named by its first and last step.
    const chains = metrics.flatMap((worker) => worker.steps.filter((node) => node.op === "map"));
    expect(chains).toHaveLength(2);
    expect(chains[0]!.inStep).not.toBe(chains[0]!.outStep);
    expect(chains.reduce((total, node) => total + node.itemsIn!, 0)).toBe(100);
    expect(chains.reduce((total, node) => total + node.itemsOut, 0)).toBe(50);
    // After the exchange: every item arrived at exactly one worker.
    expect(sum(metrics, "inStep", "count", (node) => node.itemsIn)).toBe(50);
    expect(sum(metrics, "outStep", "count", (node) => node.itemsOut)).toBe(50);
    expect(out).toHaveLength(50);
    // Every input ended; without recovery there is no durable epoch, and this transport counts no frames.
    for (const worker of metrics) {
      expect(worker.epoch).toBe(Infinity);
      expect(worker.durableEpoch).toBeUndefined();
      expect(worker.framesInFlight).toBeUndefined();
      expect(worker.steps.every((node) => node.lateItems === 0)).toBe(true);
    }
  });

  it("count the items a window step drops as late", async () => {
    const out: unknown[] = [];
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));
    // Key "a": a view at 0:25 moves the watermark past the window [0:00, 0:10); the views at 0:02 and 0:03 then are late.
    const views = [["a", at(1)], ["a", at(25)], ["a", at(2)], ["b", at(4)], ["a", at(3)]];
    const flow = new Dataflow()
      .input("views", new TestingInputConfig(views))
      .reduceWindow("per_window", new EventClockConfig((time: Date) => time, 0), new TumblingWindowConfig(10_000, { startAt: at(0) }), (a: Date) => a)
      .capture(new TestingOutputConfig(out));
    const metrics = await runReading(flow, 2);
    expect(sum(metrics, "inStep", "per_window", (node) => node.itemsIn)).toBe(5);
    expect(sum(metrics, "inStep", "per_window", (node) => node.lateItems)).toBe(2);
  });
});
