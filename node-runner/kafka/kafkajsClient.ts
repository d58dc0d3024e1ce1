/**
 * The Kafka port (client.ts) on kafkajs 2.2.4: its only implementation; with kafkajsFetch.ts (one
 * Fetch request to one broker), the only reading code that touches kafkajs's internals. The
 * Cluster's options come from kafkajsClusterOptions.ts, shared with the producing adapter. kafkajs
 * is required when a client is made, never when this file is loaded.
 *
 * Why internals: kafkajs's public consumer always joins a consumer group (JoinGroup, SyncGroup,
 * heartbeats, rebalances, committed offsets) and hands records over one callback at a time or per
 * batch under the group's control. Bytewax assigns partitions itself (`partition mod workerCount`),
 * with no group and no commits, and keeps offsets in its recovery store. kafkajs's `Cluster`
 * (src/cluster) is the layer below the consumer: metadata, leaders, connections with SASL and TLS,
 * and per-broker `fetch` and `listOffsets` requests. Used directly, it gives exactly Bytewax's
 * model: one Fetch request per leader for the partitions we name at the offsets we name, no group
 * coordinator ever contacted, and whole batches. The paths (`kafkajs/src/...`) are
 * internal, so kafkajs is pinned to exactly 2.2.4 in package.json; the Kafka tests exercise every
 * call made here and in kafkajsFetch.ts against a real broker.
 *
 * Fetch answers are decoded by Eddy, not kafkajs (kafkajsFetch.ts, fetchResponse.ts,
 * recordBatch.ts): records below the fetched offset (a record batch starts before it) are dropped,
 * aborted transactions are filtered (read_committed) and control records left out, as Kafka's own
 * consumer does. The next offset is the end of the last record batch read, so compacted gaps and
 * transaction markers are stepped over.
 */

import { createRequire } from "node:module";
import { EddyError } from "../../engine/host/index.js";
import { clusterOptions } from "./kafkajsClusterOptions.js";
import type { ClientSettings } from "./clientOptions.js";
import type { FetchAssignment, FetchLimits, KafkaClient, PartitionBatch, PartitionOffsets } from "./client.js";
import { kafkaError } from "./kafkaErrors.js";
import { fetchFromBroker, type KafkajsBroker } from "./kafkajsFetch.js";

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
  findBroker(o: { nodeId: string }): Promise<KafkajsBroker>;
  fetchTopicsOffset(topics: object[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

/** How often a failed fetch or offsets request is retried (metadata refreshed in between) before the input fails. */
const FETCH_RETRIES = 8;

export function kafkajsClient(settings: ClientSettings): KafkaClient {
  return new KafkajsClient(settings);
}

class KafkajsClient implements KafkaClient {
  private readonly cluster: KafkajsCluster;
  private readonly isolationLevel: number;
  /** Fetches made (which partition goes first in the next). */
  private fetches = 0;

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
    // Asked right after a topic was made, a broker may not lead its partitions yet: retried as fetches are.
    return this.retried(topic, async () => {
      const ask = (fromBeginning: boolean) =>
        this.cluster.fetchTopicsOffset([{ topic, fromBeginning, partitions: partitions.map((partition) => ({ partition })) }]);
      const [low, high] = await Promise.all([ask(true), ask(false)]);
      const lowOf = new Map(low.flatMap((t) => t.partitions).map((p) => [p.partition, Number(p.offset)]));
      const highOf = new Map(high.flatMap((t) => t.partitions).map((p) => [p.partition, Number(p.offset)]));
      return partitions.map((partition) => ({ partition, low: lowOf.get(partition) ?? 0, high: highOf.get(partition) ?? 0 }));
    });
  }

  fetch(topic: string, assignments: readonly FetchAssignment[], limits: FetchLimits): Promise<PartitionBatch[]> {
    return this.retried(topic, () => this.fetchOnce(topic, assignments, limits));
  }

  /** Runs `request`, again after a pause with metadata refreshed while it fails in a retriable way (FETCH_RETRIES times at most). */
  private async retried<T>(topic: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
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
    // Each fetch starts with another partition, so that none waits behind the others' bytes (KIP-74; kafkajs shuffles).
    const turn = this.fetches++ % Math.max(1, assignments.length);
    const ordered = [...assignments.slice(turn), ...assignments.slice(0, turn)];
    const offsetOf = new Map(ordered.map((a) => [a.partition, a.offset]));
    const byLeader = this.cluster.findLeaderForPartitions(topic, [...offsetOf.keys()]);
    const answers = await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) =>
        fetchFromBroker(await this.cluster.findBroker({ nodeId }), {
          topic,
          partitions: partitions.map((partition) => ({ partition, offset: offsetOf.get(partition)! })),
          limits,
          readCommitted: this.settings.readCommitted,
          isolationLevel: this.isolationLevel,
        }),
      ),
    );
    return answers.flat();
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
