/**
 * From a Kafka input's config to the settings of our Kafka port: librdkafka-style properties
 * (engine/configs/kafkaProperties.ts) mapped onto client settings, with librdkafka's defaults where
 * they matter (read_committed, fetch.wait.max.ms 500). Pure: TLS files are named here and read by
 * the adapter. Properties were checked by KafkaInputConfig; a value that still does not fit fails
 * with CONFIG_INVALID, never showing a secret.
 *
 * ```ts
 * const settings = clientSettings(new KafkaInputConfig(["127.0.0.1:9092"], "t", { additionalProperties: { "fetch.wait.max.ms": "100" } }));
 * settings.fetch.maxWaitMs; // 100
 * ```
 */

import { EddyError, type KafkaInputConfig } from "../../engine/host/index.js";
import { kafkaPropertyProblems } from "../../engine/host/index.js";

export type OffsetReset = "error" | "earliest" | "latest";

export interface SaslSettings {
  readonly mechanism: "plain" | "scram-sha-256" | "scram-sha-512";
  readonly username: string;
  readonly password: string;
}

export interface TlsSettings {
  readonly caPath?: string;
  readonly certificatePath?: string;
  readonly keyPath?: string;
  readonly keyPassword?: string;
  readonly rejectUnauthorized: boolean;
}

export interface ClientSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS when `security.protocol` is ssl or sasl_ssl. */
  readonly tls: TlsSettings | undefined;
  readonly sasl: SaslSettings | undefined;
  /** How long one connection attempt may take. */
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** How long the start (metadata and offsets) may take in all before the brokers count as unreachable. */
  readonly startDeadlineMs: number;
  readonly metadataMaxAgeMs: number;
  readonly readCommitted: boolean;
  readonly offsetReset: OffsetReset;
  readonly fetch: { readonly maxWaitMs: number; readonly minBytes: number; readonly maxBytes: number; readonly maxPartitionBytes: number };
}

/** librdkafka's default for `socket.connection.setup.timeout.ms` and our bound on an unreachable broker. */
const START_DEADLINE_MS = 30_000;

export function clientSettings(config: KafkaInputConfig): ClientSettings {
  const props = config.additionalProperties;
  const problems = kafkaPropertyProblems(props);
  if (problems.length > 0) throw new EddyError("CONFIG_INVALID", `KafkaInputConfig: ${problems.join("; ")}`);
  const get = (name: string): string | undefined => (Object.hasOwn(props, name) ? props[name] : undefined);
  const int = (name: string, fallback: number): number => {
    const value = get(name);
    return value === undefined ? fallback : Number(value);
  };
  const protocol = (get("security.protocol") ?? "plaintext").toLowerCase();
  const usesTls = protocol === "ssl" || protocol === "sasl_ssl";
  const usesSasl = protocol === "sasl_plaintext" || protocol === "sasl_ssl";
  const requestTimeoutMs = int("request.timeout.ms", int("socket.timeout.ms", 30_000));
  const connectionTimeoutMs = Math.min(int("socket.connection.setup.timeout.ms", 10_000), START_DEADLINE_MS);
  const maxBytes = int("fetch.max.bytes", 50 * 1024 * 1024);
  return {
    brokers: config.brokers,
    clientId: get("client.id") ?? "eddy",
    tls: usesTls
      ? {
          ...(get("ssl.ca.location") !== undefined && { caPath: get("ssl.ca.location") }),
          ...(get("ssl.certificate.location") !== undefined && { certificatePath: get("ssl.certificate.location") }),
          ...(get("ssl.key.location") !== undefined && { keyPath: get("ssl.key.location") }),
          ...(get("ssl.key.password") !== undefined && { keyPassword: get("ssl.key.password") }),
          rejectUnauthorized: (get("enable.ssl.certificate.verification") ?? "true").toLowerCase() === "true",
        }
      : undefined,
    sasl: usesSasl ? sasl(get("sasl.mechanisms") ?? get("sasl.mechanism") ?? "PLAIN", get("sasl.username"), get("sasl.password")) : undefined,
    connectionTimeoutMs,
    requestTimeoutMs,
    startDeadlineMs: START_DEADLINE_MS,
    metadataMaxAgeMs: int("metadata.max.age.ms", 300_000),
    readCommitted: (get("isolation.level") ?? "read_committed").toLowerCase() === "read_committed",
    offsetReset: offsetReset(get("auto.offset.reset")),
    fetch: {
      maxWaitMs: int("fetch.wait.max.ms", 500),
      minBytes: int("fetch.min.bytes", 1),
      maxBytes,
      maxPartitionBytes: Math.min(int("max.partition.fetch.bytes", int("fetch.message.max.bytes", 1024 * 1024)), maxBytes),
    },
  };
}

function sasl(mechanism: string, username: string | undefined, password: string | undefined): SaslSettings {
  if (username === undefined || password === undefined) {
    throw new EddyError("CONFIG_INVALID", "KafkaInputConfig: a SASL `security.protocol` needs both `sasl.username` and `sasl.password`");
  }
  return { mechanism: mechanism.toLowerCase() as SaslSettings["mechanism"], username, password };
}

/** librdkafka's spellings of `auto.offset.reset`; without it, a position out of range is an error. */
function offsetReset(value: string | undefined): OffsetReset {
  switch (value?.toLowerCase()) {
    case "earliest":
    case "smallest":
    case "beginning":
      return "earliest";
    case "latest":
    case "largest":
    case "end":
      return "latest";
    default:
      return "error";
  }
}
