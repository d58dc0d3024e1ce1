/**
 * The read_committed filter of the Kafka port (node-runner/kafka/abortedTransactions.ts), without a
 * broker: records shaped as kafkajs decodes them, aborted-transaction lists as the broker gives
 * them (in the order the transactions ended). kafkajs 2.2.4's own filter is run on the same input
 * to show what it lets through (the reason for ours).
 */

import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { withoutAborted, type AbortedTransaction, type TransactionalRecord } from "../../node-runner/kafka/abortedTransactions.js";

const require = createRequire(import.meta.url);
const kafkajsFilter = require("kafkajs/src/consumer/filterAbortedMessages") as (o: { messages: TransactionalRecord[]; abortedTransactions: AbortedTransaction[] }) => TransactionalRecord[];

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);

/** A record of producer `producer` at `offset`: transactional unless the producer is "-1"; a marker when `marker` is given. */
function at(offset: number, producer: string, marker?: Buffer): TransactionalRecord {
  return { offset: String(offset), key: marker ?? Buffer.from(`k${offset}`), isControlRecord: marker !== undefined, batchContext: { producerId: producer, inTransaction: producer !== "-1" } };
}

const dataOffsets = (records: readonly TransactionalRecord[]) => records.filter((r) => !r.isControlRecord).map((r) => Number(r.offset));

describe("leaving out the records of aborted transactions (read_committed)", () => {
  it("enters aborted transactions by first offset: one that began earlier but was aborted later is left out whole", () => {
    // Producer 7 begins at 0 and is aborted at 5, after producer 9 (begun at 2, aborted at 3): the
    // broker lists 9 first (the order they ended), as a fenced transaction of a killed run comes.
    const records = [at(0, "7"), at(1, "7"), at(2, "9"), at(3, "9", ABORT), at(4, "7"), at(5, "7", ABORT), at(6, "11"), at(7, "11", COMMIT), at(8, "-1")];
    const aborted = [{ producerId: "9", firstOffset: "2" }, { producerId: "7", firstOffset: "0" }];
    expect(dataOffsets(withoutAborted(records, aborted))).toEqual([6, 8]);
    // kafkajs 2.2.4 lets producer 7's first records through.
    expect(dataOffsets(kafkajsFilter({ messages: records, abortedTransactions: aborted }))).toEqual([0, 1, 6, 8]);
  });

  it("enters every aborted transaction that began before the first record fetched", () => {
    // The fetch starts at 10; producers 3 and 5 are both inside aborted transactions there.
    const records = [at(10, "5"), at(11, "3"), at(12, "5", ABORT), at(13, "3", ABORT), at(14, "-1")];
    const aborted = [{ producerId: "3", firstOffset: "4" }, { producerId: "5", firstOffset: "6" }];
    expect(dataOffsets(withoutAborted(records, aborted))).toEqual([14]);
    expect(dataOffsets(kafkajsFilter({ messages: records, abortedTransactions: aborted }))).toEqual([10, 14]);
  });

  it("keeps a producer's records after its ABORT marker (a later transaction of the same producer, committed)", () => {
    const records = [at(0, "4"), at(1, "4", ABORT), at(2, "4"), at(3, "4", COMMIT)];
    expect(dataOffsets(withoutAborted(records, [{ producerId: "4", firstOffset: "0" }]))).toEqual([2]);
  });

  it("keeps every record, and the markers, when nothing was aborted", () => {
    const records = [at(0, "4"), at(1, "4", COMMIT), at(2, "-1")];
    expect(withoutAborted(records, [])).toEqual(records);
    expect(withoutAborted(records, [{ producerId: "8", firstOffset: "0" }])).toEqual(records);
  });
});
