import { describe, expect, it } from "vitest";
import { PeriodicEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { StdOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { EddyError } from "../../engine/errors.js";
import { clusterMain, runMain, spawnCluster } from "../../engine/api/execution.js";
import { ENTRY_POINTS, rejectionOf } from "../helpers/entryPoints.js";

for (const entry of ENTRY_POINTS) {
  describe(`flows are checked before they run (${entry.name})`, () => {
    it("refuses a flow without an input, checking that before the capture", async () => {
      const error = await rejectionOf(entry.run(new Dataflow().map((x: unknown) => x)));
      expect(error).toBeInstanceOf(EddyError);
      expect((error as EddyError).message).toBe("Dataflow needs to contain at least one input");
      expect((error as EddyError).code).toBe("FLOW_NO_INPUT");
    });

    it("refuses a flow without a capture, without reading its input", async () => {
      let read = false;
      const items = {
        *[Symbol.iterator]() {
          read = true;
          yield 1;
        },
      };
      const error = await rejectionOf(entry.run(new Dataflow().input("inp", new TestingInputConfig(items))));
      expect((error as EddyError).message).toBe("Dataflow needs to contain at least one capture");
      expect((error as EddyError).code).toBe("FLOW_NO_CAPTURE");
      expect(read).toBe(false);
    });
  });
}

describe("steps are checked when they are added", () => {
  it("refuses a function argument that is not callable", () => {
    expect(() => new Dataflow().map(5 as never)).toThrowError("map: `mapper` must be a function; got `5` instead");
    expect(() => new Dataflow().reduce("r", (a: number) => a, "no" as never)).toThrowError('reduce: `isComplete` must be a function; got `"no"` instead');
    expect(() => new Dataflow().statefulMap("s", undefined as never, () => [0, 0])).toThrowError("statefulMap: `builder` must be a function; got `undefined` instead");
  });

  it("refuses a config of the wrong kind", () => {
    expect(() => new Dataflow().input("inp", new StdOutputConfig() as never)).toThrowError(/input: expected a InputConfig; got `StdOutputConfig/);
    expect(() => new Dataflow().capture({ type: "testing" } as never)).toThrowError(/capture: expected a OutputConfig/);
  });

  it("refuses an empty step id", () => {
    expect(() => new Dataflow().input("", new TestingInputConfig([]))).toThrowError("input: the step id must be a non-empty string; got `\"\"` instead");
  });

  it("methods return the dataflow so calls chain", () => {
    const flow = new Dataflow();
    expect(flow.input("inp", new TestingInputConfig([])).map((x: unknown) => x).capture(new TestingOutputConfig([]))).toBe(flow);
    expect(flow.steps.map((step) => step.op)).toEqual(["input", "map", "capture"]);
  });
});

describe("execution options", () => {
  const flow = () => new Dataflow().input("inp", new TestingInputConfig([1])).capture(new TestingOutputConfig([]));

  it("the engine's clusterMain with addresses fails clearly instead of hanging: TCP clusters need Node's entry", async () => {
    const error = (await rejectionOf(clusterMain(flow(), ["localhost:2101", "localhost:2102"], 0))) as EddyError;
    expect(error.code).toBe("NOT_SUPPORTED");
    expect(error.message).toMatch(/TCP clusters .* need Node/);
  });

  it("the engine's spawnCluster fails clearly: it needs Node's entry", async () => {
    const error = (await rejectionOf(spawnCluster(flow(), { procCount: 2 }))) as EddyError;
    expect(error.code).toBe("NOT_SUPPORTED");
    expect(error.message).toMatch(/^spawnCluster needs Node/);
  });

  it("clusterMain ignores the process id when it runs workers in this process", async () => {
    const out: unknown[] = [];
    await clusterMain(new Dataflow().input("inp", new TestingInputConfig([1, 2, 3])).capture(new TestingOutputConfig(out)), [], 7, { workerCountPerProc: 3 });
    expect(out.sort()).toEqual([1, 2, 3]);
  });

  it("refuses a worker count that is not a positive integer", async () => {
    for (const bad of [0, -1, 1.5]) {
      const error = (await rejectionOf(clusterMain(flow(), [], 0, { workerCountPerProc: bad }))) as EddyError;
      expect(error.message).toBe(`workerCountPerProc must be a positive integer; got ${bad}`);
    }
  });

  it("refuses a negative epoch length", () => {
    expect(() => new PeriodicEpochConfig(-5)).toThrowError("Invalid epoch length: -5");
  });

  it("runMain and clusterMain run with the default 10 s periodic epochs", async () => {
    const out: unknown[] = [];
    await runMain(new Dataflow().input("inp", new TestingInputConfig(["x"])).capture(new TestingOutputConfig(out)));
    expect(out).toEqual(["x"]);
  });
});
