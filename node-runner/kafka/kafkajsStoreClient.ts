/**
 * The recovery store's Kafka port (storeClient.ts) on kafkajs's public API: an admin client for
 * the topic, and a transactional producer per partition (idempotent, acks from all replicas, one
 * in flight, as kafkajs requires of transactions). Failures become EddyErrors with the recovery
 * codes: RECOVERY_KAFKA_UNREACHABLE (no broker answers), RECOVERY_LOCKED (a newer writer of the
 * partition fenced this one), RECOVERY_WRITE_FAILED (the broker refused a write). Every request is
 * bounded by kafkajs's timeouts and retries.
 */

import { createRequire } from "node:module";
import type { Admin, Producer } from "kafkajs";
import { EddyError } from "../../engine/host/index.js";
import type { StoreKafka, StoreMessage, StoreTopic, TransactionalWriter } from "./storeClient.js";

// kafkajs is CommonJS: Node's ESM loader does not see all of its named exports.
const require = createRequire(import.meta.url);

/** How long a deleted topic may stay listed. */
const DELETE_DEADLINE_MS = 30_000;
/** How long a killed run's open transaction may block readers at most (the broker aborts it then). */
const TRANSACTION_TIMEOUT_MS = 60_000;

export function kafkajsStoreClient(brokers: readonly string[], clientId = "eddy-recovery"): StoreKafka {
  // Required here, when the store is used: a run without the Kafka store never loads kafkajs.
  const { ConfigResourceTypes, Kafka, logLevel } = require("kafkajs") as typeof import("kafkajs");
  const kafka = new Kafka({
    clientId,
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 250, maxRetryTime: 4_000 },
  });
  const where = brokers.join(", ");
  let admin: Promise<Admin> | undefined;
  const adminClient = (): Promise<Admin> => {
    admin ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })();
    admin.catch(() => (admin = undefined));
    return admin;
  };
  return {
    async describeTopic(topic): Promise<StoreTopic | undefined> {
      try {
        const client = await adminClient();
        if (!(await client.listTopics()).includes(topic)) return undefined;
        const { topics } = await client.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions.length ?? 0;
        const configs = await client.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["cleanup.policy"] }] });
        const cleanupPolicy = configs.resources[0]?.configEntries.find((entry) => entry.configName === "cleanup.policy")?.configValue;
        return { partitions, cleanupPolicy };
      } catch (error) {
        throw storeKafkaError(error, `describing topic ${topic}`, where);
      }
    },
    async createTopic(topic, partitions, configs) {
      try {
        const client = await adminClient();
        await client.createTopics({
          waitForLeaders: true,
          timeout: 30_000,
          topics: [{ topic, numPartitions: partitions, replicationFactor: -1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
        });
      } catch (error) {
        if (typeOf(error) === "TOPIC_ALREADY_EXISTS") return;
        throw storeKafkaError(error, `creating topic ${topic}`, where);
      }
    },
    async deleteTopic(topic) {
      try {
        const client = await adminClient();
        if (!(await client.listTopics()).includes(topic)) return false;
        await client.deleteTopics({ topics: [topic], timeout: 30_000 });
        const deadline = Date.now() + DELETE_DEADLINE_MS;
        while ((await client.listTopics()).includes(topic)) {
          if (Date.now() > deadline) throw new EddyError("RECOVERY_KAFKA_FAILED", `Kafka topic ${topic} was deleted but the brokers still list it after ${DELETE_DEADLINE_MS / 1000} s`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return true;
      } catch (error) {
        throw storeKafkaError(error, `deleting topic ${topic}`, where);
      }
    },
    async openWriter(topic, partition, transactionalId) {
      const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: TRANSACTION_TIMEOUT_MS, allowAutoTopicCreation: false });
      try {
        await producer.connect();
        // InitProducerId happens with the first transaction: an empty one takes the id now,
        // fencing earlier writers and aborting what they left open.
        const fence = await producer.transaction();
        await fence.abort();
      } catch (error) {
        await producer.disconnect().catch(() => {});
        throw storeKafkaError(error, `taking partition ${partition} of topic ${topic} (transactional id ${transactionalId})`, where);
      }
      return transactionalWriter(producer, topic, partition, where);
    },
    async close() {
      const pending = admin;
      admin = undefined;
      if (pending) await pending.then((client) => client.disconnect()).catch(() => {});
    },
  };
}

/** Records of one send at most this many bytes (a request stays well under the broker's limits). */
const SEND_BYTES = 4 * 1024 * 1024;

function transactionalWriter(producer: Producer, topic: string, partition: number, where: string): TransactionalWriter {
  return {
    async write(messages: readonly StoreMessage[]) {
      let transaction;
      try {
        transaction = await producer.transaction();
      } catch (error) {
        throw storeKafkaError(error, `writing partition ${partition} of topic ${topic}`, where);
      }
      try {
        let chunk: { key: Buffer; value: Buffer | null; partition: number }[] = [];
        let bytes = 0;
        const flush = async () => {
          if (chunk.length === 0) return;
          await transaction.send({ topic, acks: -1, timeout: 30_000, messages: chunk });
          chunk = [];
          bytes = 0;
        };
        for (const { key, value } of messages) {
          const size = key.length + (value?.length ?? 0);
          if (bytes + size > SEND_BYTES) await flush();
          chunk.push({ key: asBuffer(key), value: value === null ? null : asBuffer(value), partition });
          bytes += size;
        }
        await flush();
        await transaction.commit();
      } catch (error) {
        await transaction.abort().catch(() => {});
        throw storeKafkaError(error, `writing partition ${partition} of topic ${topic}`, where);
      }
    },
    async close() {
      await producer.disconnect().catch(() => {});
    },
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

const FENCED = new Set(["INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED", "INVALID_PRODUCER_ID_MAPPING"]);
const UNREACHABLE = new Set(["KafkaJSConnectionError", "KafkaJSBrokerNotFound", "KafkaJSRequestTimeoutError", "KafkaJSConnectionClosedError", "KafkaJSSASLAuthenticationError"]);

/** The protocol error type of a kafkajs error or of one it wraps. */
function typeOf(error: unknown): string | undefined {
  for (let e = error as { type?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.type === "string") return e.type;
  }
  return undefined;
}

function namesOf(error: unknown): string[] {
  const names: string[] = [];
  for (let e = error as { name?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 5; e = (e.cause ?? e.originalError) as typeof e, depth++) {
    if (typeof e.name === "string") names.push(e.name);
  }
  return names;
}

export function storeKafkaError(error: unknown, doing: string, brokers: string): EddyError {
  if (error instanceof EddyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const type = typeOf(error);
  if (type !== undefined && FENCED.has(type)) {
    return new EddyError("RECOVERY_LOCKED", `The Kafka recovery store was taken by another run while ${doing}: a newer run's writer fenced this one (${type}); one store serves one run at a time.`, { cause: error });
  }
  if (namesOf(error).some((name) => UNREACHABLE.has(name))) {
    return new EddyError("RECOVERY_KAFKA_UNREACHABLE", `Cannot reach the Kafka brokers ${brokers} of the recovery store while ${doing}: ${message}`, { cause: error });
  }
  return new EddyError("RECOVERY_KAFKA_FAILED", `The Kafka recovery store failed while ${doing} (brokers ${brokers}): ${message}`, { cause: error });
}
