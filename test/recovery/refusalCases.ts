/**
 * The refusals every recovery store must give, as a function over a store kind: refusals.test.ts
 * runs them on the memory, file and IndexedDB stores, refusals.kafka.test.ts on the Kafka store
 * (real broker). A store that does not match the flow is refused with an error naming what
 * differs; a resume never guesses and never silently skips data.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import type { RecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { EddyError } from "../../engine/errors.js";
import { clusterMain, testHost } from "../helpers/host.js";
import { openRecoveryStore } from "../../engine/host/index.js";
import { FORMAT_VERSION } from "../../engine/recovery/protocol.js";
import type { RecoveryStore } from "../../engine/recovery/store.js";
import { fromWorkerZero, rejectionOf } from "../helpers/entryPoints.js";
import type { StoreKind } from "../helpers/recoveryStores.js";

export const items = Array.from({ length: 12 }, (_, i) => [`k${i % 5}`, i]);

export function counting(stepId: string, out: unknown[], crashAt = -1): Dataflow {
  return new Dataflow()
    .input("inp", fromWorkerZero(items))
    .map(([key, i]: [string, number]) => {
      if (i === crashAt) throw new Error("crash");
      return [key, i];
    })
    .statefulMap(stepId, () => 0, (n: number) => [n + 1, n + 1])
    .capture(new TestingEpochOutputConfig(out));
}

export function run(flow: Dataflow, recoveryConfig: RecoveryConfig, workers: number) {
  return clusterMain(flow, [], 0, { workerCountPerProc: workers, epochConfig: new TestingEpochConfig(), recoveryConfig });
}

export const storeOf = (config: RecoveryConfig): RecoveryStore => openRecoveryStore(testHost(), config);

export async function refusal(promise: Promise<unknown>): Promise<EddyError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(EddyError);
  return error as EddyError;
}

export function describeRefusals(kind: StoreKind): void {
  describe(`refusals on the ${kind.name} store`, () => {
    let cleanup = () => {};
    afterEach(() => cleanup());
    function fresh() {
      const store = kind.fresh();
      cleanup = store.cleanup;
      return store.config;
    }
    const where = (config: RecoveryConfig) => storeOf(config).description;

    it("refuses to resume with another worker count", async () => {
      const config = fresh();
      await rejectionOf(run(counting("count", [], 6), config, 2));
      const error = await refusal(run(counting("count", []), config, 3));
      expect(error.code).toBe("RECOVERY_WORKER_COUNT");
      expect(error.message).toBe(
        `Recovery store ${where(config)} was written by a run with 2 workers; this run has 3. Resume with the same number of workers, or start from an empty store.`,
      );
    });

    it("refuses recovery data for step ids the flow does not have", async () => {
      const config = fresh();
      await rejectionOf(run(counting("old_count", [], 6), config, 1));
      const error = await refusal(run(counting("new_count", []), config, 1));
      expect(error.code).toBe("RECOVERY_UNKNOWN_STEPS");
      expect(error.message).toBe(
        'Recovery data had unknown step IDs: ["old_count"] (this flow\'s steps that keep state are ["inp","new_count"]). Give the steps their old ids back, or start from an empty store.',
      );
    });

    it("accepts a flow that only adds a stateful step", async () => {
      const config = fresh();
      await rejectionOf(run(counting("count", [], 6), config, 1));
      const out: unknown[] = [];
      const flow = counting("count", out).statefulMap("added", () => 0, (n: number, v: number) => [n + v, v]);
      await run(flow, config, 1);
      expect(out[0]).toEqual([6, ["k1", 2]]);
    });

    it("refuses a store written in a newer format", async () => {
      const config = fresh();
      const partition = await storeOf(config).open(0);
      await partition.commit({ meta: { formatVersion: FORMAT_VERSION + 1, workerCount: 1, workerIndex: 0, stepIds: ["inp", "count"] }, frontier: 4 });
      await partition.close();
      const error = await refusal(run(counting("count", []), config, 1));
      expect(error.code).toBe("RECOVERY_FORMAT_NEWER");
      expect(error.message).toBe(
        `Recovery store ${storeOf(config).describePartition(0)} has format version ${FORMAT_VERSION + 1}; this version of Eddy reads format ${FORMAT_VERSION} and older. Use a newer Eddy, or start from an empty store.`,
      );
    });

    it("resumes from the start when a worker died before its first progress write, skipping nothing", async () => {
      // Worker 0 reached epoch 3 but worker 1's partition still says 0 (Bytewax issue 181).
      const config = fresh();
      const store = storeOf(config);
      for (const [index, frontier] of [[0, 3], [1, 0]] as const) {
        const partition = await store.open(index);
        await partition.commit({ meta: { formatVersion: FORMAT_VERSION, workerCount: 2, workerIndex: index, stepIds: ["inp", "count"] }, frontier });
        await partition.close();
      }
      const out: unknown[] = [];
      await run(counting("count", out), config, 2);
      expect(out).toHaveLength(items.length);
      expect(out[0]).toEqual([0, ["k0", 1]]);
    });

    it("finishes creating partitions when a run was killed while creating them", async () => {
      const config = fresh();
      const partition = await storeOf(config).open(0);
      await partition.commit({ meta: { formatVersion: FORMAT_VERSION, workerCount: 2, workerIndex: 0, stepIds: ["inp", "count"] }, frontier: 0 });
      await partition.close();
      const out: unknown[] = [];
      await run(counting("count", out), config, 2);
      expect(out).toHaveLength(items.length);
    });

    it("refuses duplicate stateful step ids, which would mix their saved state", async () => {
      const flow = counting("count", []).statefulMap("count", () => 0, (n: number) => [n, n]);
      const error = await refusal(run(flow, fresh(), 1));
      expect(error.code).toBe("RECOVERY_DUPLICATE_STEP_ID");
      expect(error.message).toBe('With recovery, the ids of steps that keep state must be unique (they key the saved state); these repeat: ["count"]');
    });
  });
}

