/**
 * The resume decision across the processes of a cluster, each seeing only its own partitions (a
 * volume per process): each process reads and summarizes its own workers' partitions, the
 * summaries cross the network as JSON, every process decides on their union, and each prepares only
 * its own partitions. The decision is the one a single process reading every partition makes
 * (`prepareRecovery`), including its refusals, and it is the same in every process.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/api/dataflow.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { StdOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { memoryRecoveryStore } from "../../engine/recovery/memoryStore.js";
import { FORMAT_VERSION } from "../../engine/recovery/protocol.js";
import type { PartitionSummary } from "../../engine/recovery/summaries.js";
import { decideOnSummaries, workersOfProcess } from "../../engine/recovery/summaries.js";
import type { RecoveryStore, StateRecord } from "../../engine/recovery/store.js";
import { prepareRecovery, readLocalPartitions } from "../../engine/runtime/recoveryStart.js";
import { describeStores } from "../../node-runner/cluster/clusterRecovery.js";

const flow = new Dataflow()
  .input("in", new TestingInputConfig([1, 2, 3]))
  .map((x: number) => [String(x), x])
  .statefulMap("acc", () => 0, (sum: number, x: number) => [sum + x, sum + x])
  .capture(new StdOutputConfig());

interface Partition {
  readonly index: number;
  readonly frontier: number;
  /** Epochs of the records it holds (step "acc", key "k<epoch>"). */
  readonly epochs?: readonly number[];
  readonly workerCount?: number;
  readonly stepId?: string;
}

/** A store (one process's volume) holding `partitions`, written as a run of `workerCount` workers would. */
async function volume(partitions: readonly Partition[], workerCount = 4): Promise<RecoveryStore> {
  const store = memoryRecoveryStore(new MemoryRecoveryConfig());
  for (const partition of partitions) {
    const records: StateRecord[] = (partition.epochs ?? []).map((epoch) => ({ stepId: partition.stepId ?? "acc", key: `k${epoch}`, epoch, value: new Uint8Array([epoch]) }));
    const opened = await store.open(partition.index);
    await opened.commit({
      meta: { formatVersion: FORMAT_VERSION, workerCount: partition.workerCount ?? workerCount, workerIndex: partition.index, stepIds: ["in", "acc"], shapes: { acc: { op: "stateful_map" } } },
      records,
      frontier: partition.frontier,
    });
  }
  return store;
}

/** Each process's part: read its own, exchange summaries as JSON, decide on all, prepare its own. Returns each process's start epoch or refusal. */
async function clusterPrepare(stores: readonly RecoveryStore[], perProcess: number): Promise<(number | { code: string; message: string })[]> {
  const workerCount = stores.length * perProcess;
  const locals = await Promise.all(stores.map((store, procId) => readLocalPartitions(store, flow, workersOfProcess(procId, perProcess), workerCount)));
  const all = JSON.parse(JSON.stringify(locals.flatMap((local) => local.summaries))) as PartitionSummary[];
  const description = describeStores(stores.map((store, procId) => [procId, store.description] as const));
  return Promise.all(
    locals.map(async (local) => {
      try {
        return await local.prepare(all, description);
      } catch (error) {
        return { code: (error as { code: string }).code, message: (error as Error).message };
      } finally {
        await local.close();
      }
    }),
  );
}

async function contents(store: RecoveryStore, index: number) {
  return (await (await store.open(index)).load())!;
}

describe("recovery decided across processes", () => {
  it("resumes every process at the cluster's minimum durable frontier; each forgets the unfinished epochs of its own partitions only", async () => {
    const first = await volume([{ index: 0, frontier: 5, epochs: [1, 4, 5, 6] }, { index: 1, frontier: 3, epochs: [2, 3] }]);
    const second = await volume([{ index: 2, frontier: 4, epochs: [3, 4] }, { index: 3, frontier: 6, epochs: [5] }]);
    expect(await clusterPrepare([first, second], 2)).toEqual([3, 3]);
    for (const [store, index, kept] of [[first, 0, [1]], [first, 1, [2]], [second, 2, []], [second, 3, []]] as const) {
      const partition = await contents(store, index);
      expect(partition.frontier, `partition ${index}`).toBe(3);
      expect(partition.records.map((record) => record.epoch).sort(), `partition ${index}`).toEqual(kept);
    }
    // No process touched a partition that is not its own.
    expect(await first.partitions()).toEqual([0, 1]);
    expect(await second.partitions()).toEqual([2, 3]);
  });

  it("starts fresh with nothing stored anywhere, each process creating its own partitions", async () => {
    const [first, second] = [await volume([]), await volume([])];
    expect(await clusterPrepare([first, second], 2)).toEqual([0, 0]);
    expect(await first.partitions()).toEqual([0, 1]);
    expect(await second.partitions()).toEqual([2, 3]);
    expect((await contents(second, 3)).meta).toMatchObject({ workerCount: 4, workerIndex: 3 });
  });

  it("refuses in every process, with the same message, what one process reading every partition refuses", async () => {
    const cases: [string, () => Promise<RecoveryStore[]>, number, string][] = [
      ["a partition missing on one volume", async () => [await volume([{ index: 0, frontier: 2 }, { index: 1, frontier: 2 }]), await volume([{ index: 2, frontier: 2 }])], 2, "RECOVERY_MISSING_PARTITION"],
      ["another worker count (a partition beyond this cluster's workers)", async () => [await volume([{ index: 0, frontier: 2 }], 6), await volume([{ index: 1, frontier: 2 }, { index: 5, frontier: 2 }], 6)], 1, "RECOVERY_WORKER_COUNT"],
      ["another worker count (fewer workers before)", async () => [await volume([{ index: 0, frontier: 2 }], 2), await volume([{ index: 1, frontier: 2 }], 2)], 2, "RECOVERY_WORKER_COUNT"],
      ["state of a step the flow does not have", async () => [await volume([{ index: 0, frontier: 2 }], 2), await volume([{ index: 1, frontier: 2, epochs: [1], stepId: "gone" }], 2)], 1, "RECOVERY_UNKNOWN_STEPS"],
    ];
    for (const [what, stores, perProcess, code] of cases) {
      const outcomes = await clusterPrepare(await stores(), perProcess);
      expect(outcomes[0], what).toMatchObject({ code });
      expect(outcomes[1], what).toEqual(outcomes[0]);
      // A single process reading every partition (one volume holding them all) refuses the same.
      const together = await volume([]);
      const allPartitions = await stores();
      for (const store of allPartitions) {
        for (const index of await store.partitions()) {
          const loaded = await contents(store, index);
          await (await together.open(index)).commit({ meta: loaded.meta, records: loaded.records, frontier: loaded.frontier });
        }
      }
      await expect(prepareRecovery(together, flow, allPartitions.length * perProcess), what).rejects.toMatchObject({ code });
    }
  });

  it("decides on summaries as on the partitions themselves, whatever the frontiers and records", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ frontier: fc.integer({ min: 0, max: 6 }), epochs: fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 3 }) }), { minLength: 4, maxLength: 4 }), async (partitions) => {
        const parts = partitions.map((partition, index) => ({ index, frontier: partition.frontier, epochs: [...new Set(partition.epochs)] }));
        const split = await clusterPrepare([await volume(parts.slice(0, 2)), await volume(parts.slice(2))], 2);
        const together = await prepareRecovery(await volume(parts), flow, 4);
        expect(split).toEqual([together, together]);
      }),
      { numRuns: 40 },
    );
  });

  it("names the stores of every process when they differ", () => {
    expect(describeStores([[0, "file /a"], [1, "file /a"]])).toBe("file /a");
    expect(describeStores([[0, "file /a"], [1, "file /b"]])).toBe("file /a (process 0), file /b (process 1)");
    expect(decideOnSummaries([], "x", { workerCount: 2, stepIds: [] })).toEqual({ kind: "fresh" });
  });
});
