/**
 * The Kafka input's pure decisions (node-runner/connectors/kafkaPlan.ts): which partitions a worker
 * reads, how a saved state is read back, where partitions start and end, and what is refused.
 */

import { describe, expect, it } from "vitest";
import { assignPartitions, outOfRange, parseResumeState, positionsState, reachedEnds, startPositions, type StartInput } from "../../node-runner/connectors/kafkaPlan.js";

const offsets = (...ranges: [number, number, number][]) => ranges.map(([partition, low, high]) => ({ partition, low, high }));

function plan(overrides: Partial<StartInput>) {
  return startPositions({
    topic: "t",
    topicPartitions: [0, 1, 2, 3],
    assigned: [0, 1, 2, 3],
    offsets: offsets([0, 0, 10], [1, 5, 20], [2, 0, 0], [3, 2, 8]),
    resume: undefined,
    startingOffset: "beginning",
    offsetReset: "error",
    tail: true,
    ...overrides,
  });
}

describe("assigning partitions to workers", () => {
  it("gives worker i the partitions p with p mod workerCount = i", () => {
    expect(assignPartitions([0, 1, 2, 3], 0, 3)).toEqual([0, 3]);
    expect(assignPartitions([0, 1, 2, 3], 1, 3)).toEqual([1]);
    expect(assignPartitions([0, 1, 2, 3], 2, 3)).toEqual([2]);
    expect(assignPartitions([0, 1], 3, 4)).toEqual([]);
    expect(assignPartitions([0, 1, 2, 3], 0, 1)).toEqual([0, 1, 2, 3]);
  });
});

describe("the resume state", () => {
  it("is a plain map of partition to next offset, read back as it was saved", () => {
    const state = positionsState(new Map([[0, 12], [3, 7]]));
    expect(state).toEqual({ 0: 12, 3: 7 });
    expect(parseResumeState(structuredClone(state), "w")).toEqual(new Map([[0, 12], [3, 7]]));
    expect(parseResumeState(undefined, "w")).toBeUndefined();
    expect(parseResumeState({}, "w")).toEqual(new Map());
  });

  it("refuses anything else as RECOVERY_CORRUPT", () => {
    for (const bad of [7, "x", [1], { a: 1 }, { 0: -1 }, { 0: 1.5 }, { 0: "3" }]) {
      expect(() => parseResumeState(bad, "Step \"in\"")).toThrowError(expect.objectContaining({ code: "RECOVERY_CORRUPT" }));
    }
  });
});

describe("where partitions start", () => {
  it("on a fresh run: at startingOffset (beginning = low, end = high)", () => {
    expect(plan({}).positions).toEqual(new Map([[0, 0], [1, 5], [2, 0], [3, 2]]));
    expect(plan({ startingOffset: "end" }).positions).toEqual(new Map([[0, 10], [1, 20], [2, 0], [3, 8]]));
  });

  it("on a resume: at the saved offsets; a partition without one (new since the snapshot) at startingOffset", () => {
    const resumed = plan({ resume: new Map([[0, 4], [1, 20]]), startingOffset: "end" });
    expect(resumed.positions).toEqual(new Map([[0, 4], [1, 20], [2, 0], [3, 8]]));
    expect(resumed.reset).toEqual([]);
  });

  it("refuses a saved partition that the topic no longer has (RECOVERY_KAFKA_PARTITION_GONE)", () => {
    const attempt = () => plan({ topicPartitions: [0, 1], assigned: [0, 1], resume: new Map([[0, 1], [2, 0], [3, 0]]), where: 'Step "in" (input)' });
    expect(attempt).toThrowError(expect.objectContaining({ code: "RECOVERY_KAFKA_PARTITION_GONE" }));
    expect(attempt).toThrowError('Step "in" (input): the saved offsets name partitions 2, 3 of topic t, which now has 2 partitions');
  });

  it("an out-of-range saved offset fails by default, and follows auto.offset.reset when set", () => {
    const resume = new Map([[1, 2], [3, 9]]);
    expect(() => plan({ resume })).toThrowError(expect.objectContaining({ code: "INPUT_KAFKA_OFFSET_OUT_OF_RANGE" }));
    expect(() => plan({ resume })).toThrowError(/partition 1 of topic t: the offset to read next, 2, is outside what the partition holds \(5 to 20\)/);
    const earliest = plan({ resume, offsetReset: "earliest" });
    expect([earliest.positions.get(1), earliest.positions.get(3), earliest.reset]).toEqual([5, 2, [1, 3]]);
    const latest = plan({ resume, offsetReset: "latest" });
    expect([latest.positions.get(1), latest.positions.get(3)]).toEqual([20, 8]);
    expect(outOfRange("earliest", { partition: 0, low: 3, high: 9 }, 1, "p")).toBe(3);
  });
});

describe("where partitions end (tail: false)", () => {
  it("at the high-water mark read at start; done when every partition reached it", () => {
    const { positions, ends } = plan({ tail: false });
    expect(ends).toEqual(new Map([[0, 10], [1, 20], [2, 0], [3, 8]]));
    expect(reachedEnds(positions, ends!)).toBe(false);
    expect(reachedEnds(new Map([[0, 10], [1, 21], [2, 0], [3, 8]]), ends!)).toBe(true);
    expect(plan({ tail: true }).ends).toBeUndefined();
  });

  it("a worker with no partitions has nothing to wait for", () => {
    const { positions, ends } = plan({ tail: false, assigned: [] });
    expect(reachedEnds(positions, ends!)).toBe(true);
  });
});
