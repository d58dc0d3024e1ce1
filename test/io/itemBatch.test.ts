/**
 * `ItemBatch`: a manual input may yield several items at once with one resume state, from sync and
 * async builders; the output and a resume are the same as with one item per yield.
 */

import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { ItemBatch, ManualInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { runMain } from "../../engine/api/execution.js";

function batches(size: number, total: number, reuse = false) {
  return function* (_worker: number, _workers: number, resume: unknown) {
    const buffer: number[] = [];
    for (let start = typeof resume === "number" ? resume : 0; start < total; start += size) {
      const items = reuse ? buffer : [];
      items.length = 0;
      for (let i = start; i < Math.min(total, start + size); i++) items.push(i);
      yield [Math.min(total, start + size), new ItemBatch(items)];
    }
  };
}

describe("ItemBatch", () => {
  it("gives every item of every batch, in order, even when the source reuses its array", async () => {
    for (const reuse of [false, true]) {
      const out: unknown[] = [];
      await runMain(new Dataflow().input("in", new ManualInputConfig(batches(7, 100, reuse))).map((x: number) => x * 2).capture(new TestingOutputConfig(out)));
      expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    }
  });

  it("works from an async builder and mixes with single items", async () => {
    const out: unknown[] = [];
    const input = new ManualInputConfig(async function* () {
      yield [1, new ItemBatch(["a", "b"])];
      yield [2, "c"];
      yield [3, new ItemBatch([])];
      yield [4, new ItemBatch(["d"])];
    });
    await runMain(new Dataflow().input("in", input).capture(new TestingOutputConfig(out)));
    expect(out).toEqual(["a", "b", "c", "d"]);
  });

  it("resumes from the state yielded with the last batch read", async () => {
    const recoveryConfig = new MemoryRecoveryConfig();
    const epochConfig = new TestingEpochConfig();
    let failOn = 42;
    const out: number[] = [];
    const flow = () =>
      new Dataflow()
        .input("in", new ManualInputConfig(batches(10, 50)))
        .map((x: number) => {
          if (x === failOn) throw new Error("boom");
          return x;
        })
        .capture(new TestingOutputConfig(out));
    await expect(runMain(flow(), { recoveryConfig, epochConfig })).rejects.toThrow("boom");
    failOn = -1;
    await runMain(flow(), { recoveryConfig, epochConfig });
    // Testing epochs: each batch is one epoch; the failed batch (40-49) is read again, nothing before it is lost.
    expect(new Set(out)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => i)));
    expect(out.filter((x) => x < 40).length).toBe(40);
  });

  it("refuses a batch that is not an array", () => {
    expect(() => new ItemBatch("abc" as unknown as unknown[])).toThrow(/ItemBatch: expected an array/);
  });
});
