import { describe, expect, it } from "vitest";
import { TestingInputConfig, ManualInputConfig } from "../../engine/configs/inputs.js";
import { ManualOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { WorkerFailedError, errorContext } from "../../engine/errors.js";
import { clusterMain, runMain } from "../../engine/api/execution.js";
import { ENTRY_POINTS, rejectionOf } from "../helpers/entryPoints.js";

class Boom extends Error {}

describe("runMain rejects with the original error thrown by user code", () => {
  const places: Record<string, (boom: Boom) => Dataflow> = {
    map: (boom) => new Dataflow().input("inp", new TestingInputConfig([1])).map(() => { throw boom; }).capture(new TestingOutputConfig([])),
    "reduce's reducer": (boom) =>
      new Dataflow().input("inp", new TestingInputConfig([["a", 1], ["a", 2]])).reduce("sum", () => { throw boom; }, () => false).capture(new TestingOutputConfig([])),
    "stateful_map's builder": (boom) =>
      new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).statefulMap("s", () => { throw boom; }, (s: number) => [s, s]).capture(new TestingOutputConfig([])),
    "an input iterator": (boom) =>
      new Dataflow().input("inp", new ManualInputConfig(function* () { yield [1, 1]; throw boom; })).capture(new TestingOutputConfig([])),
    "an input builder": (boom) => new Dataflow().input("inp", new ManualInputConfig(() => { throw boom; })).capture(new TestingOutputConfig([])),
    "an async input iterator": (boom) =>
      new Dataflow().input("inp", new ManualInputConfig(async function* () { yield [1, 1]; throw boom; })).capture(new TestingOutputConfig([])),
    "an output handler": (boom) => new Dataflow().input("inp", new TestingInputConfig([1])).capture(new ManualOutputConfig(() => () => { throw boom; })),
    "an async output handler": (boom) =>
      new Dataflow().input("inp", new TestingInputConfig([1])).capture(new ManualOutputConfig(() => async () => { throw boom; })),
    "an output builder": (boom) => new Dataflow().input("inp", new TestingInputConfig([1])).capture(new ManualOutputConfig(() => { throw boom; })),
  };
  for (const [place, build] of Object.entries(places)) {
    it(`when ${place} throws`, async () => {
      const boom = new Boom("BOOM");
      expect(await rejectionOf(runMain(build(boom)))).toBe(boom);
    });
  }

  it("names the step, the worker and the item through errorContext, without touching the error", async () => {
    const boom = Object.freeze(new Boom("frozen"));
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig([1, 2]))
      .map((x: number) => x * 10)
      .map((x: number) => {
        if (x === 20) throw boom;
        return x;
      })
      .capture(new TestingOutputConfig([]));
    const error = await rejectionOf(runMain(flow));
    expect(error).toBe(boom);
    expect(errorContext(error)).toEqual({ stepId: "map_2", op: "map", workerIndex: 0, itemPreview: "20" });
  });
});

describe("clusterMain names the failing worker and step and keeps the original error as cause", () => {
  it("wraps a user error from worker 1 of 2", async () => {
    const boom = new Boom("BOOM");
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig(["a", "b", "c", "d"]))
      .map((x: string) => {
        if (x === "b") throw boom;
        return x;
      })
      .capture(new TestingOutputConfig([]));
    const error = await rejectionOf(clusterMain(flow, [], 0, { workerCountPerProc: 2 }));
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as WorkerFailedError).cause).toBe(boom);
    expect((error as WorkerFailedError).message).toBe('Worker 1 failed in step "map_1" (map) on item "b": Error: BOOM');
    expect((error as WorkerFailedError).workerIndex).toBe(1);
    expect((error as WorkerFailedError).code).toBe("WORKER_FAILED");
  });

  it("wraps a TypeError of a keyed step, naming the step", async () => {
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig([["a", 1], "bad"]))
      .reduce("sum", (a: number, b: number) => a + b, () => true)
      .capture(new TestingOutputConfig([]));
    const error = (await rejectionOf(clusterMain(flow, [], 0, { workerCountPerProc: 2 }))) as WorkerFailedError;
    expect(error.message).toMatch(/^Worker 1 failed in step "sum" \(reduce\) on item "bad": TypeError: Step "sum" \(reduce\): Dataflow requires/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`a failing worker stops every worker (${entry.name})`, () => {
    it("stops endless inputs on every worker and releases them, instead of hanging", async () => {
      const closed: number[] = [];
      const flow = new Dataflow()
        .input("endless", new ManualInputConfig(function* (workerIndex) {
          try {
            for (let i = 0; ; i++) yield [i, [String(workerIndex), i]];
          } finally {
            closed.push(workerIndex);
          }
        }))
        .map(([worker, i]: [string, number]) => {
          if (worker === String(entry.workers - 1) && i === 1000) throw new Boom("stop");
          return [worker, i];
        })
        .statefulMap("last", () => 0, (_s: number, i: number) => [i, i])
        .capture(new TestingOutputConfig([]));
      const error = await rejectionOf(entry.run(flow));
      expect((entry.original(error) as Error).message).toBe("stop");
      expect(closed.sort()).toEqual(Array.from({ length: entry.workers }, (_, i) => i));
    });

    it("stops a worker waiting on an async input that never yields", async () => {
      let release!: () => void;
      const never = new Promise<void>((resolve) => (release = resolve));
      const flow = new Dataflow()
        .input("inp", new ManualInputConfig(async function* (workerIndex) {
          if (workerIndex === 0) {
            yield [1, "x"];
            throw new Boom("early");
          }
          await never;
        }))
        .capture(new TestingOutputConfig([]));
      const error = await rejectionOf(entry.run(flow));
      release();
      expect((entry.original(error) as Error).message).toBe("early");
    });
  });
}
