/**
 * The Kafka input (read_committed, the default) against the real broker, on a topic where a
 * transaction that began first was aborted last, as an exactly-once output leaves it when a resume
 * fences what a killed run had open: the broker lists aborted transactions in the order they ended,
 * and the input must leave out every record of both aborted transactions (kafkajs 2.2.4's own
 * filter lets the first one's early records through; node-runner/kafka/recordBatch.ts filters as
 * Kafka's Java consumer does).
 */

import { beforeAll, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { KafkaInputConfig } from "../../engine/configs/inputs.js";
import { KafkaOutputConfig, ManualOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { execute } from "../../engine/runtime/execute.js";
import { kafkajsProducer } from "../../node-runner/kafka/kafkajsProducer.js";
import { producerSettings } from "../../node-runner/kafka/producerOptions.js";
import { testHost } from "../helpers/host.js";
import { fileTopics, kafkaBrokers, KAFKA_READY_TIMEOUT_MS } from "./records.js";
import { readCommitted, settled } from "./settled.js";

let BROKERS: string[] = [];
beforeAll(async () => {
  BROKERS = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);
const topic = fileTopics();

describe("the Kafka input on a topic whose first transaction was aborted last", () => {
  it("reads only the committed records", async () => {
    const name = await topic("aborted-late", 1);
    const prefix = `${name}-txn`;
    const producer = kafkajsProducer(producerSettings(new KafkaOutputConfig(BROKERS, name, { exactlyOnce: true })));
    try {
      await producer.connect();
      const first = await producer.beginTransaction(`${prefix}-1`);
      await first.send([{ key: "k", value: "aborted-last-1" }, { key: "k", value: "aborted-last-2" }]);
      const second = await producer.beginTransaction(`${prefix}-2`);
      await second.send([{ key: "k", value: "aborted-first" }]);
      await producer.fence(`${prefix}-2`);
      const third = await producer.beginTransaction(`${prefix}-3`);
      await third.send([{ key: "k", value: "committed" }]);
      await third.commit();
      await producer.fence(`${prefix}-1`);
      await producer.send([{ key: "k", value: "plain" }]);
    } finally {
      await producer.close();
    }
    await settled(name);

    const seen: string[] = [];
    const flow = new Dataflow()
      .input("in", new KafkaInputConfig(BROKERS, name, { tail: false }))
      .capture(new ManualOutputConfig(() => (item: unknown) => void seen.push(Buffer.from((item as [Uint8Array, Uint8Array])[1]).toString("utf8"))));
    await execute(flow, { workerCount: 1, errors: "original", epochConfig: new TestingEpochConfig(), host: testHost() });
    expect(seen).toEqual(["committed", "plain"]);
    expect((await readCommitted(name)).map((r) => String(r.value))).toEqual(["committed", "plain"]);
  }, 60_000);
});
