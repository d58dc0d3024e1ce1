import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { KafkaOutputConfig, ManualEpochOutputConfig, ManualOutputConfig, StdOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { systemClock } from "../../engine/ports/clock.js";
import { engineHost } from "../../engine/host/index.js";
import { execute } from "../../engine/runtime/execute.js";
import { ENTRY_POINTS, rejectionOf, sorted } from "../helpers/entryPoints.js";

for (const entry of ENTRY_POINTS) {
  describe(`outputs (${entry.name})`, () => {
    it("calls a manual output builder once per worker per capture, and its handler with each item", async () => {
      const builds: unknown[] = [];
      const seen: unknown[] = [];
      const output = (name: string) =>
        new ManualOutputConfig((index, count) => {
          builds.push([name, index, count]);
          return (item) => {
            seen.push([name, item]);
          };
        });
      const flow = new Dataflow().input("inp", new TestingInputConfig([1, 2, 3])).capture(output("first")).capture(output("second"));
      await entry.run(flow);
      expect(sorted(builds)).toEqual(sorted(["first", "second"].flatMap((name) => Array.from({ length: entry.workers }, (_, i) => [name, i, entry.workers]))));
      expect(sorted(seen)).toEqual(sorted(["first", "second"].flatMap((name) => [1, 2, 3].map((x) => [name, x]))));
    });

    it("hands an epoch output handler [epoch, item]", async () => {
      const seen: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(["a", "b"]))
        .capture(new ManualEpochOutputConfig(() => (pair) => {
          seen.push(pair);
        }));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(sorted(seen)).toEqual(entry.workers === 1 ? [[0, "a"], [1, "b"]] : [[0, "a"], [0, "b"]]);
    });

    it("awaits an async handler before handing it the next item, and before the epoch closes", async () => {
      const log: string[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([1, 2, 3, 4, 5, 6]))
        .capture(new ManualOutputConfig((index) => async (item: number) => {
          log.push(`start ${index}:${item}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
          log.push(`end ${index}:${item}`);
        }))
        .inspectEpoch((epoch: number, item: number) => {
          log.push(`after capture ${epoch}:${item}`);
        })
        .capture(new TestingOutputConfig([]));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      for (let w = 0; w < entry.workers; w++) {
        const mine = log.filter((line) => line.startsWith("start") || line.startsWith("end")).filter((line) => line.includes(` ${w}:`));
        for (let i = 0; i < mine.length; i += 2) {
          expect(mine[i]!.replace("start", "")).toBe(mine[i + 1]!.replace("end", ""));
        }
      }
      // An item reaches the steps after the capture only once its write has finished.
      for (const item of [1, 2, 3, 4, 5, 6]) {
        const end = log.findIndex((line) => line.startsWith("end") && line.endsWith(`:${item}`));
        const after = log.findIndex((line) => line.startsWith("after capture") && line.endsWith(`:${item}`));
        expect(after).toBeGreaterThan(end);
      }
    });

    it("writes strings as they are and other values as JSON, one per line, to standard output", async () => {
      const written: string[] = [];
      const flow = new Dataflow().input("inp", new TestingInputConfig(["plain", 42, { a: [1, "x"] }, null])).capture(new StdOutputConfig());
      await entry.run(flow, { host: { clock: systemClock, writeStdout: (text) => void written.push(text) } });
      const lines = written.join("").split("\n");
      expect(lines.pop()).toBe("");
      expect(lines.sort()).toEqual(['{"a":[1,"x"]}', "42", "null", "plain"].sort());
    });

    it("refuses to write a value that has no text form to standard output", async () => {
      const flow = new Dataflow().input("inp", new TestingInputConfig([undefined])).capture(new StdOutputConfig());
      const error = entry.original(await rejectionOf(entry.run(flow, { host: { clock: systemClock, writeStdout: () => {} } }))) as TypeError;
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(
        'Step "capture_1" (capture): items written to standard output must be strings or JSON-serializable values; got `undefined` instead',
      );
    });

    it("refuses an output builder that does not return a function", async () => {
      const flow = new Dataflow().input("inp", new TestingInputConfig([1])).capture(new ManualOutputConfig(() => 5 as never));
      const error = entry.original(await rejectionOf(entry.run(flow))) as Error;
      expect(error.message).toBe('Step "capture_1" (capture): the output builder must return a function; got `5` instead');
    });
  });
}

describe("outputs that need Node", () => {
  it("a Kafka output on the engine's own host (a browser's) fails at run time with a clear message", async () => {
    const flow = new Dataflow().input("inp", new TestingInputConfig([1])).capture(new KafkaOutputConfig(["127.0.0.1:9092"], "out"));
    const error = (await rejectionOf(execute(flow, { workerCount: 1, errors: "original", host: engineHost() }))) as Error & { code: string };
    expect(error.message).toBe(
      'Step "capture_1" (capture): Kafka output needs Node: a browser cannot connect to Kafka brokers (run the flow with the eddy runner, or import eddy/execution in Node; in the studio, give the step a sample)',
    );
    expect(error.code).toBe("ADAPTER_MISSING");
  });
});

describe("TestingOutputConfig", () => {
  it("appends items from every worker to the same array", async () => {
    const out: unknown[] = [];
    await ENTRY_POINTS[2]!.run(new Dataflow().input("inp", new TestingInputConfig([1, 2, 3, 4, 5])).capture(new TestingOutputConfig(out)));
    expect(sorted(out)).toEqual([1, 2, 3, 4, 5]);
  });
});
