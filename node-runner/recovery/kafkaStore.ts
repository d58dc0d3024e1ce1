/**
 * `KafkaRecoveryConfig(brokers, topicPrefix)`: the recovery store on one compacted Kafka topic,
 * `<topicPrefix>-state`, with a partition per worker (partition i holds worker i's data; the
 * record layout is in kafkaRecordLayout.ts, the decisions in kafkaPartitionState.ts).
 *
 * - The topic is created by the first commit that needs it, with `cleanup.policy=compact` and as
 *   many partitions as the committed meta's worker count. A topic that exists with another
 *   partition count than the run's workers, or that is not compacted, is refused
 *   (RECOVERY_KAFKA_TOPIC) before anything is written.
 * - Reading a partition: from its first offset to the end offset read at the start
 *   (read_committed: the last stable offset), within a bounded wait, folded into its state.
 * - A commit is one Kafka transaction on the partition (idempotent producer, acks from all
 *   replicas), awaited: all of a batch is visible to read_committed readers, or none of it.
 *   Deleted records are tombstones (null values), so compaction removes them: garbage collection.
 * - One owner per partition: a partition's writer is a transactional producer whose id belongs to
 *   that partition (`eddy-recovery.<topic>.<i>`), taken when the partition is opened and before it
 *   is read. Taking it (InitProducerId) fences every earlier writer of the partition and aborts
 *   what it left open: the newest run owns the store, and an older run still running fails at its
 *   next commit with RECOVERY_LOCKED. So `lock()` takes nothing itself: the fence is the lock.
 */

import { EddyError, type KafkaRecoveryConfig, type PartitionBatch, type RecoveryPartition, type RecoveryStore } from "../../engine/host/index.js";
import { keyBytes, valueBytes } from "../kafka/batchColumns.js";
import type { ClientSettings } from "../kafka/clientOptions.js";
import type { KafkaClient } from "../kafka/client.js";
import { kafkajsClient } from "../kafka/kafkajsClient.js";
import { kafkajsStoreClient } from "../kafka/kafkajsStoreClient.js";
import type { StoreKafka, TransactionalWriter } from "../kafka/storeClient.js";
import { kafkaStoreTopic } from "./kafkaStoreTopic.js";
import { contentsOf, EMPTY_PARTITION, foldPartition, planCommit, type PartitionState, type ReadRecord } from "./kafkaPartitionState.js";

export { kafkaStoreTopic } from "./kafkaStoreTopic.js";

/** How long reading one partition up to its end offset may take. */
const READ_DEADLINE_MS = 60_000;
/** Topic settings of a store's topic: compacted, records up to 64 MiB (a state can be large). */
const TOPIC_CONFIGS = { "cleanup.policy": "compact", "max.message.bytes": String(64 * 1024 * 1024) } as const;
const TOPIC_NAME = /^[A-Za-z0-9._-]+$/;

export interface KafkaStoreOptions {
  /** The Kafka port of the store (tests pass the real one; the default is kafkajs). */
  readonly storeKafka?: (brokers: readonly string[]) => StoreKafka;
  readonly reader?: (brokers: readonly string[]) => KafkaClient;
}

/** `eddy run --fresh`: deletes the store's topic (a next commit creates it again); whether there was one. */
export async function discardKafkaStore(config: KafkaRecoveryConfig, options: KafkaStoreOptions = {}): Promise<boolean> {
  const kafka = (options.storeKafka ?? kafkajsStoreClient)(config.brokers);
  try {
    return await kafka.deleteTopic(kafkaStoreTopic(config.topicPrefix));
  } finally {
    await kafka.close();
  }
}

export function kafkaRecoveryStore(config: KafkaRecoveryConfig, options: KafkaStoreOptions = {}): RecoveryStore {
  const topic = kafkaStoreTopic(config.topicPrefix);
  if (config.brokers.length === 0) throw new EddyError("CONFIG_INVALID", "KafkaRecoveryConfig: brokers must name at least one broker");
  if (!TOPIC_NAME.test(topic) || topic.length > 249) {
    throw new EddyError("RECOVERY_KAFKA_TOPIC", `KafkaRecoveryConfig: the topic prefix ${JSON.stringify(config.topicPrefix)} does not make a Kafka topic name (letters, digits, ".", "_", "-"; at most 243 characters)`);
  }
  const brokers = config.brokers;
  const storeKafka = () => (options.storeKafka ?? kafkajsStoreClient)(brokers);
  const reader = () => (options.reader ?? ((b) => kafkajsClient(readerSettings(b))))(brokers);
  const describePartition = (workerIndex: number) => `Kafka topic ${topic} partition ${workerIndex} (brokers ${brokers.join(", ")})`;
  return {
    description: `Kafka topic ${topic} (brokers ${brokers.join(", ")})`,
    async partitions() {
      const kafka = storeKafka();
      const client = reader();
      try {
        const described = await kafka.describeTopic(topic);
        if (described === undefined) return [];
        assertCompacted(topic, described.cleanupPolicy);
        const withMeta: number[] = [];
        for (let index = 0; index < described.partitions; index++) {
          const state = foldPartition(await readPartition(client, topic, index), describePartition(index));
          if (state.meta !== undefined) withMeta.push(index);
        }
        return withMeta;
      } finally {
        await Promise.all([kafka.close(), client.close()]);
      }
    },
    async open(workerIndex) {
      return kafkaPartition({ topic, workerIndex, where: describePartition(workerIndex), kafka: storeKafka(), reader: reader() });
    },
    describePartition,
    async lock() {
      // Ownership is taken per partition when it is opened (see the header): nothing to hold here.
      return { release: async () => {} };
    },
  };
}

function assertCompacted(topic: string, cleanupPolicy: string | undefined): void {
  if (cleanupPolicy !== undefined && !cleanupPolicy.split(",").map((p) => p.trim()).includes("compact")) {
    throw new EddyError("RECOVERY_KAFKA_TOPIC", `Kafka topic ${topic} has cleanup.policy=${cleanupPolicy}; a recovery store's topic must be compacted (cleanup.policy=compact), or its state would be deleted by retention.`);
  }
}

interface PartitionParts {
  readonly topic: string;
  readonly workerIndex: number;
  readonly where: string;
  readonly kafka: StoreKafka;
  readonly reader: KafkaClient;
}

async function kafkaPartition({ topic, workerIndex, where, kafka, reader }: PartitionParts): Promise<RecoveryPartition> {
  let writer: TransactionalWriter | undefined;
  let state: PartitionState = EMPTY_PARTITION;
  /** How many partitions the topic has; undefined while it does not exist. */
  let partitionCount: number | undefined;

  /** Takes the partition (fencing earlier writers), then reads it. */
  async function take(): Promise<void> {
    writer = await kafka.openWriter(topic, workerIndex, `eddy-recovery.${topic}.${workerIndex}`);
    state = foldPartition(await readPartition(reader, topic, workerIndex), where);
  }

  async function ensureTopic(batch: PartitionBatch): Promise<void> {
    if (partitionCount === undefined) {
      await kafka.createTopic(topic, Math.max(batch.meta?.workerCount ?? 0, workerIndex + 1), TOPIC_CONFIGS);
      const described = await kafka.describeTopic(topic);
      if (described === undefined) throw new EddyError("RECOVERY_KAFKA_FAILED", `Kafka topic ${topic} was created but the brokers do not describe it`);
      assertCompacted(topic, described.cleanupPolicy);
      partitionCount = described.partitions;
    }
    if (workerIndex >= partitionCount) {
      throw new EddyError("RECOVERY_KAFKA_TOPIC", `Kafka topic ${topic} has ${partitionCount} partitions; worker ${workerIndex} needs partition ${workerIndex}. A store's topic has a partition per worker of the run that created it.`);
    }
    // A partition takes its first meta: the topic must have a partition per worker of the run.
    if (state.meta === undefined && batch.meta !== undefined && batch.meta.workerCount !== partitionCount) {
      throw new EddyError("RECOVERY_KAFKA_TOPIC", `Kafka topic ${topic} has ${partitionCount} partitions, but the run has ${batch.meta.workerCount} workers; a recovery store's topic has a partition per worker. Use another topic prefix, or run with ${partitionCount} workers.`);
    }
  }

  try {
    const described = await kafka.describeTopic(topic);
    if (described !== undefined) {
      assertCompacted(topic, described.cleanupPolicy);
      partitionCount = described.partitions;
      if (workerIndex < partitionCount) await take();
    }
  } catch (error) {
    await Promise.all([writer?.close(), kafka.close(), reader.close()]);
    throw error;
  }

  return {
    async load() {
      return contentsOf(state);
    },
    async commit(batch) {
      for (const { epoch } of [...(batch.records ?? []), ...(batch.deletes ?? [])]) {
        if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error(`recovery store ${where}: epoch ${epoch} is not a whole number`);
      }
      await ensureTopic(batch);
      if (writer === undefined) await take();
      const { messages, next } = planCommit(state, batch);
      await writer!.write(messages);
      state = next;
    },
    async close() {
      await Promise.all([writer?.close(), kafka.close(), reader.close()]);
    },
  };
}

/** Every record of a store partition as read at the start of a run (for inspection and tests; no group, no fencing). */
export async function readStorePartition(brokers: readonly string[], topic: string, partition: number): Promise<ReadRecord[]> {
  const client = kafkajsClient(readerSettings(brokers));
  try {
    return await readPartition(client, topic, partition);
  } finally {
    await client.close();
  }
}

/** Every record of the partition up to the end offset read now (read_committed), oldest first. */
async function readPartition(client: KafkaClient, topic: string, partition: number): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  try {
    await client.listPartitions(topic);
    const { low, high } = (await client.offsets(topic, [partition]))[0] ?? { low: 0, high: 0 };
    const deadline = Date.now() + READ_DEADLINE_MS;
    let offset = low;
    while (offset < high) {
      if (Date.now() > deadline) {
        throw new EddyError("RECOVERY_KAFKA_FAILED", `Reading Kafka topic ${topic} partition ${partition} did not reach its end offset ${high} within ${READ_DEADLINE_MS / 1000} s (at offset ${offset})`);
      }
      const batches = await client.fetch(topic, [{ partition, offset }], { maxWaitMs: 500, minBytes: 1, maxBytes: 64 * 1024 * 1024, maxPartitionBytes: 16 * 1024 * 1024 });
      for (const batch of batches) {
        if (batch.partition !== partition) continue;
        for (let i = 0; i < batch.offsets.length; i++) {
          if (batch.offsets[i]! >= high) break;
          records.push({ offset: batch.offsets[i]!, key: keyBytes(batch, i), value: valueBytes(batch, i) });
        }
        offset = Math.max(offset, batch.nextOffset);
      }
    }
  } catch (error) {
    throw readFailure(error, topic);
  }
  return records;
}

/** The input's reading port speaks the input's codes: the store's are RECOVERY_*. */
function readFailure(error: unknown, topic: string): unknown {
  if (!(error instanceof EddyError)) return error;
  if (error.code === "INPUT_KAFKA_UNREACHABLE") return new EddyError("RECOVERY_KAFKA_UNREACHABLE", `Recovery store: ${error.message}`, { cause: error });
  if (error.code.startsWith("INPUT_KAFKA_")) return new EddyError("RECOVERY_KAFKA_FAILED", `Recovery store, reading Kafka topic ${topic}: ${error.message}`, { cause: error });
  return error;
}

function readerSettings(brokers: readonly string[]): ClientSettings {
  return {
    brokers,
    clientId: "eddy-recovery",
    tls: undefined,
    sasl: undefined,
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    startDeadlineMs: 30_000,
    metadataMaxAgeMs: 300_000,
    readCommitted: true,
    offsetReset: "error",
    fetch: { maxWaitMs: 500, minBytes: 1, maxBytes: 64 * 1024 * 1024, maxPartitionBytes: 16 * 1024 * 1024 },
  };
}
