/**
 * The topics of the Kafka workloads, through kafkajs's admin (the benchmark's own tooling, not
 * Eddy's): the input topic of `n` records made once per broker and size (records.ts), an output
 * topic per K2 run, and the number of records a topic holds.
 */

import { Kafka, logLevel } from "kafkajs";
import { inputTopic, PARTITIONS, record } from "./records.js";

function client(brokers: readonly string[]): Kafka {
  return new Kafka({ clientId: "eddy-bench-topics", brokers: [...brokers], logLevel: logLevel.NOTHING });
}

/** The records `topic` holds: the sum of its partitions' end offsets (nothing is ever deleted from these topics). */
export async function recordCount(brokers: readonly string[], topic: string): Promise<number> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Creates `topic` with the workloads' partitions; true when it was created, false when it existed. */
export async function createTopic(brokers: readonly string[], topic: string): Promise<boolean> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    return await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopic(brokers: readonly string[], topic: string): Promise<void> {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Makes the input topic of `n` records unless the broker holds it complete; returns the seconds
 * spent producing (0 when it was there). A topic of another length under that name is refused.
 */
export async function ensureInputTopic(brokers: readonly string[], n: number): Promise<number> {
  const topic = inputTopic(n);
  if (!(await createTopic(brokers, topic))) {
    const held = await recordCount(brokers, topic);
    if (held === n) return 0;
    throw new Error(`topic ${topic} holds ${held} records, not ${n}: delete it (or use a fresh broker)`);
  }
  const started = performance.now();
  const producer = client(brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < n; i += 10_000) {
      const messages = [];
      for (let j = i; j < Math.min(n, i + 10_000); j++) messages.push(record(j));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return (performance.now() - started) / 1000;
}

/**
 * The records a `read_committed` consumer reads from `topic` (what K2 wrote; a transaction's
 * commit marker takes an offset but is no record, so end offsets alone overcount exactly-once
 * output). Reads until every partition's position reaches the end offset it had at the call.
 */
export async function committedRecords(brokers: readonly string[], topic: string, timeoutMs = 120_000): Promise<number> {
  const admin = client(brokers).admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect())).map((p) => [p.partition, Number(p.high)]));
  const positions = new Map<number, number>();
  const done = () => [...ends].every(([partition, end]) => (positions.get(partition) ?? 0) >= end);
  if (done()) return 0;
  const consumer = client(brokers).consumer({ groupId: `kafkajs-bench-count-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 500 });
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${count} records of ${topic} in ${timeoutMs / 1000} s without reaching its end offsets`)), timeoutMs);
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        positions.set(payload.partition, Number(payload.lastOffset) + 1);
        if (done()) resolve();
      });
      void consumer.run({ autoCommit: false, eachBatch: async ({ batch }) => void (count += batch.messages.length) });
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return count;
}
