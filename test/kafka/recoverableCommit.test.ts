/**
 * The recoverable commit of the producing port (node-runner/kafka/kafkajsProducer.ts) against the
 * real broker: a transaction left open by one producer (as by a killed run) is committed by another
 * with the saved ids and no InitProducerId, and becomes visible to read_committed readers;
 * committing it again is a no-op; a transaction that was aborted since (fenced) is "lost"; fencing
 * aborts what is open.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KafkaOutputConfig } from "../../engine/configs/outputs.js";
import { kafkajsProducer } from "../../node-runner/kafka/kafkajsProducer.js";
import { producerSettings } from "../../node-runner/kafka/producerOptions.js";
import { consumeAll } from "../helpers/kafka.js";
import { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, uniqueTopic, withAdmin } from "./records.js";
import { committedRecords, settled } from "./settled.js";

let BROKERS: string[] = [];
beforeAll(async () => {
  BROKERS = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);
const topics: string[] = [];
afterAll(async () => {
  await withAdmin((admin) => admin.deleteTopics({ topics })).catch(() => {});
});

async function producerFor(topic: string) {
  const producer = kafkajsProducer(producerSettings(new KafkaOutputConfig(BROKERS, topic, { exactlyOnce: true })));
  await producer.connect();
  return producer;
}

describe("a transaction left open by a producer that went away", () => {
  it("is committed by another producer with its saved ids, once; an aborted one is lost", async () => {
    const topic = uniqueTopic("txn");
    topics.push(topic);
    await createTopic(topic, 2);
    const id = `${topic}-w0-e3`;

    const killed = await producerFor(topic);
    const open = await killed.beginTransaction(id);
    await open.send([{ key: "a", value: "1" }, { key: "b", value: "2" }]);
    const ids = open.ids;
    await killed.close(); // never committed, as by SIGKILL

    // Open: a read_committed reader sees nothing yet (the last stable offset stays behind the records).
    expect(await consumeAll(topic, { isolationLevel: "read_committed" })).toEqual([]);

    const resumed = await producerFor(topic);
    expect(await resumed.commitRecovered(ids)).toBe("committed");
    expect((await committedRecords(topic)).map((r) => `${r.key}=${r.value}`).sort()).toEqual(["a=1", "b=2"]);
    expect(await resumed.commitRecovered(ids)).toBe("committed"); // a second resume commits again: a no-op

    // Another epoch's transaction, left open, then fenced (a resume that replays that epoch): aborted.
    const second = await resumed.beginTransaction(`${topic}-w0-e4`);
    await second.send([{ key: "c", value: "3" }]);
    await resumed.fence(`${topic}-w0-e4`);
    expect(await resumed.commitRecovered(second.ids)).toBe("lost");
    await settled(topic);
    expect((await committedRecords(topic)).map((r) => `${r.key}=${r.value}`).sort()).toEqual(["a=1", "b=2"]);
    await resumed.close();
  }, 60_000);
});
