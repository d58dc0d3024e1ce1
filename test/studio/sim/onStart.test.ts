/**
 * `execute`'s `onStart` hook: called once recovery is prepared, with the start epoch and whether
 * that resumes earlier progress.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../../engine/configs/recovery.js";
import { Dataflow } from "../../../engine/dataflow/dataflow.js";
import { execute, type StartInfo } from "../../../engine/runtime/execute.js";

function flow(out: unknown[]): Dataflow {
  return new Dataflow().input("in", new TestingInputConfig([1, 2, 3, 4])).capture(new TestingOutputConfig(out));
}

describe("execute's onStart hook", () => {
  it("says epoch 0, not resumed, without recovery", async () => {
    const calls: StartInfo[] = [];
    await execute(flow([]), { workerCount: 2, errors: "original", onStart: (info) => calls.push(info) });
    expect(calls).toEqual([{ startEpoch: 0, resumed: false }]);
  });

  it("says the resume epoch when recovery finds earlier progress, before any item is read", async () => {
    const recoveryConfig = new MemoryRecoveryConfig();
    const epochConfig = new TestingEpochConfig();
    const calls: StartInfo[] = [];
    const first: unknown[] = [];
    let seenAtStart: number | undefined;
    const onStart = (info: StartInfo) => {
      calls.push(info);
      seenAtStart = first.length;
    };
    await execute(flow(first), { workerCount: 1, epochConfig, recoveryConfig, errors: "original", onStart });
    expect(seenAtStart).toBe(0);
    expect(first).toEqual([1, 2, 3, 4]);
    const second: unknown[] = [];
    await execute(flow(second), { workerCount: 1, epochConfig, recoveryConfig, errors: "original", onStart: (info) => calls.push(info) });
    // Testing epochs: one item per epoch, so epochs 0-3 were committed and the re-run has nothing left.
    expect(calls).toEqual([
      { startEpoch: 0, resumed: false },
      { startEpoch: 4, resumed: true },
    ]);
    expect(second).toEqual([]);
  });

  it("a throwing hook fails the run with its error, before any worker starts", async () => {
    const out: unknown[] = [];
    const boom = new Error("hook");
    await expect(execute(flow(out), { workerCount: 1, errors: "wrapped", onStart: () => { throw boom; } })).rejects.toBe(boom);
    expect(out).toEqual([]);
  });
});
