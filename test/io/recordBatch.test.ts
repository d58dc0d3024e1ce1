/**
 * Eddy's decoder of Kafka record batches (node-runner/kafka/recordBatch.ts) on byte fixtures
 * (test/helpers/kafkaWire.ts): offsets, keys and values in columns, the fetched offset in the middle
 * of a batch, control batches, aborted transactions (Kafka's read_committed algorithm), gzip, a
 * batch cut short by the fetch's byte limit, refusals, and the old formats handed back.
 */

import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import type { PartitionBatch } from "../../node-runner/kafka/client.js";
import { keyBytes, valueBytes } from "../../node-runner/kafka/batchColumns.js";
import { decodeRecordSet, OLD_FORMAT, type AbortedTransaction, type DecodedRecordSet } from "../../node-runner/kafka/recordBatch.js";
import { controlBatch, messageSetV1, recordBatch, type FixtureRecord } from "../helpers/kafkaWire.js";

const where = "Kafka topic t, partition 0";

function decode(set: Buffer, fetchOffset = 0, readCommitted = true, abortedTransactions: AbortedTransaction[] = []): DecodedRecordSet {
  const decoded = decodeRecordSet(set, 0, set.length, { fetchOffset, readCommitted, abortedTransactions, where });
  if (decoded === OLD_FORMAT) throw new Error("unexpected old format");
  return decoded;
}

/** Each record as [offset, key, value] texts. */
function rows(set: DecodedRecordSet): [number, string | null, string | null][] {
  const batch: PartitionBatch = { partition: 0, highWatermark: 0, ...set };
  const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("utf8"));
  return Array.from(batch.offsets, (offset, i) => [offset, text(keyBytes(batch, i)), text(valueBytes(batch, i))]);
}

const records = (from: number, count: number): FixtureRecord[] => Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` }));

function thrown(fn: () => unknown): EddyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EddyError);
    return error as EddyError;
  }
  throw new Error("expected a throw");
}

describe("decodeRecordSet", () => {
  it("reads offsets, keys and values in order, null keys and values, records with headers, large timestamp deltas", () => {
    const set = Buffer.concat([
      recordBatch({
        baseOffset: 100,
        records: [
          { key: "a", value: "1", headers: [["trace", "x"], ["empty", null]] },
          { key: null, value: "2", timestampDelta: 1n << 40n },
          { key: "c", value: null },
          { key: "", value: "" },
        ],
      }),
      recordBatch({ baseOffset: 104, records: [{ key: "é", value: "ü".repeat(300) }] }),
    ]);
    const decoded = decode(set);
    expect(rows(decoded)).toEqual([[100, "a", "1"], [101, null, "2"], [102, "c", null], [103, "", ""], [104, "é", "ü".repeat(300)]]);
    expect(decoded.nextOffset).toBe(105);
    expect(decoded.bytes).toBe(set); // uncompressed records point into the answer
  });

  it("leaves out records before the fetched offset, also inside a batch, and batches wholly before it", () => {
    const set = Buffer.concat([recordBatch({ baseOffset: 0, records: records(0, 5) }), recordBatch({ baseOffset: 5, records: records(5, 5) })]);
    expect(rows(decode(set, 7)).map((r) => r[0])).toEqual([7, 8, 9]);
    expect(rows(decode(set, 3)).map((r) => r[0])).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(decode(set, 7).nextOffset).toBe(10);
  });

  it("steps over control batches: no record, but the next offset moves past them", () => {
    const set = Buffer.concat([
      recordBatch({ baseOffset: 0, records: records(0, 2), transactional: true, producerId: 3n }),
      controlBatch({ baseOffset: 2, producerId: 3n, abort: false }),
    ]);
    const decoded = decode(set, 0, false);
    expect(rows(decoded).map((r) => r[0])).toEqual([0, 1]);
    expect(decoded.nextOffset).toBe(3);
    const onlyMarker = decode(controlBatch({ baseOffset: 9, producerId: 3n, abort: true }), 9);
    expect(onlyMarker.offsets).toHaveLength(0);
    expect(onlyMarker.nextOffset).toBe(10);
  });

  it("leaves out aborted transactions with read_committed, as Kafka's consumer does, and keeps them with read_uncommitted", () => {
    // Producer 7 aborts its transaction at 0..3 (marker at 4) and commits the next at 7..8 (marker 9);
    // producer 8 commits at 2..3 (interleaved); an idempotent, non-transactional batch of 7 at 5..6 is kept.
    const set = Buffer.concat([
      recordBatch({ baseOffset: 0, records: records(0, 2), transactional: true, producerId: 7n }),
      recordBatch({ baseOffset: 2, records: records(2, 2), transactional: true, producerId: 8n }),
      controlBatch({ baseOffset: 4, producerId: 7n, abort: true }),
      recordBatch({ baseOffset: 5, records: records(5, 2), producerId: 7n }),
      recordBatch({ baseOffset: 7, records: records(7, 2), transactional: true, producerId: 7n }),
      controlBatch({ baseOffset: 9, producerId: 7n, abort: false }),
      controlBatch({ baseOffset: 10, producerId: 8n, abort: false }),
    ]);
    const aborted = [{ producerId: 7n, firstOffset: 0 }];
    const committed = decode(set, 0, true, aborted);
    expect(rows(committed).map((r) => r[0])).toEqual([2, 3, 5, 6, 7, 8]);
    expect(committed.nextOffset).toBe(11);
    expect(rows(decode(set, 0, false, aborted)).map((r) => r[0])).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
  });

  it("takes up aborted transactions in first-offset order and keeps a producer aborted until its marker, across batches", () => {
    const set = Buffer.concat([
      recordBatch({ baseOffset: 0, records: records(0, 1), transactional: true, producerId: 1n }),
      recordBatch({ baseOffset: 1, records: records(1, 1), transactional: true, producerId: 2n }),
      recordBatch({ baseOffset: 2, records: records(2, 1), transactional: true, producerId: 1n }),
      controlBatch({ baseOffset: 3, producerId: 1n, abort: true }),
      recordBatch({ baseOffset: 4, records: records(4, 1), transactional: true, producerId: 2n }),
      controlBatch({ baseOffset: 5, producerId: 2n, abort: true }),
      recordBatch({ baseOffset: 6, records: records(6, 1), transactional: true, producerId: 1n }),
    ]);
    // Listed out of order on purpose (the decoder sorts them). Producer 2's aborted transaction starts at 4: its record at 1 belongs to an earlier one, kept.
    const aborted = [{ producerId: 2n, firstOffset: 4 }, { producerId: 1n, firstOffset: 0 }];
    expect(rows(decode(set, 0, true, aborted)).map((r) => r[0])).toEqual([1, 6]);
    // Fetching from the middle still applies the markers and aborted transactions of the skipped batches.
    expect(rows(decode(set, 3, true, aborted)).map((r) => r[0])).toEqual([6]);
  });

  it("leaves out only transactional batches of an aborted producer id (Kafka checks the batch's transactional flag)", () => {
    const set = Buffer.concat([
      recordBatch({ baseOffset: 0, records: records(0, 1), transactional: true, producerId: 4n }),
      recordBatch({ baseOffset: 1, records: records(1, 1), producerId: 4n }),
      controlBatch({ baseOffset: 2, producerId: 4n, abort: true }),
    ]);
    expect(rows(decode(set, 0, true, [{ producerId: 4n, firstOffset: 0 }])).map((r) => r[0])).toEqual([1]);
  });

  it("inflates gzip batches, also mixed with plain ones (their bytes then copied into one array)", () => {
    const set = Buffer.concat([
      recordBatch({ baseOffset: 0, records: records(0, 3) }),
      recordBatch({ baseOffset: 3, records: [...records(3, 3), { key: null, value: null }], compression: 1 }),
      recordBatch({ baseOffset: 7, records: records(7, 2) }),
    ]);
    const decoded = decode(set, 1);
    expect(rows(decoded)).toEqual([[1, "k1", "v1"], [2, "k2", "v2"], [3, "k3", "v3"], [4, "k4", "v4"], [5, "k5", "v5"], [6, null, null], [7, "k7", "v7"], [8, "k8", "v8"]]);
    expect(decoded.bytes).not.toBe(set);
    const gzipOnly = decode(recordBatch({ baseOffset: 0, records: records(0, 2), compression: 1 }));
    expect(rows(gzipOnly).map((r) => r[2])).toEqual(["v0", "v1"]);
  });

  it("ignores a last batch cut short by the fetch's byte limit: the next fetch starts with it", () => {
    const whole = Buffer.concat([recordBatch({ baseOffset: 0, records: records(0, 3) }), recordBatch({ baseOffset: 3, records: records(3, 3) })]);
    const first = recordBatch({ baseOffset: 0, records: records(0, 3) }).length;
    for (const cut of [first + 1, first + 11, first + 20, whole.length - 1]) {
      const decoded = decode(whole.subarray(0, cut));
      expect(rows(decoded).map((r) => r[0])).toEqual([0, 1, 2]);
      expect(decoded.nextOffset).toBe(3);
    }
    const nothing = decode(whole.subarray(0, 30), 0);
    expect(nothing.offsets).toHaveLength(0);
    expect(nothing.nextOffset).toBe(0);
  });

  it("moves the next offset past compacted gaps: a batch's last offset delta beyond its last record", () => {
    const decoded = decode(recordBatch({ baseOffset: 10, records: [{ key: "a", value: "1", offsetDelta: 0 }, { key: "b", value: "2", offsetDelta: 4 }], lastOffsetDelta: 6 }), 10);
    expect(rows(decoded).map((r) => r[0])).toEqual([10, 14]);
    expect(decoded.nextOffset).toBe(17);
    expect(decode(recordBatch({ baseOffset: 20, records: [], lastOffsetDelta: 2 }), 20).nextOffset).toBe(23);
  });

  it("refuses snappy, lz4 and zstd batches it must read, with INPUT_KAFKA_COMPRESSION_UNSUPPORTED, but not those it skips", () => {
    for (const [compression, name] of [[2, "snappy"], [3, "lz4"], [4, "zstd"]] as const) {
      const set = recordBatch({ baseOffset: 5, records: records(5, 2), compression });
      const error = thrown(() => decode(set));
      expect(error.code).toBe("INPUT_KAFKA_COMPRESSION_UNSUPPORTED");
      expect(error.message).toContain(`${where}: the record batch at offset 5 is compressed with ${name}`);
      expect(decode(set, 7).nextOffset).toBe(7);
    }
    const abortedSnappy = Buffer.concat([recordBatch({ baseOffset: 0, records: records(0, 2), compression: 2, transactional: true, producerId: 1n }), controlBatch({ baseOffset: 2, producerId: 1n, abort: true })]);
    expect(decode(abortedSnappy, 0, true, [{ producerId: 1n, firstOffset: 0 }]).nextOffset).toBe(3);
  });

  it("refuses offsets beyond 2^53 with INPUT_KAFKA_OFFSET_TOO_LARGE", () => {
    const error = thrown(() => decode(recordBatch({ baseOffset: 2n ** 53n, records: records(0, 1) })));
    expect(error.code).toBe("INPUT_KAFKA_OFFSET_TOO_LARGE");
    expect(error.message).toContain("9007199254740992, beyond 2^53");
    expect(thrown(() => decode(recordBatch({ baseOffset: 2n ** 53n - 2n, records: records(0, 3) }))).code).toBe("INPUT_KAFKA_OFFSET_TOO_LARGE");
    expect(rows(decode(recordBatch({ baseOffset: 2n ** 53n - 3n, records: records(0, 2) }), 2 ** 53 - 3)).map((r) => r[0])).toEqual([2 ** 53 - 3, 2 ** 53 - 2]);
  });

  it("hands back OLD_FORMAT for a set that starts with magic 0 or 1, and stops before one that comes later", () => {
    const old = messageSetV1([{ offset: 0, key: "a", value: "1" }, { offset: 1, key: "b", value: "2" }]);
    expect(decodeRecordSet(old, 0, old.length, { fetchOffset: 0, readCommitted: true, abortedTransactions: [], where })).toBe(OLD_FORMAT);
    const mixed = Buffer.concat([recordBatch({ baseOffset: 0, records: records(0, 2) }), messageSetV1([{ offset: 2, key: "c", value: "3" }])]);
    const decoded = decode(mixed);
    expect(rows(decoded).map((r) => r[0])).toEqual([0, 1]);
    expect(decoded.nextOffset).toBe(2);
  });

  it("fails with INPUT_KAFKA_FAILED on a batch whose records overrun it or do not fill it", () => {
    const batch = recordBatch({ baseOffset: 0, records: records(0, 2) });
    const overrun = Buffer.from(batch);
    overrun.writeInt32BE(3, 57); // three records claimed, two there
    expect(thrown(() => decode(overrun)).code).toBe("INPUT_KAFKA_FAILED");
    const short = Buffer.from(batch);
    short.writeInt32BE(1, 57);
    expect(thrown(() => decode(short)).message).toContain("holds more than its 1 records");
    const magic3 = Buffer.from(batch);
    magic3.writeInt8(3, 16);
    expect(thrown(() => decode(magic3)).message).toContain("magic 3");
  });
});
