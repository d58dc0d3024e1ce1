/**
 * The Fetch answer's frame (node-runner/kafka/fetchResponse.ts) for every version kafkajs may pick
 * (4 to 11), kafkajs's own decoder as the oracle of the record decoder on random record sets, and
 * the old message formats decoded through kafkajs (node-runner/kafka/kafkajsFetch.ts).
 */

import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { keyBytes, valueBytes } from "../../node-runner/kafka/batchColumns.js";
import type { PartitionBatch } from "../../node-runner/kafka/client.js";
import { decodeFetchResponse } from "../../node-runner/kafka/fetchResponse.js";
import { fromKafkajs, partitionBatch } from "../../node-runner/kafka/kafkajsFetch.js";
import { decodeRecordSet, OLD_FORMAT } from "../../node-runner/kafka/recordBatch.js";
import { controlBatch, fetchResponse, messageSetV1, recordBatch } from "../helpers/kafkaWire.js";

const require = createRequire(import.meta.url);
const Decoder = require("kafkajs/src/protocol/decoder") as new (buffer: Buffer) => unknown;
const decodeMessages = require("kafkajs/src/protocol/requests/fetch/v4/decodeMessages") as (decoder: unknown) => Promise<never[]>;
const { parse } = require("kafkajs/src/protocol/requests/fetch/v11/response") as { parse: (data: unknown) => Promise<unknown> };

function rows(batch: PartitionBatch): [number, string | null, string | null][] {
  const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("latin1"));
  return Array.from(batch.offsets, (offset, i) => [offset, text(keyBytes(batch, i)), text(valueBytes(batch, i))]);
}

describe("decodeFetchResponse", () => {
  it("reads every version from 4 to 11: topics, partition headers, aborted transactions, where each partition's records are", () => {
    const records = recordBatch({ baseOffset: 3, records: [{ key: "k", value: "v" }] });
    for (let version = 4; version <= 11; version++) {
      const bytes = fetchResponse(version, [
        {
          topic: "events",
          partitions: [
            { partition: 2, highWatermark: 4, lastStableOffset: 4, abortedTransactions: [{ producerId: 2n ** 40n + 1n, firstOffset: 1 }], records },
            { partition: 0, highWatermark: 0, abortedTransactions: null, records: null },
            { partition: 1, errorCode: 1, highWatermark: -1, records: Buffer.alloc(0) },
          ],
        },
      ], 25);
      const answer = decodeFetchResponse(bytes, version, "Kafka topic events");
      expect(answer.clientSideThrottleTime).toBe(version >= 8 ? 25 : 0);
      expect(answer.responses).toHaveLength(1);
      const [first, second, third] = answer.responses[0]!.partitions;
      expect(answer.responses[0]!.topicName).toBe("events");
      expect(first).toMatchObject({ partition: 2, errorCode: 0, highWatermark: 4, lastStableOffset: 4, abortedTransactions: [{ producerId: 2n ** 40n + 1n, firstOffset: 1 }] });
      expect(Buffer.from(bytes.subarray(first!.recordsStart, first!.recordsEnd)).equals(records)).toBe(true);
      expect(second).toMatchObject({ partition: 0, abortedTransactions: [], recordsStart: second!.recordsEnd });
      expect(third).toMatchObject({ partition: 1, errorCode: 1, highWatermark: -1 });
    }
  });

  it("keeps kafkajs's parse working on it: OFFSET_OUT_OF_RANGE becomes KafkaJSOffsetOutOfRange naming the partition, other codes kafkajs's protocol errors", async () => {
    const outOfRange = decodeFetchResponse(fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, highWatermark: 9, records: null }, { partition: 3, errorCode: 1, highWatermark: -1, records: null }] }]), 11, "t");
    await expect(parse(outOfRange)).rejects.toMatchObject({ name: "KafkaJSOffsetOutOfRange", type: "OFFSET_OUT_OF_RANGE", partition: 3, topic: "t" });
    const notLeader = decodeFetchResponse(fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, errorCode: 6, highWatermark: -1, records: null }] }]), 11, "t");
    await expect(parse(notLeader)).rejects.toMatchObject({ name: "KafkaJSProtocolError", retriable: true });
    const fine = decodeFetchResponse(fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, highWatermark: 0, records: null }] }]), 11, "t");
    await expect(parse(fine)).resolves.toBe(fine);
  });

  it("refuses a high watermark beyond 2^53, a truncated answer, and versions it does not decode", () => {
    const huge = fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, highWatermark: 2n ** 60n, records: null }] }]);
    expect(() => decodeFetchResponse(huge, 11, "Kafka topic t")).toThrow(expect.objectContaining({ code: "INPUT_KAFKA_OFFSET_TOO_LARGE" }));
    const whole = fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, highWatermark: 1, records: recordBatch({ baseOffset: 0, records: [{ key: "k", value: "v" }] }) }] }]);
    expect(() => decodeFetchResponse(whole.subarray(0, whole.length - 5), 11, "Kafka topic t")).toThrow(EddyError);
    expect(() => decodeFetchResponse(whole, 3, "Kafka topic t")).toThrow(/version 3/);
  });
});

describe("the record decoder against kafkajs's", () => {
  const record = fc.record({
    key: fc.option(fc.uint8Array({ maxLength: 40 }), { freq: 4 }),
    value: fc.option(fc.uint8Array({ maxLength: 300 }), { freq: 4 }),
    headers: fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.option(fc.uint8Array({ maxLength: 8 }))), { maxLength: 2 }),
  });
  const batch = fc.record({ records: fc.array(record, { maxLength: 12 }), gzip: fc.boolean(), gap: fc.nat(3), marker: fc.boolean() });

  it("gives the records kafkajs gives, as its consumer filters them (offsets, keys, values, next offset)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 6 }), fc.nat(80), fc.nat(100), async (batches, fetchOffset, cutPercent) => {
        const parts: Buffer[] = [];
        let offset = 0;
        for (const b of batches) {
          const lastOffsetDelta = Math.max(0, b.records.length - 1) + b.gap;
          parts.push(recordBatch({ baseOffset: offset, records: b.records, compression: b.gzip ? 1 : 0, lastOffsetDelta }));
          offset += lastOffsetDelta + 1;
          if (b.marker) parts.push(controlBatch({ baseOffset: offset++, producerId: 5n, abort: false }));
        }
        const whole = Buffer.concat(parts);
        const set = whole.subarray(0, Math.max(1, Math.floor((whole.length * (50 + cutPercent / 2)) / 100)));
        const ours = decodeRecordSet(set, 0, set.length, { fetchOffset, readCommitted: true, abortedTransactions: [], where: "t" });
        if (ours === OLD_FORMAT) throw new Error("old format");
        const sized = Buffer.concat([Buffer.from([0, 0, 0, 0]), set]);
        sized.writeInt32BE(set.length, 0);
        const theirs = fromKafkajs({ partition: 0, highWatermark: "0", messages: await decodeMessages(new Decoder(sized)) }, fetchOffset, true);
        expect(rows({ partition: 0, highWatermark: 0, ...ours })).toEqual(rows(theirs));
        // kafkajs's consumer moves on past its last record's batch; ours also past trailing control batches and empty ones.
        expect(ours.nextOffset).toBeGreaterThanOrEqual(theirs.nextOffset);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the old message formats", () => {
  it("are decoded by kafkajs's decoder when a partition's records start with magic 1, then filtered as before", async () => {
    const set = messageSetV1([{ offset: 4, key: "a", value: "1" }, { offset: 5, key: null, value: "2" }, { offset: 6, key: "c", value: null }]);
    const answer = fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, highWatermark: 7, records: set }] }]);
    const decoded = decodeFetchResponse(answer, 11, "Kafka topic t");
    const batch = await partitionBatch(decoded.bytes, decoded.responses[0]!.partitions[0]!, 5, true, "Kafka topic t, partition 0");
    expect(rows(batch)).toEqual([[5, null, "2"], [6, "c", null]]);
    expect(batch.nextOffset).toBe(7);
    expect(batch.highWatermark).toBe(7);
  });
});
