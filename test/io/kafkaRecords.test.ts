/**
 * A fetched batch's columns to the Kafka input's items (node-runner/connectors/kafkaRecords.ts):
 * raw items are fresh plain Uint8Arrays holding only their own bytes, strings and JSON are decoded
 * straight from the batch's bytes, nulls stay null, and `end` cuts the batch.
 */

import { describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { toItems } from "../../node-runner/connectors/kafkaRecords.js";
import type { PartitionBatch } from "../../node-runner/kafka/client.js";
import { decodeRecordSet, OLD_FORMAT } from "../../node-runner/kafka/recordBatch.js";
import { recordBatch } from "../helpers/kafkaWire.js";

/** A batch as the client gives it: records pointing into a larger answer (here a record set with bytes before and after). */
function fetched(): PartitionBatch {
  const set = Buffer.concat([
    Buffer.alloc(40, 1),
    recordBatch({ baseOffset: 10, records: [{ key: "a", value: '{"n":1}' }, { key: null, value: "[2]" }, { key: "ç", value: null }, { key: "d", value: '"x"' }] }),
    Buffer.alloc(40, 2),
  ]);
  const decoded = decodeRecordSet(set, 40, set.length - 40, { fetchOffset: 10, readCommitted: true, abortedTransactions: [], where: "t" });
  if (decoded === OLD_FORMAT) throw new Error("old format");
  return { partition: 3, highWatermark: 14, ...decoded };
}

describe("toItems", () => {
  it("copies raw keys and values into fresh Uint8Arrays (not Buffers, not views of the answer)", () => {
    const { items } = toItems(fetched(), { decode: undefined, end: undefined, topic: "t" });
    expect(items).toHaveLength(4);
    const [key, value] = items[0] as [Uint8Array, Uint8Array];
    expect(key.constructor).toBe(Uint8Array);
    expect(Buffer.isBuffer(value)).toBe(false);
    expect(value.buffer.byteLength).toBe(value.length);
    expect(value.byteOffset).toBe(0);
    expect(Buffer.from(value).toString()).toBe('{"n":1}');
    expect((items[1] as unknown[])[0]).toBeNull();
    expect((items[2] as unknown[])[1]).toBeNull();
    expect(Buffer.from((items[2] as Uint8Array[])[0]!).toString()).toBe("ç");
  });

  it("decodes UTF-8 and JSON from the batch's bytes, keeping nulls", () => {
    expect(toItems(fetched(), { decode: "utf8", end: undefined, topic: "t" }).items).toEqual([["a", '{"n":1}'], [null, "[2]"], ["ç", null], ["d", '"x"']]);
    expect(toItems(fetched(), { decode: "json", end: undefined, topic: "t" }).items).toEqual([["a", { n: 1 }], [null, [2]], ["ç", null], ["d", "x"]]);
  });

  it("leaves out records at or after `end`", () => {
    expect(toItems(fetched(), { decode: "utf8", end: 12, topic: "t" }).items).toEqual([["a", '{"n":1}'], [null, "[2]"]]);
    expect(toItems(fetched(), { decode: undefined, end: 10, topic: "t" }).items).toEqual([]);
  });

  it("fails with INPUT_KAFKA_DECODE naming the partition and offset of a payload that is not JSON", () => {
    const set = recordBatch({ baseOffset: 7, records: [{ key: "k", value: "{" }] });
    const decoded = decodeRecordSet(set, 0, set.length, { fetchOffset: 0, readCommitted: true, abortedTransactions: [], where: "t" });
    if (decoded === OLD_FORMAT) throw new Error("old format");
    const run = () => toItems({ partition: 2, highWatermark: 8, ...decoded }, { decode: "json", end: undefined, topic: "events" });
    expect(run).toThrow(EddyError);
    expect(run).toThrow(/Kafka topic events, partition 2, offset 7: the payload is not JSON/);
  });
});
