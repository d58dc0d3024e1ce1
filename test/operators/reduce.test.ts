import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";

for (const entry of ENTRY_POINTS) {
  describe(`reduce (${entry.name})`, () => {
    it("starts a key's accumulator with its first value without calling the reducer", async () => {
      const calls: unknown[] = [];
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1], ["b", 10], ["a", 2], ["a", 3]]))
        .reduce(
          "sum",
          (acc: number, value: number) => {
            calls.push([acc, value]);
            return acc + value;
          },
          (acc: number) => acc === 6,
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(out).toEqual([["a", 6]]);
      // The reducer ran only for the 2nd and 3rd values of "a"; "b" never needed it.
      expect(calls).toHaveLength(2);
    });

    it("calls isComplete after every value, including the first, and emits and forgets a complete accumulator", async () => {
      const checked: unknown[] = [];
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["k", "x"], ["k", "."], ["k", "y"], ["k", "."]]))
        .reduce(
          "words",
          (acc: string, value: string) => acc + value,
          (acc: string) => {
            checked.push(acc);
            return acc.endsWith(".");
          },
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(out).toEqual([["k", "x."], ["k", "y."]]);
      expect(checked).toEqual(["x", "x.", "y", "y."]);
    });

    it("emits a complete accumulator in the epoch of the value that completed it", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1], ["a", 1], ["a", 1]]))
        .reduce("count", (acc: number, v: number) => acc + v, (acc: number) => acc === 3)
        .capture(new TestingEpochOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      // The third item is at epoch 2 on one worker, at epoch 0 (worker 2's first) with 4 workers.
      const epochOfThird = entry.workers === 1 ? 2 : entry.workers === 2 ? 1 : 0;
      expect(out).toEqual([[epochOfThird, ["a", 3]]]);
    });

    it("emits nothing for accumulators still incomplete at end of input", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1], ["b", 2], ["a", 3]]))
        .reduce("sum", (acc: number, v: number) => acc + v, () => false)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(out).toEqual([]);
    });

    it("keeps state separately per step: two steps never share a key's accumulator", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1], ["a", 2]]))
        .reduce("first", (acc: number, v: number) => acc + v, (acc: number) => acc === 3)
        .map(([key, total]: [string, number]) => [key, total * 100])
        .reduce("second", (acc: number, v: number) => acc + v, () => true)
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(sorted(out)).toEqual([["a", 300]]);
    });
  });
}
