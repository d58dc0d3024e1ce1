/**
 * Eddy's own decoding of Fetch answers (node-runner/kafka/kafkajsFetch.ts, fetchResponse.ts,
 * recordBatch.ts) on what a real broker writes: gzip batches, null keys and values, headers,
 * transactions committed and aborted among plain records (read_committed and read_uncommitted),
 * fetches from an offset in the middle of a batch, and fetch limits small enough to cut batches.
 * Read through our Kafka port (kafkajsClient) and through the input (runMain).
 */

import { CompressionTypes } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { KafkaInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { clientSettings } from "../../node-runner/kafka/clientOptions.js";
import { keyBytes, valueBytes } from "../../node-runner/kafka/batchColumns.js";
import { kafkajsClient } from "../../node-runner/kafka/kafkajsClient.js";
import { runMain } from "../helpers/host.js";
import { kafkaClient } from "../helpers/kafka.js";
import { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, uniqueTopic, withAdmin } from "./records.js";
import { settled } from "./settled.js";

let KAFKA_BROKERS: string[] = [];
const topics: string[] = [];
beforeAll(async () => {
  KAFKA_BROKERS = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);
afterAll(async () => {
  await withAdmin((admin) => admin.deleteTopics({ topics })).catch(() => {});
});

async function topic(): Promise<string> {
  const name = uniqueTopic("eddy-decode");
  topics.push(name);
  await createTopic(name, 1);
  return name;
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("utf8"));

/** Every record of partition 0 from `from` up to the high watermark, read through our port in fetches of at most `partitionBytes`. */
async function readPort(name: string, isolation: "read_committed" | "read_uncommitted", from = 0, partitionBytes = 1 << 20): Promise<{ records: [number, string | null, string | null][]; fetches: number; high: number }> {
  const client = kafkajsClient(clientSettings(new KafkaInputConfig(KAFKA_BROKERS, name, { additionalProperties: { "isolation.level": isolation } })));
  try {
    await client.listPartitions(name);
    const high = (await client.offsets(name, [0]))[0]!.high;
    const records: [number, string | null, string | null][] = [];
    let offset = from;
    let fetches = 0;
    while (offset < high) {
      if (++fetches > 1000) throw new Error(`no progress at offset ${offset} of ${high}`);
      const [batch] = await client.fetch(name, [{ partition: 0, offset }], { maxWaitMs: 100, minBytes: 1, maxBytes: partitionBytes, maxPartitionBytes: partitionBytes });
      for (let i = 0; i < batch!.offsets.length; i++) records.push([batch!.offsets[i]!, text(keyBytes(batch!, i)), text(valueBytes(batch!, i))]);
      expect(batch!.nextOffset).toBeGreaterThan(offset);
      offset = batch!.nextOffset;
    }
    return { records, fetches, high };
  } finally {
    await client.close();
  }
}

describe("decoding what the broker wrote", () => {
  it("reads gzip batches with null keys, null values and headers, from the start and from inside a batch", async () => {
    const name = await topic();
    const producer = (await kafkaClient("eddy-test-gzip")).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const messages = Array.from({ length: 30 }, (_, i) => ({
        key: i % 5 === 0 ? null : `k${i}`,
        value: i % 7 === 0 ? null : `value ${i} ${"é".repeat(i)}`,
        headers: { trace: `t${i}`, n: String(i) },
      }));
      await producer.send({ topic: name, acks: -1, compression: CompressionTypes.GZIP, messages: messages.slice(0, 15) });
      await producer.send({ topic: name, acks: -1, messages: messages.slice(15, 20) });
      await producer.send({ topic: name, acks: -1, compression: CompressionTypes.GZIP, messages: messages.slice(20) });
      const expected = messages.map((m, i) => [i, m.key, m.value]);
      expect((await readPort(name, "read_committed")).records).toEqual(expected);
      expect((await readPort(name, "read_committed", 7)).records).toEqual(expected.slice(7));
      expect((await readPort(name, "read_committed", 22)).records).toEqual(expected.slice(22));
      const out: unknown[] = [];
      await runMain(new Dataflow().input("in", new KafkaInputConfig(KAFKA_BROKERS, name, { tail: false, decode: "utf8" })).capture(new TestingOutputConfig(out)));
      expect(out).toEqual(messages.map((m) => [m.key, m.value]));
    } finally {
      await producer.disconnect();
    }
  });

  it("leaves out aborted transactions with read_committed, keeps them with read_uncommitted, and never returns markers", async () => {
    const name = await topic();
    const kafka = await kafkaClient("eddy-test-txn");
    const plain = kafka.producer({ allowAutoTopicCreation: false });
    const transactional = kafka.producer({ allowAutoTopicCreation: false, transactionalId: `${name}-txn`, maxInFlightRequests: 1, idempotent: true });
    await Promise.all([plain.connect(), transactional.connect()]);
    const send = (producer: { send: typeof plain.send }, values: string[]) => producer.send({ topic: name, acks: -1, messages: values.map((value) => ({ key: value[0]!, value })) });
    try {
      await send(plain, ["p1", "p2"]);
      let txn = await transactional.transaction();
      await send(txn, ["c1", "c2"]);
      await send(plain, ["p3"]);
      await send(txn, ["c3"]);
      await txn.commit();
      txn = await transactional.transaction();
      await send(txn, ["a1", "a2"]);
      await send(plain, ["p4"]);
      await send(txn, ["a3"]);
      await txn.abort();
      txn = await transactional.transaction();
      await send(txn, ["c4"]);
      await txn.commit();
      await send(plain, ["p5"]);
    } finally {
      await Promise.all([plain.disconnect(), transactional.disconnect()]);
    }
    await settled(name); // the coordinator writes the last markers after commit() answered
    const values = (records: [number, string | null, string | null][]) => records.map(([, , value]) => value);
    const committed = await readPort(name, "read_committed");
    expect(values(committed.records)).toEqual(["p1", "p2", "c1", "c2", "p3", "c3", "p4", "c4", "p5"]);
    const uncommitted = await readPort(name, "read_uncommitted");
    expect(values(uncommitted.records)).toEqual(["p1", "p2", "c1", "c2", "p3", "c3", "a1", "a2", "p4", "a3", "c4", "p5"]);
    // The markers (3) take offsets that no record has: 12 records in increasing offsets below the high watermark, 15.
    const offsets = uncommitted.records.map(([offset]) => offset);
    expect(uncommitted.high).toBe(15);
    expect(offsets).toEqual([...new Set(offsets)].sort((a, b) => a - b));
    expect(offsets.at(-1)).toBeLessThan(15);
    // Fetches too small for more than one batch each (the broker still answers with the first whole),
    // or cutting the next batch short: never stuck, the same records.
    for (const bytes of [64, 200, 300]) {
      const small = await readPort(name, "read_committed", 0, bytes);
      expect(values(small.records)).toEqual(values(committed.records));
      expect(small.fetches).toBeGreaterThan(2);
    }
  });
});
