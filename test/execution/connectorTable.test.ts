/**
 * Adding a connector is one file and one table entry: a host extended with the countdown input
 * (fixtures/countdownInput.ts) runs flows that use it, with one worker and with three, while a
 * run in the same process on a host without the entry refuses it. What a run can use is its
 * host's, never what another run or an import registered.
 */

import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/api/dataflow.js";
import { executionFor } from "../../engine/api/execution.js";
import { TestingOutputConfig } from "../../engine/api/outputs.js";
import { engineHost, extendHost, errorContext } from "../../engine/host/index.js";
import { CountdownInputConfig, countdownInput } from "./fixtures/countdownInput.js";

function countdownFlow(from: number, out: unknown[]): Dataflow {
  const flow = new Dataflow();
  flow.input("numbers", new CountdownInputConfig(from));
  flow.map((n: number) => n * 10);
  flow.capture(new TestingOutputConfig(out));
  return flow;
}

const withCountdown = executionFor(() => extendHost(engineHost(), { inputs: { countdown: countdownInput } }));
const without = executionFor(() => engineHost());

describe("a connector is one file and one table entry", () => {
  it("runs on a host that has the entry, with one worker and with three", async () => {
    const one: unknown[] = [];
    await withCountdown.runMain(countdownFlow(5, one));
    expect(one).toEqual([50, 40, 30, 20, 10]);

    const three: unknown[] = [];
    await withCountdown.clusterMain(countdownFlow(9, three), [], 0, { workerCountPerProc: 3 });
    expect([...three].sort((a, b) => Number(a) - Number(b))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("is refused, naming the step and the type, on a host without it, in the same process", async () => {
    const out: unknown[] = [];
    const error = await without.runMain(countdownFlow(3, out)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    expect(String((error as Error).message)).toMatch(/Step "numbers".*countdown/);
    expect(errorContext(error)).toBeDefined();
    expect(out).toEqual([]);
    // The host with the entry still has it: nothing was registered or unregistered globally.
    const again: unknown[] = [];
    await withCountdown.runMain(countdownFlow(2, again));
    expect(again).toEqual([20, 10]);
  });
});
