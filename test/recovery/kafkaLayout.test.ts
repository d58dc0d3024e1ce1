/**
 * The Kafka store's record layout and partition fold (pure, no broker): keys keep step id, key and
 * epoch apart; a fold keeps the last value of each key and drops tombstones, as compaction will;
 * anything that does not check out is RECOVERY_CORRUPT naming the offset.
 */

import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { decodeRecord, recordKey, recordValue } from "../../node-runner/recovery/kafkaRecordLayout.js";
import { contentsOf, EMPTY_PARTITION, foldPartition, planCommit, type ReadRecord } from "../../node-runner/recovery/kafkaPartitionState.js";

const meta = { formatVersion: 1, workerCount: 1, workerIndex: 0, stepIds: ["count"] };
const bytes = (...values: number[]) => new Uint8Array(values);

/** The messages of commits as read back, with offsets. */
function asRead(...commits: { key: Uint8Array; value: Uint8Array | null }[][]): ReadRecord[] {
  return commits.flat().map((message, offset) => ({ offset, key: message.key, value: message.value }));
}

describe("the Kafka store's layout", () => {
  it("keys records by length-prefixed step id and key, so ('a', 'bc') and ('ab', 'c') differ", () => {
    expect(Buffer.from(recordKey("a", "bc", 1)).equals(recordKey("ab", "c", 1))).toBe(false);
    const decoded = decodeRecord(recordKey("ab", "c", 2 ** 40), recordValue(recordKey("ab", "c", 2 ** 40), null));
    expect(decoded).toEqual({ kind: "record", id: { stepId: "ab", key: "c", epoch: 2 ** 40 }, value: null });
  });

  it("refuses a value moved to another key (its checksum covers the key)", () => {
    const decoded = decodeRecord(recordKey("s", "k", 2), recordValue(recordKey("s", "k", 1), bytes(1)));
    expect(decoded.kind).toBe("problem");
  });

  it("folds commits as compaction will: the last value wins, tombstones remove", () => {
    const first = planCommit(EMPTY_PARTITION, { meta, frontier: 1, records: [{ stepId: "count", key: "a", epoch: 0, value: bytes(1) }] });
    const second = planCommit(first.next, {
      frontier: 2,
      records: [{ stepId: "count", key: "a", epoch: 1, value: bytes(2) }],
      deletes: [{ stepId: "count", key: "a", epoch: 0 }],
    });
    expect(second.messages.some((m) => m.value === null)).toBe(true);
    const folded = foldPartition(asRead(first.messages, second.messages), "partition 0");
    expect(contentsOf(folded)).toEqual({ meta, frontier: 2, records: [{ stepId: "count", key: "a", epoch: 1, value: bytes(2) }] });
  });

  it("refuses a partition whose records do not match its summary, or a foreign record, naming the offset", () => {
    const first = planCommit(EMPTY_PARTITION, { meta, frontier: 1, records: [{ stepId: "count", key: "a", epoch: 0, value: bytes(1) }] });
    // Meta and summary (3-byte keys) without the state record they count.
    const lost = asRead(first.messages.filter((m) => m.key.length === 3));
    expect(() => foldPartition(lost, "partition 0")).toThrowError(EddyError);
    expect(() => foldPartition(lost, "partition 0")).toThrowError("it should hold 1 records");
    const foreign = [...asRead(first.messages), { offset: 9, key: Buffer.from("other"), value: Buffer.from("x") }];
    expect(() => foldPartition(foreign, "partition 0")).toThrowError(/offset 9/);
  });
});
