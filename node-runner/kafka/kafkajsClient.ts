/**
 * The Kafka port (client.ts) on kafkajs 2.2.4: its only implementation, and the only file that
 * touches kafkajs's internals.
 *
 * Why internals: kafkajs's public consumer always joins a consumer group (JoinGroup, SyncGroup,
 * heartbeats, rebalances, committed offsets) and hands records over one callback at a time or per
 * batch under the group's control. Bytewax assigns partitions itself (`partition mod workerCount`),
 * with no group and no commits, and keeps offsets in its recovery store. kafkajs's `Cluster`
 * (src/cluster) is the layer below the consumer: metadata, leaders, connections with SASL and TLS,
 * and per-broker `fetch` and `listOffsets` requests. Used directly, it gives exactly Bytewax's
 * model: one Fetch request per leader for the partitions we name at the offsets we name, no group
 * coordinator ever contacted, and whole decoded batches. The paths (`kafkajs/src/...`) are
 * internal, so kafkajs is pinned to exactly 2.2.4 in package.json; the Kafka tests exercise every
 * call made here against a real broker.
 *
 * What is taken from the fetch answer, as kafkajs's own consumer does (src/consumer/batch.js):
 * records below the fetched offset (a record batch starts before it) are dropped, aborted
 * transactions are filtered (read_committed; by our own filter, abortedTransactions.ts, since
 * kafkajs's lets through records of a transaction that began before another but was aborted after
 * it) and control records left out. The next offset is the end of the last record batch read, so
 * compacted gaps and transaction markers are stepped over.
 */

import { createRequire } from "node:module";
import { EddyError } from "../../engine/host/index.js";
import { clusterOptions } from "./kafkajsClusterOptions.js";
import type { ClientSettings } from "./clientOptions.js";
import type { FetchAssignment, FetchLimits, KafkaClient, PartitionBatch, PartitionOffsets } from "./client.js";
import { kafkaError } from "./kafkaErrors.js";
import { withoutAborted, type AbortedTransaction } from "./abortedTransactions.js";

const require = createRequire(import.meta.url);

/** kafkajs's internals, required when a client is made: a flow without Kafka never loads kafkajs. */
function kafkajsInternals() {
  return {
    Cluster: require("kafkajs/src/cluster") as new (options: Record<string, unknown>) => KafkajsCluster,
    loggers: require("kafkajs/src/loggers") as { createLogger: (o: object) => unknown; LEVELS: { NOTHING: number } },
    ISOLATION: require("kafkajs/src/protocol/isolationLevel") as { READ_COMMITTED: number; READ_UNCOMMITTED: number },
  };
}

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(o: { nodeId: string }): Promise<{ fetch(request: object): Promise<{ responses: FetchTopicResponse[] }> }>;
  fetchTopicsOffset(topics: object[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

interface RawMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord: boolean;
  batchContext: { firstOffset: string; lastOffsetDelta: number; producerId: string; inTransaction: boolean };
}

interface FetchTopicResponse {
  topicName: string;
  partitions: { partition: number; highWatermark: string; abortedTransactions?: AbortedTransaction[]; messages: RawMessage[] }[];
}

/** How often a failed fetch is retried (metadata refreshed in between) before the input fails. */
const FETCH_RETRIES = 8;

export function kafkajsClient(settings: ClientSettings): KafkaClient {
  return new KafkajsClient(settings);
}

class KafkajsClient implements KafkaClient {
  private readonly cluster: KafkajsCluster;
  private readonly isolationLevel: number;

  constructor(private readonly settings: ClientSettings) {
    const { Cluster, loggers, ISOLATION } = kafkajsInternals();
    this.isolationLevel = settings.readCommitted ? ISOLATION.READ_COMMITTED : ISOLATION.READ_UNCOMMITTED;
    this.cluster = new Cluster({
      ...clusterOptions(settings, "KafkaInputConfig"),
      logger: loggers.createLogger({ level: loggers.LEVELS.NOTHING, logCreator: () => () => {} }),
      isolationLevel: this.isolationLevel,
    });
  }

  async listPartitions(topic: string): Promise<number[]> {
    try {
      await this.cluster.connect();
      await this.cluster.addTargetTopic(topic);
      const partitions = this.cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId);
      if (partitions.length === 0) throw new EddyError("INPUT_KAFKA_TOPIC_MISSING", `Topic ${topic} does not exist, please create first`);
      return partitions.sort((a, b) => a - b);
    } catch (error) {
      throw kafkaError(error, { topic, brokers: this.settings.brokers });
    }
  }

  async offsets(topic: string, partitions: readonly number[]): Promise<PartitionOffsets[]> {
    try {
      const ask = (fromBeginning: boolean) =>
        this.cluster.fetchTopicsOffset([{ topic, fromBeginning, partitions: partitions.map((partition) => ({ partition })) }]);
      const [low, high] = await Promise.all([ask(true), ask(false)]);
      const lowOf = new Map(low.flatMap((t) => t.partitions).map((p) => [p.partition, Number(p.offset)]));
      const highOf = new Map(high.flatMap((t) => t.partitions).map((p) => [p.partition, Number(p.offset)]));
      return partitions.map((partition) => ({ partition, low: lowOf.get(partition) ?? 0, high: highOf.get(partition) ?? 0 }));
    } catch (error) {
      throw kafkaError(error, { topic, brokers: this.settings.brokers });
    }
  }

  async fetch(topic: string, assignments: readonly FetchAssignment[], limits: FetchLimits): Promise<PartitionBatch[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.fetchOnce(topic, assignments, limits);
      } catch (error) {
        const failure = kafkaError(error, { topic, brokers: this.settings.brokers });
        if (!isRetriable(error) || attempt >= FETCH_RETRIES) throw failure;
        await sleep(Math.min(4000, 100 * 2 ** attempt));
        await this.cluster.refreshMetadata().catch(() => {});
      }
    }
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => {});
  }

  private async fetchOnce(topic: string, assignments: readonly FetchAssignment[], limits: FetchLimits): Promise<PartitionBatch[]> {
    await this.cluster.refreshMetadataIfNecessary();
    const offsetOf = new Map(assignments.map((a) => [a.partition, a.offset]));
    const byLeader = this.cluster.findLeaderForPartitions(topic, [...offsetOf.keys()]);
    const answers = await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        const { responses } = await broker.fetch({
          isolationLevel: this.isolationLevel,
          maxWaitTime: limits.maxWaitMs,
          minBytes: limits.minBytes,
          maxBytes: limits.maxBytes,
          topics: [{ topic, partitions: partitions.map((partition) => ({ partition, fetchOffset: String(offsetOf.get(partition)), maxBytes: limits.maxPartitionBytes })) }],
        });
        return responses;
      }),
    );
    const batches: PartitionBatch[] = [];
    for (const responses of answers) {
      for (const response of responses) {
        for (const data of response.partitions) batches.push(this.batchOf(data, offsetOf.get(data.partition)!));
      }
    }
    return batches;
  }

  private batchOf(data: FetchTopicResponse["partitions"][number], fetched: number): PartitionBatch {
    const raw = data.messages;
    let nextOffset = fetched;
    if (raw.length > 0) {
      const context = raw[raw.length - 1]!.batchContext;
      nextOffset = Math.max(fetched, Number(context.firstOffset) + context.lastOffsetDelta + 1);
    }
    let messages = raw;
    if (messages.length > 0 && Number(messages[0]!.offset) < fetched) messages = messages.filter((m) => Number(m.offset) >= fetched);
    if (this.settings.readCommitted && data.abortedTransactions && data.abortedTransactions.length > 0) {
      messages = withoutAborted(messages, data.abortedTransactions);
    }
    const offsets: number[] = [];
    const keys: (Buffer | null)[] = [];
    const values: (Buffer | null)[] = [];
    for (const message of messages) {
      if (message.isControlRecord) continue;
      offsets.push(Number(message.offset));
      keys.push(message.key);
      values.push(message.value);
    }
    return { partition: data.partition, offsets, keys, values, nextOffset, highWatermark: Number(data.highWatermark) };
  }
}


function isRetriable(error: unknown): boolean {
  const e = error as { retriable?: unknown; name?: unknown; type?: unknown };
  if (e?.type === "OFFSET_OUT_OF_RANGE" || e?.name === "KafkaJSOffsetOutOfRange") return false;
  return e?.retriable === true || e?.name === "KafkaJSConnectionError" || e?.name === "KafkaJSBrokerNotFound" || e?.name === "KafkaJSRequestTimeoutError";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
