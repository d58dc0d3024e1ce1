/**
 * kafkajs helpers for tests against the run's real broker (started by kafkaGlobalSetup.ts). Only
 * the files of vite.config.ts's "kafka" project have one: those in test/kafka/ and those named
 * *.kafka.test.ts.
 *
 * ```ts
 * beforeAll(() => kafkaBrokers(), KAFKA_READY_TIMEOUT_MS); // waits until the broker is ready
 * const topic = uniqueTopic();
 * await createTopic(topic, 4);
 * await produce(topic, [{ key: "a", value: "1" }]);
 * const records = await consumeAll(topic); // every record up to the end offsets, all partitions
 * ```
 *
 * Every helper waits for the broker first, opens its own client and closes it; every wait is
 * bounded. Topics are never shared: each test makes its own with `uniqueTopic()`.
 */

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel, Partitioners, type IHeaders, type Message, type RecordMetadata } from "kafkajs";
import { inject } from "vitest";

/** How long `kafkaBrokers()` may wait for the broker to be ready: use it as the hook's timeout. */
export const KAFKA_READY_TIMEOUT_MS = 150_000;

let ready: Promise<string[]> | undefined;

/** The bootstrap addresses ("127.0.0.1:PORT"), once the broker answers; throws with its log when its start failed. */
export function kafkaBrokers(): Promise<string[]> {
  ready ??= waitForBroker();
  return ready;
}

async function waitForBroker(): Promise<string[]> {
  if (inject("kafkaBrokers") === undefined) {
    throw new Error("no Kafka broker for this file: a test that uses Kafka lives in test/kafka/ or is named *.kafka.test.ts (the kafka project of vite.config.ts, whose global setup starts the broker)");
  }
  const brokers = inject("kafkaBrokers").split(",");
  const runDir = inject("kafkaRunDir");
  const deadline = Date.now() + KAFKA_READY_TIMEOUT_MS - 5_000;
  for (;;) {
    if (runDir === "" ? await answersMetadata(brokers) : brokerState(runDir) === "ready") return brokers;
    if (Date.now() >= deadline) throw new Error(`the Kafka broker at ${brokers.join(",")} was not ready within ${KAFKA_READY_TIMEOUT_MS / 1000 - 5} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function brokerState(runDir: string): string | undefined {
  let record: { state?: string; error?: string };
  try {
    record = JSON.parse(readFileSync(join(runDir, "broker.json"), "utf8")) as { state?: string; error?: string };
  } catch {
    return undefined;
  }
  if (record.state === "failed") throw new Error(`the test run's Kafka broker failed to start: ${record.error ?? "(no reason recorded)"}`);
  return record.state;
}

async function answersMetadata(brokers: string[]): Promise<boolean> {
  const admin = client(brokers, "eddy-test-ready", 0).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function client(brokers: string[], clientId: string, retries = 8): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, connectionTimeout: 5_000, requestTimeout: 30_000, retry: { initialRetryTime: 100, retries } });
}

/** A kafkajs client of the run's broker (quiet, retrying for about 30 s). */
export async function kafkaClient(clientId = "eddy-test"): Promise<Kafka> {
  return client(await kafkaBrokers(), clientId);
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix = "eddy-test"): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/** Creates `topic` with `partitions` partitions and topic `config` entries; resolves once every partition has a leader. */
export async function createTopic(topic: string, partitions = 1, config: Readonly<Record<string, string>> = {}): Promise<void> {
  const admin = (await kafkaClient("eddy-test-admin")).admin();
  await admin.connect();
  try {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    const created = await admin.createTopics({ waitForLeaders: true, timeout: 30_000, topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }] });
    if (!created) throw new Error(`topic ${topic} already exists`);
  } finally {
    await admin.disconnect();
  }
}

/** Produces `records` (kafkajs messages) in sends of `batchSize`, acks from all replicas; resolves with each send's metadata. */
export async function produce(topic: string, records: readonly Message[], options: { batchSize?: number } = {}): Promise<RecordMetadata[]> {
  const batchSize = options.batchSize ?? 1_000;
  const producer = (await kafkaClient("eddy-test-producer")).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const metadata: RecordMetadata[] = [];
    for (let start = 0; start < records.length; start += batchSize) {
      metadata.push(...(await producer.send({ topic, acks: -1, timeout: 30_000, messages: records.slice(start, start + batchSize) })));
    }
    return metadata;
  } finally {
    await producer.disconnect();
  }
}

/** Each partition's end offset: the last stable offset (the high watermark when no transaction is open). */
export async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = (await kafkaClient("eddy-test-admin")).admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, offset }) => [partition, Number(offset)]));
  } finally {
    await admin.disconnect();
  }
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly timestamp: string;
}

export interface ConsumeOptions {
  /** "read_committed" (the default, as in kafkajs) skips aborted and open transactions' records. */
  readonly isolationLevel?: "read_committed" | "read_uncommitted";
  /**
   * Stop once this many records are read. Without it, read until every partition reaches its end
   * offset taken at the call (`endOffsets`); with read_uncommitted, also up to the high watermark
   * that the fetches report, so a partition whose only records belong to a transaction still open
   * is not waited for: pass `count` then.
   */
  readonly count?: number;
  /** Bound of the whole read (default 60 s); it then throws, saying how far each partition got. */
  readonly timeoutMs?: number;
}

/** Reads `topic` from the beginning with a consumer group of its own; records ordered by partition, then offset. */
export async function consumeAll(topic: string, options: ConsumeOptions = {}): Promise<ConsumedRecord[]> {
  const { isolationLevel = "read_committed", count, timeoutMs = 60_000 } = options;
  const targets = await endOffsets(topic);
  const positions = new Map<number, number>();
  const records: ConsumedRecord[] = [];
  const isDone = (): boolean =>
    count !== undefined ? records.length >= count : [...targets].every(([partition, end]) => (positions.get(partition) ?? 0) >= end);
  if (isDone()) return records;

  const kafka = await kafkaClient("eddy-test-consumer");
  const consumer = kafka.consumer({ groupId: uniqueTopic("harness-consumer"), readUncommitted: isolationLevel === "read_uncommitted", maxWaitTimeInMs: 500 });
  let finish: (error?: Error) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => (finish = (error) => (error === undefined ? resolve() : reject(error))));
  finished.catch(() => {}); // it may fail while the consumer still connects: awaited below
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    positions.set(payload.partition, Number(payload.lastOffset) + 1);
    if (isolationLevel === "read_uncommitted") targets.set(payload.partition, Math.max(targets.get(payload.partition) ?? 0, Number(payload.highWatermark)));
    if (isDone()) finish();
  });
  // kafkajs restarts the consumer after a retriable error (e.g. "the coordinator is loading" on a fresh broker).
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) finish(payload.error);
  });
  const timer = setTimeout(() => {
    const progress = [...targets].map(([partition, end]) => `${partition}: ${positions.get(partition) ?? 0}/${end}`).join(", ");
    finish(new Error(`consumeAll(${topic}) read ${records.length} records in ${timeoutMs / 1000} s, expecting ${count !== undefined ? `${count} records` : `the end offsets`} (partition: position/end: ${progress})`));
  }, timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          records.push({ partition: batch.partition, offset: Number(message.offset), key: message.key, value: message.value, headers: message.headers ?? {}, timestamp: message.timestamp });
        }
      },
    });
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
