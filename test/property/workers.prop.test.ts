/**
 * Property: a keyed workload gives the same multiset of outputs on 1, 2, 3 and 4 workers.
 *
 * Two shapes of input. Keyed partitions (as from Kafka): each key's items come from one worker,
 * in order, so even order-sensitive steps (running sums, reduce, testing-clock windows) agree.
 * Round-robin input (TestingInputConfig): a key's items arrive from several workers in any order,
 * so the flow uses only order-insensitive results (stateless steps, sums per event-time window).
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PeriodicEpochConfig, TestingEpochConfig, type EpochConfig } from "../../engine/configs/epochs.js";
import { ManualInputConfig, TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { entryPointFor, sorted } from "../helpers/entryPoints.js";

type Event = { key: number; value: number };

const events = fc.array(fc.record({ key: fc.integer({ min: 0, max: 12 }), value: fc.integer({ min: -50, max: 50 }) }), { maxLength: 120 });
const epochConfigs = fc.constantFrom<[string, () => EpochConfig]>(["testing", () => new TestingEpochConfig()], ["periodic", () => new PeriodicEpochConfig(10_000)]);

/** Worker w reads, in order, the events of the keys with key % workerCount === w. */
function keyedPartitions(all: readonly Event[]): ManualInputConfig {
  return new ManualInputConfig(function* (workerIndex, workerCount) {
    let n = 0;
    for (const event of all) if (event.key % workerCount === workerIndex) yield [++n, event];
  });
}

function orderSensitiveFlow(input: ManualInputConfig, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("events", input)
    .map((e: Event) => [`k${e.key}`, e.value])
    .statefulMap("running", () => 0, (sum: number, v: number) => [sum + v, sum + v])
    .capture(new TestingOutputConfig(out))
    .map(([key, sum]: [string, number]) => [key, Math.abs(sum) % 7])
    .reduce("groups", (acc: number, v: number) => acc + v, (acc: number) => acc > 10)
    .capture(new TestingOutputConfig(out))
    .foldWindow("windows", new TestingClockConfig(1_000, 0), new TumblingWindowConfig(3_000, { startAt: 0 }), () => [] as number[], (acc: number[], v: number) => [...acc, v])
    .capture(new TestingOutputConfig(out));
}

function orderInsensitiveFlow(input: TestingInputConfig, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("events", input)
    .filter((e: Event) => e.value !== 0)
    .flatMap((e: Event) => (e.value % 3 === 0 ? [e, e] : [e]))
    .map((e: Event) => [`k${e.key % 5}`, { at: Math.abs(e.value) * 100, v: e.value }])
    .capture(new TestingOutputConfig(out))
    .reduceWindow(
      "sums",
      new EventClockConfig((x: { at: number }) => x.at, 1e12),
      new TumblingWindowConfig(1_000, { startAt: 0 }),
      (a: { at: number; v: number }, b: { at: number; v: number }) => ({ at: Math.min(a.at, b.at), v: a.v + b.v }),
    )
    .capture(new TestingOutputConfig(out));
}

async function outputsOn(workers: number, build: (out: unknown[]) => Dataflow, epochConfig: EpochConfig): Promise<unknown[]> {
  const out: unknown[] = [];
  await entryPointFor(workers).run(build(out), { epochConfig });
  return sorted(out);
}

describe("the same workload on 1, 2, 3 and 4 workers", () => {
  it("gives the same multiset of outputs for keyed partitions, order-sensitive steps included", async () => {
    await fc.assert(
      fc.asyncProperty(events, epochConfigs, async (all, [, epochConfig]) => {
        const one = await outputsOn(1, (out) => orderSensitiveFlow(keyedPartitions(all), out), epochConfig());
        for (const workers of [2, 3, 4]) {
          expect(await outputsOn(workers, (out) => orderSensitiveFlow(keyedPartitions(all), out), epochConfig())).toEqual(one);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("gives the same multiset of outputs for round-robin input and order-insensitive steps", async () => {
    await fc.assert(
      fc.asyncProperty(events, epochConfigs, async (all, [, epochConfig]) => {
        const one = await outputsOn(1, (out) => orderInsensitiveFlow(new TestingInputConfig(all), out), epochConfig());
        for (const workers of [2, 3, 4]) {
          expect(await outputsOn(workers, (out) => orderInsensitiveFlow(new TestingInputConfig(all), out), epochConfig())).toEqual(one);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("the outputs are those of a direct model of the flow", async () => {
    await fc.assert(
      fc.asyncProperty(events, async (all) => {
        const out = await outputsOn(3, (o) => new Dataflow().input("events", keyedPartitions(all)).map((e: Event) => [`k${e.key}`, e.value]).statefulMap("running", () => 0, (s: number, v: number) => [s + v, s + v]).capture(new TestingOutputConfig(o)), new TestingEpochConfig());
        const sums = new Map<string, number>();
        const expected = all.map((e) => {
          const key = `k${e.key}`;
          const sum = (sums.get(key) ?? 0) + e.value;
          sums.set(key, sum);
          return [key, sum];
        });
        expect(out).toEqual(sorted(expected));
      }),
      { numRuns: 30 },
    );
  });
});
