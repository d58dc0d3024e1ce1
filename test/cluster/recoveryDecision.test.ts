/**
 * The resume decision across the processes of a cluster, each seeing only its own partitions (a
 * volume per process): each process reads and summarizes its own workers' partitions, the
 * summaries cross the network as JSON, every process decides on their union, and each prepares only
 * its own partitions. The decision is the one a single process reading every partition makes
 * (`prepareRecovery`), including its refusals and the rule for partitions marked finished (a
 * durable end: they never hold the resume epoch back, and when all finished the run resumes after
 * the end), and it is the same in every process.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/api/dataflow.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { StdOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { memoryRecoveryStore } from "../../engine/recovery/memoryStore.js";
import { FORMAT_VERSION, decideResume } from "../../engine/recovery/protocol.js";
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
  /** Marked finished in its meta (its worker reached the end of its input and saved its last epoch). */
  readonly finished?: boolean;
}

/** A store (one process's volume) holding `partitions`, written as a run of `workerCount` workers would. */
async function volume(partitions: readonly Partition[], workerCount = 4): Promise<RecoveryStore> {
  const store = memoryRecoveryStore(new MemoryRecoveryConfig());
  for (const partition of partitions) {
    const records: StateRecord[] = (partition.epochs ?? []).map((epoch) => ({ stepId: partition.stepId ?? "acc", key: `k${epoch}`, epoch, value: new Uint8Array([epoch]) }));
    const opened = await store.open(partition.index);
    await opened.commit({
      meta: {
        formatVersion: FORMAT_VERSION,
        workerCount: partition.workerCount ?? workerCount,
        workerIndex: partition.index,
        stepIds: ["in", "acc"],
        shapes: { acc: { op: "stateful_map" } },
        ...(partition.finished === true && { finished: true }),
      },
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

  it("lets no finished partition hold the resume epoch back, on whichever process it is; all finished, resumes after the end", async () => {
    // Worker 1 (process 0) finished after epoch 2; the others went on and were killed.
    const first = await volume([{ index: 0, frontier: 7, epochs: [6, 7] }, { index: 1, frontier: 3, epochs: [2], finished: true }]);
    const second = await volume([{ index: 2, frontier: 9, epochs: [8] }, { index: 3, frontier: 8 }]);
    expect(await clusterPrepare([first, second], 2)).toEqual([7, 7]);
    expect((await contents(first, 0)).records.map((record) => record.epoch)).toEqual([6]);
    expect((await contents(second, 2)).records).toEqual([]);
    // Every partition finished: nothing is replayed, the run resumes after the last epoch of any.
    const done = [await volume([{ index: 0, frontier: 4, epochs: [3], finished: true }, { index: 1, frontier: 3, finished: true }]), await volume([{ index: 2, frontier: 6, epochs: [5], finished: true }, { index: 3, frontier: 5, finished: true }])];
    expect(await clusterPrepare(done, 2)).toEqual([6, 6]);
    expect((await contents(done[0]!, 0)).records.map((record) => record.epoch)).toEqual([3]);
    expect((await contents(done[1]!, 2)).records.map((record) => record.epoch)).toEqual([5]);
    // Preparing rewrites the meta: the marks are cleared, as in one process.
    expect((await contents(done[1]!, 3)).meta.finished).toBeUndefined();
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

  it("decides on summaries as on the partitions themselves, whatever the frontiers, records and finished marks", async () => {
    const partition = fc.record({ frontier: fc.integer({ min: 0, max: 6 }), epochs: fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 3 }), finished: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(partition, { minLength: 4, maxLength: 4 }), async (partitions) => {
        const parts = partitions.map((generated, index) => ({ index, frontier: generated.frontier, epochs: [...new Set(generated.epochs)], finished: generated.finished }));
        const volumes = [await volume(parts.slice(0, 2)), await volume(parts.slice(2))];
        const split = await clusterPrepare(volumes, 2);
        const whole = await volume(parts);
        // The protocol's own decision on the partitions themselves (not on summaries), read before anything is prepared.
        const loaded = new Map(await Promise.all(parts.map(async ({ index }) => [index, await contents(whole, index)] as const)));
        const decided = decideResume({ description: whole.description, describePartition: (index) => whole.describePartition(index), partitions: loaded }, { workerCount: 4, stepIds: ["in", "acc"], shapes: { acc: { op: "stateful_map" } } });
        const together = await prepareRecovery(whole, flow, 4);
        expect(together).toBe(decided.kind === "fresh" ? 0 : decided.epoch);
        expect(split).toEqual([together, together]);
        // Each process left its partitions as the single process left the same ones.
        for (const index of [0, 1, 2, 3]) {
          const [mine, theirs] = [await contents(volumes[index < 2 ? 0 : 1]!, index), await contents(whole, index)];
          expect({ frontier: mine.frontier, meta: mine.meta, records: mine.records }, `partition ${index}`).toEqual({ frontier: theirs.frontier, meta: theirs.meta, records: theirs.records });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("names the stores of every process when they differ", () => {
    expect(describeStores([[0, "file /a"], [1, "file /a"]])).toBe("file /a");
    expect(describeStores([[0, "file /a"], [1, "file /b"]])).toBe("file /a (process 0), file /b (process 1)");
    expect(decideOnSummaries([], "x", { workerCount: 2, stepIds: [] })).toEqual({ kind: "fresh" });
  });
});
