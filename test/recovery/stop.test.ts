/**
 * Stopping at an epoch boundary (what Ctrl-C does in the runner): the inputs close their open epoch
 * and read no more, everything before it is finished and committed, and the run resolves. Run again,
 * the flow continues where it stopped, with nothing lost and nothing repeated.
 */

import { afterEach, describe, expect, it } from "vitest";
import { PeriodicEpochConfig } from "../../engine/configs/epochs.js";
import { ManualInputConfig } from "../../engine/configs/inputs.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { StopSignal } from "../../engine/runtime/scheduler.js";
import { sorted } from "../helpers/entryPoints.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";
import { testHost } from "../helpers/host.js";

/** Worker w reads numbers w, w + n, ... below 400, one every 5 ms of (virtual) time. */
function numbers(clock: VirtualClock, stopAt: { time: number; signal?: StopSignal }): ManualInputConfig {
  return new ManualInputConfig(function* (worker, count, resume) {
    for (let n = typeof resume === "number" ? resume : worker; n < 400; n += count) {
      while (clock.now() < n * 5) {
        if (stopAt.signal && clock.now() >= stopAt.time) stopAt.signal.request();
        yield undefined;
      }
      yield [n + count, [`k${n % 7}`, n]];
    }
  });
}

function flow(input: ManualInputConfig, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("numbers", input)
    .statefulMap("sum", () => 0, (sum: number, n: number) => [sum + n, sum + n])
    .capture(new TestingEpochOutputConfig(out));
}

for (const kind of STORE_KINDS) {
  for (const workers of [1, 3]) {
    describe(`a stop at an epoch boundary (${kind.name} store, ${workers} worker${workers > 1 ? "s" : ""})`, () => {
      let cleanup = () => {};
      afterEach(() => cleanup());

      it("resolves the run, and a later run continues with nothing lost or repeated", async () => {
        const { config, cleanup: remove } = kind.fresh();
        cleanup = remove;
        const run = (recoveryConfig: RecoveryConfig | undefined, out: unknown[], stopAt: { time: number; signal?: StopSignal }, clock: VirtualClock) =>
          execute(flow(numbers(clock, stopAt), out), {
            workerCount: workers,
            epochConfig: new PeriodicEpochConfig(100),
            ...(recoveryConfig && { recoveryConfig }),
            errors: "wrapped",
            host: testHost({ clock }),
            ...(stopAt.signal && { stop: stopAt.signal }),
          });

        const uninterrupted: [number, unknown][] = [];
        await run(undefined, uninterrupted, { time: Infinity }, new VirtualClock(0));

        const clock = new VirtualClock(0);
        const first: [number, unknown][] = [];
        await run(config, first, { time: 700, signal: new StopSignal() }, clock);
        expect(first.length).toBeGreaterThan(0);
        expect(first.length).toBeLessThan(uninterrupted.length);
        const second: [number, unknown][] = [];
        await run(config, second, { time: Infinity }, clock);
        // Together, the two runs emitted exactly what one run emits: same items, none twice.
        expect(sorted([...first, ...second].map(([, item]) => item))).toEqual(sorted(uninterrupted.map(([, item]) => item)));
        // The second run started at the epoch after the last one the first run finished.
        const lastEpoch = Math.max(...first.map(([epoch]) => epoch));
        expect(Math.min(...second.map(([epoch]) => epoch))).toBe(lastEpoch + 1);
      });
    });
  }
}
