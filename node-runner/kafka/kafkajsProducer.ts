/**
 * The producing port (producer.ts) on kafkajs 2.2.4, with the same internal Cluster as the reading
 * adapter (kafkajsClient.ts; kafkajs is pinned to exactly 2.2.4 for these paths).
 *
 * Why internals: a transaction of kafkajs's public producer hides its producer id and epoch, and a
 * new producer on the same transactional id always starts with InitProducerId, which aborts what
 * was open. Eddy must commit, after a crash, a transaction that a killed run left open (the epoch
 * was durable, so no resume replays it: aborting it would lose it). So the producer is put
 * together from kafkajs's own parts: its transaction manager (`producer/eosManager`: InitProducerId,
 * AddPartitionsToTxn, sequence numbers, EndTxn) and its sender (`producer/sendMessages`: grouping
 * by partition with the default partitioner, murmur2 on the key as Java's, one Produce request per
 * leader, retries with metadata refreshed); a recovered transaction is committed with one EndTxn
 * to the transaction coordinator (`cluster.findGroupCoordinator` with coordinator type 1), with the
 * producer id and epoch saved when it was opened.
 */

import { createRequire } from "node:module";
import { EddyError } from "../../engine/host/index.js";
import { clusterOptions } from "./kafkajsClusterOptions.js";
import type { KafkaProducer, KafkaTransaction, OutgoingRecord, RecoveredCommit, TransactionIds } from "./producer.js";
import type { ProducerSettings } from "./producerOptions.js";
import { producerError } from "./producerErrors.js";

const require = createRequire(import.meta.url);

/** kafkajs's internals, required when a producer is made: a flow without Kafka never loads kafkajs. */
function kafkajsInternals() {
  return {
    Cluster: require("kafkajs/src/cluster") as new (options: Record<string, unknown>) => KafkajsCluster,
    loggers: require("kafkajs/src/loggers") as { createLogger: (o: object) => Logger; LEVELS: { NOTHING: number } },
    createEosManager: require("kafkajs/src/producer/eosManager") as (o: object) => EosManager,
    createSendMessages: require("kafkajs/src/producer/sendMessages") as (o: object) => SendMessages,
    createRetry: require("kafkajs/src/retry") as (o: object) => unknown,
    partitioners: require("kafkajs/src/producer/partitioners") as { DefaultPartitioner: () => unknown },
    compression: require("kafkajs/src/protocol/message/compression") as { Types: { None: number; GZIP: number } },
  };
}

type Logger = object;

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  findGroupCoordinator(o: { groupId: string; coordinatorType: number }): Promise<{ endTxn(o: object): Promise<unknown> }>;
  retry: object;
}

interface EosManager {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  commit(): Promise<void>;
  getProducerId(): string | number;
  getProducerEpoch(): number;
}

type SendMessages = (o: { acks: number; timeout: number; compression: number; topicMessages: { topic: string; messages: object[] }[] }) => Promise<unknown>;

/** Errors on which a recovered commit (EndTxn) is tried again, after a pause. */
const END_TXN_RETRIABLE = new Set(["CONCURRENT_TRANSACTIONS", "COORDINATOR_LOAD_IN_PROGRESS", "NOT_COORDINATOR", "COORDINATOR_NOT_AVAILABLE", "REQUEST_TIMED_OUT"]);
/** Errors that say the transaction is no longer there to commit: the broker aborted it (timeout), or forgot its id. */
const END_TXN_LOST = new Set(["INVALID_TXN_STATE", "INVALID_PRODUCER_EPOCH", "PRODUCER_FENCED", "INVALID_PRODUCER_ID_MAPPING"]);
const END_TXN_ATTEMPTS = 20;
const TRANSACTION_COORDINATOR = 1;

export function kafkajsProducer(settings: ProducerSettings): KafkaProducer {
  return new KafkajsProducer(settings);
}

class KafkajsProducer implements KafkaProducer {
  private readonly cluster: KafkajsCluster;
  private readonly logger: Logger;
  private readonly retrier: unknown;
  private readonly partitioner: unknown;
  private readonly idempotent: EosManager;
  private readonly sendPlain: SendMessages;
  private readonly kafkajs = kafkajsInternals();
  private connected: Promise<void> | undefined;

  constructor(private readonly settings: ProducerSettings) {
    const { Cluster, loggers, createRetry, partitioners, createEosManager } = this.kafkajs;
    this.logger = loggers.createLogger({ level: loggers.LEVELS.NOTHING, logCreator: () => () => {} });
    this.cluster = new Cluster({ ...clusterOptions(settings.client, "KafkaOutputConfig"), logger: this.logger });
    this.retrier = createRetry({ ...this.cluster.retry, retries: 5 });
    this.partitioner = partitioners.DefaultPartitioner();
    this.idempotent = createEosManager({ logger: this.logger, cluster: this.cluster, transactional: false });
    this.sendPlain = this.sender(this.idempotent);
  }

  connect(): Promise<void> {
    this.connected ??= this.connectOnce();
    return this.connected;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    await this.connect();
    try {
      if (this.settings.idempotent && Number(this.idempotent.getProducerId()) === -1) await this.idempotent.initProducerId();
      await this.sendPlain(this.request(records));
    } catch (error) {
      throw producerError(error, this.settings);
    }
  }

  async beginTransaction(transactionalId: string): Promise<KafkaTransaction> {
    await this.connect();
    const eos = this.kafkajs.createEosManager({ logger: this.logger, cluster: this.cluster, transactional: true, transactionalId, transactionTimeout: this.settings.transactionTimeoutMs });
    try {
      await eos.initProducerId();
      eos.beginTransaction();
    } catch (error) {
      throw producerError(error, this.settings);
    }
    const ids: TransactionIds = { transactionalId, producerId: String(eos.getProducerId()), producerEpoch: eos.getProducerEpoch() };
    const send = this.sender(eos);
    return {
      ids,
      send: async (records) => {
        try {
          await send(this.request(records));
        } catch (error) {
          throw producerError(error, this.settings);
        }
      },
      commit: async () => {
        try {
          await eos.commit();
        } catch (error) {
          throw producerError(error, this.settings);
        }
      },
    };
  }

  async commitRecovered(ids: TransactionIds): Promise<RecoveredCommit> {
    await this.connect();
    for (let attempt = 1; ; attempt++) {
      try {
        const coordinator = await this.cluster.findGroupCoordinator({ groupId: ids.transactionalId, coordinatorType: TRANSACTION_COORDINATOR });
        await coordinator.endTxn({ ...ids, transactionResult: true });
        return "committed";
      } catch (error) {
        const type = (error as { type?: unknown }).type;
        if (typeof type === "string" && END_TXN_LOST.has(type)) return "lost";
        if (attempt >= END_TXN_ATTEMPTS || !(typeof type === "string" && END_TXN_RETRIABLE.has(type))) throw producerError(error, this.settings);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * attempt)));
      }
    }
  }

  async fence(transactionalId: string): Promise<void> {
    await this.connect();
    const eos = this.kafkajs.createEosManager({ logger: this.logger, cluster: this.cluster, transactional: true, transactionalId, transactionTimeout: this.settings.transactionTimeoutMs });
    try {
      await eos.initProducerId();
    } catch (error) {
      throw producerError(error, this.settings);
    }
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => {});
  }

  private async connectOnce(): Promise<void> {
    const { topic } = this.settings;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new EddyError("OUTPUT_KAFKA_UNREACHABLE", `Cannot reach the Kafka brokers ${this.settings.client.brokers.join(", ")} for topic ${topic}: no answer within ${this.settings.client.startDeadlineMs / 1000} s`));
      }, this.settings.client.startDeadlineMs);
    });
    try {
      await Promise.race([
        deadline,
        (async () => {
          await this.cluster.connect();
          await this.cluster.addTargetTopic(topic);
          if (this.cluster.findTopicPartitionMetadata(topic).length === 0) {
            throw new EddyError("OUTPUT_KAFKA_TOPIC_MISSING", `Topic ${topic} does not exist, please create first`);
          }
        })(),
      ]);
    } catch (error) {
      throw producerError(error, this.settings);
    } finally {
      clearTimeout(timer);
    }
  }

  private sender(eosManager: EosManager): SendMessages {
    return this.kafkajs.createSendMessages({ logger: this.logger, cluster: this.cluster, partitioner: this.partitioner, eosManager, retrier: this.retrier });
  }

  private request(records: readonly OutgoingRecord[]) {
    const messages = records.map((record) => ({ key: bytes(record.key), value: bytes(record.value) }));
    return {
      acks: this.settings.acks,
      timeout: this.settings.ackTimeoutMs,
      compression: this.settings.compression === "gzip" ? this.kafkajs.compression.Types.GZIP : this.kafkajs.compression.Types.None,
      topicMessages: [{ topic: this.settings.topic, messages }],
    };
  }
}

/** A Buffer over the same bytes (kafkajs encodes Buffers and strings). */
function bytes(value: Uint8Array | string | null): Buffer | string | null {
  if (value === null || typeof value === "string" || Buffer.isBuffer(value)) return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
