/**
 * From a Kafka output's config to the settings of the producing port: the connection and security
 * properties go through the input's mapping (clientOptions.ts, the same table entries), the
 * producer's own are mapped here. Pure. Properties were checked by KafkaOutputConfig.
 *
 * ```ts
 * producerSettings(new KafkaOutputConfig(["127.0.0.1:9092"], "t", { additionalProperties: { "compression.type": "gzip" } })).compression; // "gzip"
 * ```
 */

import { KAFKA_INPUT_PROPERTIES, KafkaInputConfig, type KafkaOutputConfig } from "../../engine/host/index.js";
import { clientSettings, type ClientSettings } from "./clientOptions.js";

export interface ProducerSettings {
  readonly client: ClientSettings;
  readonly topic: string;
  /** -1 (all in-sync replicas), 1 or 0. */
  readonly acks: -1 | 0 | 1;
  /** Idempotent sends (producer id and sequence numbers): on unless `enable.idempotence` is false or acks are not all. */
  readonly idempotent: boolean;
  readonly compression: "none" | "gzip";
  /** At most this many bytes of keys and values per send (`batch.size`; a write batch is split above it). */
  readonly maxBatchBytes: number;
  /** How long the broker may take to acknowledge one send (`message.timeout.ms`, else `request.timeout.ms`). */
  readonly ackTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  /** The transactional ids' prefix (`transactional.id`), when given. */
  readonly transactionalIdPrefix: string | undefined;
}

export function producerSettings(config: KafkaOutputConfig): ProducerSettings {
  const props = config.additionalProperties;
  const get = (name: string): string | undefined => (Object.hasOwn(props, name) ? props[name] : undefined);
  // The connection and security properties are the input's: map them the same way.
  const shared: Record<string, string> = {};
  for (const [name, value] of Object.entries(props)) if (Object.hasOwn(KAFKA_INPUT_PROPERTIES, name)) shared[name] = value;
  const client = clientSettings(new KafkaInputConfig(config.brokers, config.topic, { additionalProperties: shared }));
  const acksText = (get("acks") ?? get("request.required.acks") ?? "all").toLowerCase();
  const acks = acksText === "all" || acksText === "-1" ? -1 : acksText === "1" ? 1 : 0;
  const idempotent = acks === -1 && (get("enable.idempotence") ?? "true").toLowerCase() === "true";
  const compression = (get("compression.type") ?? get("compression.codec") ?? "none").toLowerCase() === "gzip" ? "gzip" : "none";
  const int = (name: string): number | undefined => (get(name) === undefined ? undefined : Number(get(name)));
  return {
    client,
    topic: config.topic,
    acks,
    idempotent,
    compression,
    maxBatchBytes: int("batch.size") ?? 1_000_000,
    ackTimeoutMs: int("message.timeout.ms") ?? client.requestTimeoutMs,
    transactionTimeoutMs: int("transaction.timeout.ms") ?? 60_000,
    transactionalIdPrefix: get("transactional.id"),
  };
}
