import { describe, expect, it } from "vitest";
import { PeriodicEpochConfig, TestingEpochConfig } from "../../engine/configs/epochs.js";
import { ManualInputConfig, TestingInputConfig } from "../../engine/configs/inputs.js";
import { ManualEpochOutputConfig, TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { ENTRY_POINTS, sorted } from "../helpers/entryPoints.js";

/** A sync input that says "no data yet" until the clock reaches each item's arrival time. */
function arrivingAt(clock: VirtualClock, arrivals: readonly [time: number, item: unknown][]): ManualInputConfig {
  return new ManualInputConfig(function* (workerIndex) {
    if (workerIndex !== 0) return;
    for (const [i, [time, item]] of arrivals.entries()) {
      while (clock.now() < time) yield undefined;
      yield [i + 1, item];
    }
  });
}

for (const entry of ENTRY_POINTS) {
  describe(`testing epochs (${entry.name})`, () => {
    it("puts item n of each worker in epoch n", async () => {
      const out: unknown[] = [];
      const items = Array.from({ length: 12 }, (_, i) => i);
      await entry.run(new Dataflow().input("inp", new TestingInputConfig(items)).capture(new TestingEpochOutputConfig(out)), {
        epochConfig: new TestingEpochConfig(),
      });
      expect(sorted(out)).toEqual(sorted(items.map((i) => [Math.floor(i / entry.workers), i])));
    });

    it("reads an item only after every worker has finished every earlier epoch", async () => {
      const log: string[] = [];
      const flow = new Dataflow()
        .input("inp", new ManualInputConfig(function* (workerIndex) {
          for (let i = 0; i < 3; i++) {
            log.push(`read ${i}`);
            yield [i, [`k${workerIndex}`, i]];
          }
        }))
        .statefulMap("seen", () => 0, (_s: number, i: number) => [i, i])
        .capture(new ManualEpochOutputConfig(() => ([epoch]) => {
          log.push(`wrote epoch ${epoch}`);
        }));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      // Every read of item i+1 comes after every write of epoch i, on all workers.
      for (let i = 0; i < 2; i++) {
        const lastWrite = log.lastIndexOf(`wrote epoch ${i}`);
        const firstNextRead = log.indexOf(`read ${i + 1}`);
        expect(lastWrite).toBeGreaterThanOrEqual(0);
        expect(firstNextRead).toBeGreaterThan(lastWrite);
      }
      expect(log.filter((line) => line.startsWith("wrote"))).toHaveLength(3 * entry.workers);
    });
  });

  describe(`periodic epochs (${entry.name})`, () => {
    it("closes an epoch every epochLength ms of system time, even while the input is idle", async () => {
      const clock = new VirtualClock(0);
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", arrivingAt(clock, [[0, "a"], [30, "b"], [150, "c"], [420, "d"]]))
        .capture(new TestingEpochOutputConfig(out));
      await entry.run(flow, { epochConfig: new PeriodicEpochConfig(100), host: { clock } });
      // Epochs span [0,101), [101,202), [202,303), [303,404), [404,505): epochs 2 and 3 pass with no items.
      expect(out).toEqual([[0, "a"], [0, "b"], [1, "c"], [4, "d"]]);
    });

    it("keeps every item of an input in one epoch when the input ends before the epoch does", async () => {
      const out: unknown[] = [];
      const items = Array.from({ length: 5000 }, (_, i) => i);
      await entry.run(new Dataflow().input("inp", new TestingInputConfig(items)).capture(new TestingEpochOutputConfig(out)), {
        epochConfig: new PeriodicEpochConfig(60_000),
      });
      expect(new Set((out as [number, number][]).map(([epoch]) => epoch))).toEqual(new Set([0]));
      expect(out).toHaveLength(5000);
    });
  });
}

describe("determinism", () => {
  it("gives identical output, order included, for two runs under testing epochs and a testing clock", async () => {
    const { TestingClockConfig, TumblingWindowConfig } = await import("../../engine/configs/window.js");
    const run = async (workers: number) => {
      const out: unknown[] = [];
      const items = Array.from({ length: 300 }, (_, i) => [`k${(i * 7) % 13}`, i]);
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(items))
        .map(([k, v]: [string, number]) => [k, v * 2])
        .statefulMap("running", () => 0, (s: number, v: number) => [s + v, s + v])
        .map(([k, v]: [string, number]) => [k, v % 100])
        .foldWindow("window", new TestingClockConfig(1000, 0), new TumblingWindowConfig(5000, { startAt: 0 }), () => [], (acc: number[], v: number) => [...acc, v])
        .capture(new TestingEpochOutputConfig(out));
      await ENTRY_POINTS.find((e) => e.workers === workers)!.run(flow, { epochConfig: new TestingEpochConfig() });
      return out;
    };
    for (const workers of [1, 2, 4]) {
      const first = await run(workers);
      expect(first.length).toBeGreaterThan(0);
      expect(await run(workers)).toEqual(first);
    }
  });

  it("an idle periodic run advances epochs without items and still finishes", async () => {
    const clock = new VirtualClock(1_000_000);
    const out: unknown[] = [];
    const flow = new Dataflow().input("inp", arrivingAt(clock, [[1_000_000 + 55_000, "late"]])).capture(new TestingOutputConfig(out));
    await ENTRY_POINTS[0]!.run(flow, { host: { clock } });
    expect(out).toEqual(["late"]);
    expect(clock.now()).toBeGreaterThanOrEqual(1_055_000);
  });
});

describe("PeriodicEpochConfig", () => {
  it("refuses an epoch of length 0 or less (issue 10, point 11), as the flow schema and --epoch-length do", () => {
    for (const length of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new PeriodicEpochConfig(length)).toThrow(/more than 0/);
    }
    expect(new PeriodicEpochConfig(0.5).epochLength).toBe(0.5);
  });
});
