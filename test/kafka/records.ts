/**
 * What the Kafka input's broker tests add to the shared helpers (test/helpers/kafka.ts): keyed test
 * records on chosen partitions, an idempotent producer (a send retried after the topic gained
 * partitions must not write records twice), an admin client, deleting a topic.
 */

import type { Admin } from "kafkajs";
import { afterAll, beforeAll } from "vitest";
import { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, kafkaClient, uniqueTopic } from "../helpers/kafka.js";

export { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, uniqueTopic } from "../helpers/kafka.js";

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = (await kafkaClient("eddy-test-admin")).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The topics one test file makes, deleted after its tests (registers `afterAll`).
 *
 * ```ts
 * const topic = fileTopics();
 * const name = await topic("out", 3); // a fresh topic with 3 partitions
 * ```
 */
export function fileTopics(): (prefix: string, partitions: number) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await withAdmin((admin) => admin.deleteTopics({ topics: made })).catch(() => {});
  });
  return async (prefix, partitions) => {
    const name = uniqueTopic(prefix);
    made.push(name);
    await createTopic(name, partitions);
    return name;
  };
}

/** The environment for `eddy` runs whose flows name `{ $env: "KAFKA_BROKERS" }`, filled once the broker is ready (registers `beforeAll`). */
export function brokersEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  beforeAll(async () => {
    env.KAFKA_BROKERS = (await kafkaBrokers()).join(",");
  }, KAFKA_READY_TIMEOUT_MS);
  return env;
}

export async function deleteTopic(topic: string): Promise<void> {
  await withAdmin((admin) => admin.deleteTopics({ topics: [topic] }));
}

export interface TestRecord {
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
}

/** Produces `records` in order per partition, in sends of at most 5,000, idempotently. */
export async function produce(topic: string, records: readonly TestRecord[]): Promise<void> {
  const producer = (await kafkaClient("eddy-test-producer")).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += 5000) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + 5000).map((r) => ({ partition: r.partition, key: r.key, value: r.value })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** `count` records spread round-robin over `partitions`, keyed `k<i mod keys>`, valued `v<i>`, from index `from`. */
export function records(count: number, partitions: number, keys = 7, from = 0): TestRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return { partition: i % partitions, key: `k${i % keys}`, value: `v${i}` };
  });
}
