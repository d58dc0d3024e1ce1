/**
 * Garbage collection keeps a store bounded: 10,000 epochs over 100 keys leave about one record per
 * key (its latest state), not one per epoch.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { ManualOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { clusterMain, testHost } from "../helpers/host.js";
import { openRecoveryStore } from "../../engine/host/index.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";

async function recordsIn(config: RecoveryConfig, workers: number): Promise<number> {
  const store = openRecoveryStore(testHost(), config);
  let total = 0;
  for (let i = 0; i < workers; i++) {
    const partition = await store.open(i);
    total += (await partition.load())?.records.length ?? 0;
    await partition.close();
  }
  return total;
}

for (const kind of STORE_KINDS) {
  describe(`store growth (${kind.name} store)`, () => {
    let cleanup = () => {};
    afterEach(() => cleanup());

    it("10,000 epochs over 100 keys keep about one record per key", async () => {
      const { config, cleanup: remove } = kind.fresh();
      cleanup = remove;
      const items = Array.from({ length: 10_000 }, (_, i) => [`key${i % 100}`, i]);
      let seen = 0;
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig(items))
        .statefulMap("running", () => 0, (sum: number, v: number) => [sum + v, sum + v])
        .reduce("pairs", (a: number, b: number) => a + b, (acc: number) => acc % 2 === 0)
        .capture(new ManualOutputConfig(() => () => void (seen += 1)));
      await clusterMain(flow, [], 0, { workerCountPerProc: 2, epochConfig: new TestingEpochConfig(), recoveryConfig: config });
      expect(seen).toBeGreaterThan(0);
      const records = await recordsIn(config, 2);
      // 100 running sums, at most 100 pending reduce accumulators, 2 input states, and the records
      // of the last epoch or two that garbage collection may not have reached yet.
      expect(records).toBeGreaterThan(100);
      expect(records).toBeLessThan(320);
    }, 300_000);
  });
}
