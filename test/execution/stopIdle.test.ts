/**
 * Engine regression found by the simulator: a stop requested while every input is waiting for
 * data (the scheduler asleep, nothing else to do) ends the run. The scheduler used to go back to
 * sleep with no deadline, because the stop itself did not count as work.
 */

import { describe, expect, it } from "vitest";
import { ManualInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { systemClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { StopSignal } from "../../engine/runtime/scheduler.js";
import { testHost } from "../helpers/host.js";
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Waits until `condition` holds (polled), whatever the machine's speed. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

describe("a stop while the inputs wait for data", () => {
  for (const workers of [1, 2]) {
    it(`ends the run (${workers} worker${workers > 1 ? "s" : ""})`, { timeout: 40_000 }, async () => {
      const out: unknown[] = [];
      const input = new ManualInputConfig(function* () {
        yield [1, "first"];
        for (;;) yield undefined;
      });
      const stop = new StopSignal();
      const run = execute(new Dataflow().input("in", input).capture(new TestingOutputConfig(out)), { workerCount: workers, errors: "original", host: testHost({ clock: systemClock }), stop });
      // Every worker read its item and its input now only waits for data.
      await until(() => out.length === workers);
      stop.request();
      // A generous bound: the failure it catches is a run that never ends.
      const outcome = await Promise.race([run.then(() => "ended"), sleep(20_000).then(() => "still running")]);
      expect(outcome).toBe("ended");
      expect(out).toEqual(Array.from({ length: workers }, () => "first"));
    });
  }
});
