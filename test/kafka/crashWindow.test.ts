/**
 * The exactly-once Kafka output's crash window, made deterministic: the cluster made an epoch
 * durable, but the run died before it committed that epoch's transaction (here: the commit of a
 * chosen epoch fails, through a wrapper around the real kafkajs adapter behind our port). The
 * resume must commit that transaction by its saved ids (not abort it: no resume replays a durable
 * epoch), and abort what the failed run had open for the epochs it replays: a read_committed
 * consumer then reads every item exactly once. With 1 and 2 workers.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { KafkaOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { KafkaOutputConfig as Config, OutputContext } from "../../engine/host/index.js";
import { execute } from "../../engine/runtime/execute.js";
import { createKafkaWriter } from "../../node-runner/connectors/kafkaOutput.js";
import { kafkajsProducer } from "../../node-runner/kafka/kafkajsProducer.js";
import type { KafkaProducer } from "../../node-runner/kafka/producer.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";
import { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, uniqueTopic, withAdmin } from "./records.js";
import { committedRecords } from "./settled.js";

let BROKERS: string[] = [];
beforeAll(async () => {
  BROKERS = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);
const topics: string[] = [];
afterAll(async () => {
  await withAdmin((admin) => admin.deleteTopics({ topics })).catch(() => {});
});

/** The real producer, except that committing the transaction of epoch `dieAt` (by its id) fails, as a process killed right then. */
function dyingProducer(producer: KafkaProducer, dieAt: number): KafkaProducer {
  return {
    connect: () => producer.connect(),
    send: (records) => producer.send(records),
    commitRecovered: (ids) => producer.commitRecovered(ids),
    fence: (id) => producer.fence(id),
    close: () => producer.close(),
    beginTransaction: async (id) => {
      const transaction = await producer.beginTransaction(id);
      if (!id.endsWith(`-e${dieAt}`)) return transaction;
      return { ids: transaction.ids, send: (records) => transaction.send(records), commit: () => Promise.reject(new Error(`killed before committing ${id}`)) };
    },
  };
}

describe.each([1, 2])("exactly once, %i worker(s): a run that dies after an epoch became durable but before its commit", (workers) => {
  it("is resumed with that transaction committed, the replayed epochs' aborted: every item exactly once", async () => {
    const name = uniqueTopic("window");
    topics.push(name);
    await createTopic(name, 3);
    const items = Array.from({ length: 40 }, (_, i) => [`k${i % 5}`, String(i)]);
    const flow = () => new Dataflow().input("in", new TestingInputConfig(items)).capture(new KafkaOutputConfig(BROKERS, name, { exactlyOnce: true }));
    const store = new MemoryRecoveryConfig();
    const options = { workerCount: workers, errors: "original" as const, recoveryConfig: store, epochConfig: new TestingEpochConfig() };

    const dying = testHost({
      outputs: { kafka: (config: Config, ctx: OutputContext) => createKafkaWriter(config, ctx, (settings) => dyingProducer(kafkajsProducer(settings), 6)) },
    });
    const error = (await rejectionOf(execute(flow(), { ...options, host: dying }))) as Error;
    expect(error.message).toContain("killed before committing");

    await execute(flow(), { ...options, host: testHost() });
    const read = await committedRecords(name);
    expect(read.map((r) => String(r.value)).sort()).toEqual(items.map(([, v]) => v!).sort());
  }, 60_000);
});
