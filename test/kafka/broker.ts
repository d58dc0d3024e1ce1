/**
 * A real Kafka broker for the Kafka input's tests: its address (`KAFKA_BROKERS`, default
 * 127.0.0.1:19092), an admin client, topics with unique names, and producing keyed records to
 * chosen partitions. Uses kafkajs's public API only (the code under test is what goes around it).
 * To be replaced by the shared harness (test/helpers/kafka.ts) once it lands.
 */

import { Kafka, logLevel, type Admin, type Producer } from "kafkajs";

export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? "127.0.0.1:19092").split(",");

export function testKafka(clientId = "eddy-test"): Kafka {
  return new Kafka({ clientId, brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING, retry: { initialRetryTime: 100, retries: 8 } });
}

export async function withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

let counter = 0;
export function uniqueTopic(prefix = "kin"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export async function createTopic(topic: string, numPartitions: number): Promise<void> {
  await withAdmin((admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions, replicationFactor: 1 }] }));
}

export async function deleteTopic(topic: string): Promise<void> {
  await withAdmin((admin) => admin.deleteTopics({ topics: [topic] }));
}

export interface TestRecord {
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
}

export async function withProducer<T>(fn: (producer: Producer) => Promise<T>): Promise<T> {
  // Idempotent: a retried send (new partitions not yet known, say) must not write records twice.
  const producer = testKafka().producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

/** Produces `records` (in order per partition), in sends of at most 5,000. */
export async function produce(topic: string, records: readonly TestRecord[]): Promise<void> {
  await withProducer(async (producer) => {
    for (let i = 0; i < records.length; i += 5000) {
      await producer.send({ topic, acks: -1, messages: records.slice(i, i + 5000).map((r) => ({ partition: r.partition, key: r.key, value: r.value })) });
    }
  });
}

/** `count` records spread round-robin over `partitions`, keyed `k<i mod keys>`, valued `v<i>`. */
export function records(count: number, partitions: number, keys = 7, from = 0): TestRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return { partition: i % partitions, key: `k${i % keys}`, value: `v${i}` };
  });
}

/** Consumer groups on the broker (there must be none from the input). */
export async function groupIds(): Promise<string[]> {
  return withAdmin(async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));
}
