import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { KafkaInputConfig, ManualInputConfig, TestingInputConfig, distribute } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { createTestingReader } from "../../engine/connectors/testingInput.js";
import { DONE } from "../../engine/ports/source.js";
import { ENTRY_POINTS, rejectionOf, sorted } from "../helpers/entryPoints.js";

describe("distribute", () => {
  it("gives worker i the elements whose position modulo the count is i", () => {
    expect([...distribute(["blue", "green", "red"], 0, 2)]).toEqual(["blue", "red"]);
    expect([...distribute(["blue", "green", "red"], 1, 2)]).toEqual(["green"]);
    expect([...distribute(["blue", "green", "red"], 3, 5)]).toEqual([]);
    expect([...distribute(["a", "b", "c"], 0, 2)]).toEqual(["a", "c"]);
  });

  it("refuses an index that is not below the count", () => {
    expect(() => [...distribute([1], 2, 2)]).toThrowError("Highest index should only be 1; got 2");
  });
});

describe("TestingInputConfig readers", () => {
  for (const [name, make] of [
    ["an array", (xs: number[]) => xs],
    ["a non-array iterable", (xs: number[]) => new Set(xs)],
  ] as const) {
    it(`skips the items a worker already consumed, from its resume state (${name})`, () => {
      const items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const reader = createTestingReader(make(items), 1, 3, 2);
      expect(reader.poll(10)).toEqual([7]);
      expect(reader.snapshot()).toBe(3);
      expect(reader.poll(10)).toBe(DONE);
    });

    it(`counts consumed items as its resume state (${name})`, () => {
      const reader = createTestingReader(make([10, 11, 12, 13, 14]), 0, 2, undefined);
      expect(reader.poll(2)).toEqual([10, 12]);
      expect(reader.snapshot()).toBe(2);
      expect(reader.poll(2)).toEqual([14]);
      expect(reader.snapshot()).toBe(3);
    });
  }

  it("its Bytewax-style builder yields [count, item] pairs and honours the resume state", () => {
    const config = new TestingInputConfig(["a", "b", "c", "d", "e"]);
    expect([...(config.inputBuilder(0, 2, undefined) as Iterable<unknown>)]).toEqual([[1, "a"], [2, "c"], [3, "e"]]);
    expect([...(config.inputBuilder(0, 2, 2) as Iterable<unknown>)]).toEqual([[3, "e"]]);
  });
});

for (const entry of ENTRY_POINTS) {
  describe(`manual inputs (${entry.name})`, () => {
    it("calls the builder once per worker with its index, the worker count and no resume state", async () => {
      const calls: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new ManualInputConfig((index, count, resume) => {
          calls.push([index, count, resume]);
          return [];
        }))
        .capture(new TestingOutputConfig([]));
      await entry.run(flow);
      expect(sorted(calls)).toEqual(sorted(Array.from({ length: entry.workers }, (_, i) => [i, entry.workers, undefined])));
    });

    it("treats a bare yield as 'no data yet' and polls again", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new ManualInputConfig(function* (index) {
          for (let i = 0; i < 3; i++) {
            yield undefined;
            yield undefined;
            yield [i, `${index}:${i}`];
          }
        }))
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(sorted(out)).toEqual(sorted(Array.from({ length: entry.workers }, (_, w) => [0, 1, 2].map((i) => `${w}:${i}`)).flat()));
    });

    it("reads async iterables, bare yields included, without blocking the other workers", async () => {
      const out: unknown[] = [];
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const flow = new Dataflow()
        .input("inp", new ManualInputConfig(async function* (index) {
          for (let i = 0; i < 5; i++) {
            if (i === 2) yield undefined;
            await sleep(index === 0 ? 5 : 1);
            yield [i, [`w${index}`, i]];
          }
        }))
        .statefulMap("sum", () => 0, (s: number, v: number) => [s + v, s + v])
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      const expected = Array.from({ length: entry.workers }, (_, w) => [0, 1, 3, 6, 10].map((s) => [`w${w}`, s])).flat();
      expect(sorted(out)).toEqual(sorted(expected));
    });

    it("rejects with what the iterator threw, after emitting the items before it", async () => {
      const out: unknown[] = [];
      const boom = new Error("line 3 is broken");
      const flow = new Dataflow()
        .input("lines", new ManualInputConfig(function* (index) {
          yield [1, `${index}-1`];
          yield [2, `${index}-2`];
          if (index === 0) throw boom;
        }))
        .capture(new TestingOutputConfig(out));
      const error = await rejectionOf(entry.run(flow, { epochConfig: new TestingEpochConfig() }));
      expect(entry.original(error)).toBe(boom);
      expect(out).toEqual(expect.arrayContaining(["0-1", "0-2"]));
    });
  });
}

describe("Kafka inputs on a host without them", () => {
  it("a Kafka input fails on the engine's own host (the browser's) with a clear message", async () => {
    const flow = new Dataflow().input("kafka_in", new KafkaInputConfig(["127.0.0.1:9092"], "topic")).capture(new TestingOutputConfig([]));
    const error = (await rejectionOf(ENTRY_POINTS[0]!.run(flow))) as Error & { code: string };
    expect(error.message).toBe(
      'Step "kafka_in" (input): Kafka input needs Node: a browser cannot connect to Kafka brokers (run the flow with the eddy runner, or import eddy/execution in Node; in the studio, give the step a sample)',
    );
    expect(error.code).toBe("ADAPTER_MISSING");
  });

  it("a Kafka input refuses an unknown starting offset", () => {
    expect(() => new KafkaInputConfig(["b"], "t", { startingOffset: "middle" as never })).toThrowError(
      'startingOffset should be either "beginning" or "end"; got "middle"',
    );
  });
});
