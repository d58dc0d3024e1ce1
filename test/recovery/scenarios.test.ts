/**
 * Bytewax's recovery scenarios (pytests/test_recovery.py in 0.11): a user function crashes under
 * testing epochs; the same flow then resumes from the same store. Run on every store, with
 * runMain and with clusterMain on 2 workers.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { clusterMain, runMain } from "../helpers/host.js";
import { fromWorkerZero, rejectionOf } from "../helpers/entryPoints.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";

const RUNNERS = [
  { name: "runMain", run: (flow: Dataflow, recoveryConfig: RecoveryConfig) => runMain(flow, { epochConfig: new TestingEpochConfig(), recoveryConfig }) },
  {
    name: "clusterMain with 2 workers",
    run: (flow: Dataflow, recoveryConfig: RecoveryConfig) => clusterMain(flow, [], 0, { workerCountPerProc: 2, epochConfig: new TestingEpochConfig(), recoveryConfig }),
  },
];

type Item = [string, number | null] | "BOOM";

/** The keep-max flow of Bytewax's tests: a null value forgets the key; "BOOM" crashes while armed. */
function keepMax(items: readonly Item[], armed: { on: boolean }, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("inp", fromWorkerZero(items))
    .map((item: Item) => {
      if (item === "BOOM") {
        if (armed.on) throw new Error("BOOM");
        return ["boom", 0];
      }
      return item;
    })
    .statefulMap("keep_max", () => null, (max: number | null, value: number | null) => {
      if (value === null) return [null, null];
      const next = max === null ? value : Math.max(max, value);
      return [next, next];
    })
    .capture(new TestingEpochOutputConfig(out));
}

for (const store of STORE_KINDS) {
  for (const runner of RUNNERS) {
    describe(`recovery on the ${store.name} store (${runner.name})`, () => {
      let cleanup = () => {};
      afterEach(() => cleanup());

      async function crashThenResume(items: readonly Item[]): Promise<{ crashed: unknown[]; resumed: unknown[] }> {
        const fresh = store.fresh();
        cleanup = fresh.cleanup;
        const armed = { on: true };
        const crashed: unknown[] = [];
        await rejectionOf(runner.run(keepMax(items, armed, crashed), fresh.config));
        armed.on = false;
        const resumed: unknown[] = [];
        await runner.run(keepMax(items, armed, resumed), fresh.config);
        return { crashed, resumed };
      }

      it("resumes at the failed epoch with the latest state", async () => {
        const { crashed, resumed } = await crashThenResume([["a", 4], ["b", 4], ["a", 1], "BOOM", ["a", 5], ["b", 2]]);
        expect(crashed).toEqual([[0, ["a", 4]], [1, ["b", 4]], [2, ["a", 4]]]);
        // Output restarts at the beginning of epoch 3, the epoch that failed.
        expect(resumed).toEqual([[3, ["boom", 0]], [4, ["a", 5]], [5, ["b", 4]]]);
      });

      it("keeps a key's last write through garbage collection", async () => {
        // "a" is written once, in epoch 0; many epochs later its state must still be there.
        const items: Item[] = [["a", 7], ...Array.from({ length: 20 }, (_, i): Item => ["b", i]), "BOOM", ["a", 1]];
        const { resumed } = await crashThenResume(items);
        expect(resumed).toEqual([[21, ["boom", 0]], [22, ["a", 7]]]);
      });

      it("keeps a forgotten key forgotten", async () => {
        const { crashed, resumed } = await crashThenResume([["a", 9], ["a", null], ["b", 1], "BOOM", ["a", 3]]);
        expect(crashed).toEqual([[0, ["a", 9]], [1, ["a", null]], [2, ["b", 1]]]);
        // After the resume "a" starts fresh: 3, not max(9, 3).
        expect(resumed).toEqual([[3, ["boom", 0]], [4, ["a", 3]]]);
      });

      it("resumes a finished run without replaying anything under testing epochs", async () => {
        const fresh = store.fresh();
        cleanup = fresh.cleanup;
        const first: unknown[] = [];
        await runner.run(keepMax([["a", 1], ["a", 2]], { on: false }, first), fresh.config);
        const again: unknown[] = [];
        await runner.run(keepMax([["a", 1], ["a", 2]], { on: false }, again), fresh.config);
        expect(first).toEqual([[0, ["a", 1]], [1, ["a", 2]]]);
        expect(again).toEqual([]);
      });
    });
  }
}
