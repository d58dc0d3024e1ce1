import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideResume, foldState, garbageOf, ownerOf, recordsFromResumeOn, resumeEpoch, FORMAT_VERSION } from "../../engine/recovery/protocol.js";
import type { PartitionContents, StateRecord } from "../../engine/recovery/store.js";
import { hashKey } from "../../engine/operators/keyed.js";

const bytes = (n: number) => new Uint8Array([n]);
const record = (stepId: string, key: string, epoch: number, value: number | null): StateRecord => ({ stepId, key, epoch, value: value === null ? null : bytes(value) });

describe("the recovery protocol", () => {
  it("resumes at the lowest durable frontier of all workers, 0 for none", () => {
    expect(resumeEpoch([{ frontier: 5 }, { frontier: 3 }, { frontier: 4 }])).toBe(3);
    expect(resumeEpoch([])).toBe(0);
  });

  it("never lets a finished partition hold the resume epoch back", () => {
    // Worker 0 finished after epoch 2; workers 1 and 2 went on and were killed at 7 and 9.
    expect(resumeEpoch([{ frontier: 3, finished: true }, { frontier: 9 }, { frontier: 7 }])).toBe(7);
    // A finished partition whose last epoch is the others' frontier is rolled back with them.
    expect(resumeEpoch([{ frontier: 8, finished: true }, { frontier: 7 }])).toBe(7);
    expect(resumeEpoch([{ frontier: 3, finished: false }, { frontier: 9 }])).toBe(3);
  });

  it("resumes after the last epoch of any partition when every partition finished: nothing is replayed", () => {
    expect(resumeEpoch([{ frontier: 3, finished: true }, { frontier: 9, finished: true }, { frontier: 5, finished: true }])).toBe(9);
    expect(resumeEpoch([{ frontier: 1, finished: true }])).toBe(1);
  });

  it("a finished partition's state loads whole at a later resume epoch: each key's latest record below it", () => {
    // Worker 0 finished after epoch 2 (its input's end state and its keys' last states are below 3); the run resumes at 7.
    const records = [record("inp", "0", 0, 10), record("inp", "0", 2, 12), record("s", "a", 1, 5), record("s", "b", 0, 1), record("s", "b", 2, null)];
    const state = foldState(records, resumeEpoch([{ frontier: 3, finished: true }, { frontier: 7 }]));
    expect([...state.get("inp")!.entries()]).toEqual([["0", bytes(12)]]);
    expect([...state.get("s")!.entries()]).toEqual([["a", bytes(5)]]);
    expect(recordsFromResumeOn(records, 7)).toEqual([]);
  });

  it("folds trusted records in epoch order: upserts set, resets forget, later epochs are ignored", () => {
    const records = [record("s", "a", 2, 20), record("s", "a", 0, 1), record("s", "b", 1, 5), record("s", "b", 2, null), record("s", "a", 3, 99), record("t", "a", 1, 7)];
    const state = foldState(records, 3);
    expect([...state.get("s")!.entries()]).toEqual([["a", bytes(20)]]);
    expect([...state.get("t")!.entries()]).toEqual([["a", bytes(7)]]);
    expect(recordsFromResumeOn(records, 3)).toEqual([{ stepId: "s", key: "a", epoch: 3 }]);
  });

  it("keeps a key's latest record once every worker passed it, and drops a trailing reset", () => {
    expect(garbageOf({ epochs: [1, 4, 7], resets: [false, false, false] }, 5)).toEqual([0]);
    expect(garbageOf({ epochs: [1, 4, 7], resets: [false, true, false] }, 5)).toEqual([0, 1]);
    expect(garbageOf({ epochs: [1, 4], resets: [false, false] }, 1)).toEqual([]);
    expect(garbageOf({ epochs: [1, 4], resets: [false, false] }, 100)).toEqual([0]);
  });

  it("garbage collection never changes the state a resume would load", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ epoch: fc.integer({ min: 0, max: 30 }), reset: fc.boolean() }), { maxLength: 20 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 32 }), (writes, collectAt, resumeAt) => {
        // Workers can only resume at or after a frontier every worker has passed.
        fc.pre(resumeAt >= collectAt);
        const byEpoch = new Map(writes.map((w) => [w.epoch, w.reset]));
        const epochs = [...byEpoch.keys()].sort((a, b) => a - b);
        const history = { epochs, resets: epochs.map((e) => byEpoch.get(e)!) };
        const records = epochs.map((e, i) => record("s", "k", e, history.resets[i] ? null : e));
        const dead = new Set(garbageOf(history, collectAt).map((i) => epochs[i]));
        const kept = records.filter((r) => !dead.has(r.epoch));
        expect(foldState(kept, resumeAt)).toEqual(foldState(records, resumeAt));
      }),
    );
  });

  it("routes loaded state to the worker that owns it: inputs by worker, keys by hash", () => {
    expect(ownerOf("3", true, 4, hashKey)).toBe(3);
    expect(ownerOf("apple", false, 4, hashKey)).toBe(hashKey("apple") % 4);
  });

  describe("deciding what to do with a store", () => {
    const meta = (workerIndex: number, workerCount = 2) => ({ formatVersion: FORMAT_VERSION, workerCount, workerIndex, stepIds: ["inp", "s"] });
    const facts = (partitions: [number, PartitionContents][]) => ({ description: "test store", describePartition: (i: number) => `test partition ${i}`, partitions: new Map(partitions) });
    const flow = { workerCount: 2, stepIds: ["inp", "s"] };

    it("starts fresh on an empty store", () => {
      expect(decideResume(facts([]), flow)).toEqual({ kind: "fresh" });
    });

    it("resumes at the lowest frontier, including workers that never wrote progress", () => {
      const decision = decideResume(facts([[0, { meta: meta(0), frontier: 6, records: [] }], [1, { meta: meta(1), frontier: 0, records: [] }]]), flow);
      expect(decision).toEqual({ kind: "resume", epoch: 0 });
    });

    it("completes an interrupted creation, but refuses a missing partition once there is progress", () => {
      expect(decideResume(facts([[0, { meta: meta(0), frontier: 0, records: [] }]]), flow)).toEqual({ kind: "fresh" });
      expect(() => decideResume(facts([[0, { meta: meta(0), frontier: 2, records: [] }]]), flow)).toThrowError(
        "Recovery store test store is missing the partition of worker 1 (it has only the partition of worker 0 of this run's 2 workers); resuming without it would lose data.",
      );
    });

    it("resumes after the end when every partition is marked finished", () => {
      const finished = (workerIndex: number) => ({ ...meta(workerIndex), finished: true });
      const decision = decideResume(facts([[0, { meta: finished(0), frontier: 4, records: [] }], [1, { meta: finished(1), frontier: 6, records: [] }]]), flow);
      expect(decision).toEqual({ kind: "resume", epoch: 6 });
    });

    it("resumes at the lowest frontier of the unfinished partitions when only some are marked finished", () => {
      const decision = decideResume(facts([[0, { meta: { ...meta(0), finished: true }, frontier: 2, records: [] }], [1, { meta: meta(1), frontier: 5, records: [] }]]), flow);
      expect(decision).toEqual({ kind: "resume", epoch: 5 });
    });

    it("resumes at the lowest frontier when no partition is marked finished, as a store written before the mark existed", () => {
      // A store written before the mark: its meta has no `finished` field at all.
      const old = decideResume(facts([[0, { meta: meta(0), frontier: 2, records: [] }], [1, { meta: meta(1), frontier: 5, records: [] }]]), flow);
      expect(old).toEqual({ kind: "resume", epoch: 2 });
      // Only `true` is a mark.
      const odd = { ...meta(0), finished: "yes" } as unknown as ReturnType<typeof meta>;
      expect(decideResume(facts([[0, { meta: odd, frontier: 2, records: [] }], [1, { meta: meta(1), frontier: 5, records: [] }]]), flow)).toEqual({ kind: "resume", epoch: 2 });
    });

    it("still refuses what it refused before when partitions are marked finished", () => {
      const finished = (workerIndex: number, workerCount = 2) => ({ ...meta(workerIndex, workerCount), finished: true });
      expect(() => decideResume(facts([[0, { meta: finished(0), frontier: 2, records: [] }]]), flow)).toThrowError(/missing the partition of worker 1/);
      expect(() => decideResume(facts([[0, { meta: finished(0, 3), frontier: 2, records: [] }], [1, { meta: finished(1, 3), frontier: 2, records: [] }]]), flow)).toThrowError(/with 3 workers; this run has 2/);
      expect(() => decideResume(facts([[0, { meta: { ...finished(0), formatVersion: FORMAT_VERSION + 1 }, frontier: 2, records: [] }], [1, { meta: finished(1), frontier: 2, records: [] }]]), flow)).toThrowError(/format version/);
    });

    it("refuses partitions that disagree on the worker count", () => {
      expect(() => decideResume(facts([[0, { meta: meta(0, 2), frontier: 2, records: [] }], [1, { meta: meta(1, 3), frontier: 2, records: [] }]]), flow)).toThrowError(
        "Recovery store test store was written by a run with 2 and 3 workers; this run has 2. Resume with the same number of workers, or start from an empty store.",
      );
    });
  });
});
