/**
 * Inputs that end at different times. A worker whose input ends in the middle of an epoch keeps
 * committing epochs while the other workers go on; after a crash its input must resume at its end,
 * in step with the state its items already changed, so that nothing is counted twice.
 */

import { describe, expect, it } from "vitest";
import { plannedInput } from "../helpers/plannedInput.js";
import { PeriodicEpochConfig } from "../../engine/configs/epochs.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

describe("inputs that end at different times", () => {
  it("resume an input that ended mid-epoch at its end, without counting its items twice", async () => {
    const clock = new VirtualClock(0);
    // Worker 0's input ends at t=150, inside epoch 1 ([101, 202)); worker 1's goes on until t=1000
    // and crashes at t=800, long after worker 0's last epoch was committed.
    const plans: [number, unknown][][] = [
      [[10, ["a", 1]], [150, ["a", 1]]],
      Array.from({ length: 10 }, (_, i): [number, unknown] => [i * 100 + 10, i === 8 ? "BOOM" : ["b", 1]]),
    ];
    let armed = true;
    const flow = (out: unknown[]) =>
      new Dataflow()
        .input("inp", plannedInput(clock, (worker) => plans[worker]!))
        .map((item: unknown) => {
          if (item === "BOOM") {
            if (armed) throw new Error("BOOM");
            return ["b", 0];
          }
          return item;
        })
        .statefulMap("sum", () => 0, (sum: number, v: number) => [sum + v, sum + v])
        .capture(new TestingEpochOutputConfig(out));
    const recoveryConfig = new MemoryRecoveryConfig();
    const run = (out: unknown[]) =>
      execute(flow(out), { workerCount: 2, epochConfig: new PeriodicEpochConfig(100), recoveryConfig, errors: "wrapped", host: testHost({ clock }) });

    const crashed: [number, [string, number]][] = [];
    await rejectionOf(run(crashed));
    expect(crashed.filter(([, [key]]) => key === "a").map(([, item]) => item)).toEqual([["a", 1], ["a", 2]]);
    armed = false;
    const resumed: [number, [string, number]][] = [];
    await run(resumed);
    const finalSum = (key: string) => Math.max(...[...crashed, ...resumed].filter(([, [k]]) => k === key).map(([, [, sum]]) => sum));
    expect(finalSum("a")).toBe(2);
    expect(finalSum("b")).toBe(9);
    expect(resumed.some(([, [key]]) => key === "a")).toBe(false);
  });
});
