import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ENTRY_POINTS, sorted } from "../helpers/entryPoints.js";

for (const entry of ENTRY_POINTS) {
  describe(`stateless operators (${entry.name})`, () => {
    it("map transforms each item one to one", async () => {
      const out: unknown[] = [];
      await entry.run(new Dataflow().input("inp", new TestingInputConfig([0, 1, 2])).map((x: number) => x * 10).capture(new TestingOutputConfig(out)));
      expect(sorted(out)).toEqual([0, 10, 20]);
    });

    it("flat_map emits every element of the returned iterable, generators included", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(["a b", "c", ""]))
        .flatMap((line: string) => line.split(" ").filter(Boolean))
        .flatMap(function* (word: string) {
          yield word;
          yield word.toUpperCase();
        })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(sorted(out)).toEqual(["A", "B", "C", "a", "b", "c"]);
    });

    it("flat_map emits each element in the epoch of the item it came from", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([2, 3]))
        .flatMap((n: number) => Array.from({ length: n }, (_, i) => `${n}.${i}`))
        .capture(new TestingEpochOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      const epochOf = new Map((out as [number, string][]).map(([epoch, item]) => [item, epoch]));
      // Item n of a worker is in epoch n: with one worker 3 is the second item, else each worker's first.
      const epochOfThree = entry.workers === 1 ? 1 : 0;
      expect(Object.fromEntries(epochOf)).toEqual({ "2.0": 0, "2.1": 0, "3.0": epochOfThree, "3.1": epochOfThree, "3.2": epochOfThree });
    });

    it("filter keeps exactly the items for which the predicate returns true", async () => {
      const out: unknown[] = [];
      // Bytewax's docstring claims 1 and 3 for range(3); the real output is 1.
      await entry.run(new Dataflow().input("inp", new TestingInputConfig([0, 1, 2])).filter((x: number) => x % 2 === 1).capture(new TestingOutputConfig(out)));
      expect(out).toEqual([1]);
    });

    it("inspect sees each item and passes it on unchanged, ignoring its return value", async () => {
      const seen: unknown[] = [];
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([0, 1, 2]))
        .inspect((x: number) => {
          seen.push(`Saw ${x}`);
          return "ignored";
        })
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(sorted(seen)).toEqual(["Saw 0", "Saw 1", "Saw 2"]);
      expect(sorted(out)).toEqual([0, 1, 2]);
    });

    it("inspect_epoch is called with each item's epoch", async () => {
      const seen: [number, unknown][] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(["a", "b", "c", "d"]))
        .inspectEpoch((epoch: number, item: unknown) => {
          seen.push([epoch, item]);
        })
        .capture(new TestingOutputConfig([]));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      // TestingInputConfig deals items round-robin; item n of each worker is in epoch n.
      const expected = ["a", "b", "c", "d"].map((item, i) => [Math.floor(i / entry.workers), item]);
      expect(sorted(seen)).toEqual(sorted(expected));
    });

    it("capture passes items on unchanged, so a flow may capture several times", async () => {
      const first: unknown[] = [];
      const second: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([1, 2, 3]))
        .capture(new TestingOutputConfig(first))
        .map((x: number) => x + 100)
        .capture(new TestingOutputConfig(second));
      await entry.run(flow);
      expect(sorted(first)).toEqual([1, 2, 3]);
      expect(sorted(second)).toEqual([101, 102, 103]);
    });
  });
}

describe("the current stream", () => {
  it("an input step starts a new stream: earlier steps keep only what they captured", async () => {
    const firstOut: unknown[] = [];
    const secondOut: unknown[] = [];
    const flow = new Dataflow()
      .input("first", new TestingInputConfig([1, 2]))
      .map((x: number) => x * 2)
      .capture(new TestingOutputConfig(firstOut))
      .input("second", new TestingInputConfig(["x"]))
      .map((s: string) => s.toUpperCase())
      .capture(new TestingOutputConfig(secondOut));
    await ENTRY_POINTS[0]!.run(flow);
    expect(firstOut).toEqual([2, 4]);
    expect(secondOut).toEqual(["X"]);
  });

  it("steps added before any input see no items", async () => {
    const before: unknown[] = [];
    const after: unknown[] = [];
    const flow = new Dataflow()
      .map((x: unknown) => ["before", x])
      .capture(new TestingOutputConfig(before))
      .input("inp", new TestingInputConfig([1]))
      .capture(new TestingOutputConfig(after));
    await ENTRY_POINTS[0]!.run(flow);
    expect(before).toEqual([]);
    expect(after).toEqual([1]);
  });
});
