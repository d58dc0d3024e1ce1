import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ENTRY_POINTS, fromWorkerZero, sorted } from "../helpers/entryPoints.js";

for (const entry of ENTRY_POINTS) {
  describe(`stateful_map (${entry.name})`, () => {
    it("builds a key's state by calling the builder with no arguments", async () => {
      const builderArgs: number[] = [];
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1], ["b", 2], ["a", 3]]))
        .statefulMap(
          "running",
          function (this: unknown, ...args: unknown[]) {
            builderArgs.push(args.length);
            return 0;
          },
          (sum: number, v: number) => [sum + v, sum + v],
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow, { epochConfig: new TestingEpochConfig() });
      expect(builderArgs).toEqual([0, 0]);
      expect(sorted(out)).toEqual([["a", 1], ["a", 4], ["b", 2]]);
    });

    it("emits [key, out] for every value, even when out is undefined", async () => {
      const out: unknown[] = [];
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1], ["a", 2]]))
        .statefulMap("nothing", () => 0, (state: number) => [state, undefined])
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(out).toEqual([["a", undefined], ["a", undefined]]);
    });

    it("forgets a key whose state becomes null, and builds it again on the next value, even within the same epoch", async () => {
      let builds = 0;
      const out: unknown[] = [];
      // Bytewax's keep-max test flow: a state of null forgets the key.
      const flow = new Dataflow()
        .input("inp", fromWorkerZero([["k", 3], ["k", 5], ["k", -1], ["k", 2]]))
        .statefulMap(
          "keep_max",
          () => {
            builds += 1;
            return null;
          },
          (max: number | null, value: number) => {
            if (value < 0) return [null, "reset"];
            const next = max === null ? value : Math.max(max, value);
            return [next, next];
          },
        )
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      expect(out).toEqual([["k", 3], ["k", 5], ["k", "reset"], ["k", 2]]);
      expect(builds).toBe(2);
    });

    it("keeps separate state for each key", async () => {
      const out: unknown[] = [];
      const items = Array.from({ length: 40 }, (_, i) => [`key${i % 7}`, 1]);
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(items))
        .statefulMap("count", () => 0, (n: number, v: number) => [n + v, n + v])
        .capture(new TestingOutputConfig(out));
      await entry.run(flow);
      const finals = new Map<string, number>();
      for (const [key, n] of out as [string, number][]) finals.set(key, Math.max(finals.get(key) ?? 0, n));
      expect(Object.fromEntries(finals)).toEqual({ key0: 6, key1: 6, key2: 6, key3: 6, key4: 6, key5: 5, key6: 5 });
    });
  });
}
