/**
 * The options of a kafkajs 2.2.4 internal `Cluster` (kafkajs/src/cluster) from our client settings,
 * for the reading adapter (kafkajsClient.ts, which adds its isolation level) and the producing one
 * (kafkajsProducer.ts). `config` names the config in messages (a TLS file that cannot be read).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { EddyError } from "../../engine/host/index.js";
import type { ClientSettings } from "./clientOptions.js";

const require = createRequire(import.meta.url);

/** kafkajs is required here, when a cluster is made: a flow without Kafka never loads it. */
export function clusterOptions(settings: ClientSettings, config: "KafkaInputConfig" | "KafkaOutputConfig"): Record<string, unknown> {
  const socketFactory = require("kafkajs/src/network/socketFactory") as () => unknown;
  return {
    socketFactory: socketFactory(),
    brokers: [...settings.brokers],
    ssl: tlsOptions(settings, config),
    sasl: settings.sasl,
    clientId: settings.clientId,
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    enforceRequestTimeout: true,
    metadataMaxAge: settings.metadataMaxAgeMs,
    retry: { retries: 4, initialRetryTime: 250, maxRetryTime: 4000 },
    allowAutoTopicCreation: false,
    maxInFlightRequests: null,
  };
}

function tlsOptions(settings: ClientSettings, config: string): object | undefined {
  const tls = settings.tls;
  if (tls === undefined) return undefined;
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new EddyError("CONFIG_INVALID", `${config}: cannot read the ${what} file ${path}: ${(error as Error).message}`);
    }
  };
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.caPath !== undefined && { ca: [read(tls.caPath, "ssl.ca.location")] }),
    ...(tls.certificatePath !== undefined && { cert: read(tls.certificatePath, "ssl.certificate.location") }),
    ...(tls.keyPath !== undefined && { key: read(tls.keyPath, "ssl.key.location") }),
    ...(tls.keyPassword !== undefined && { passphrase: tls.keyPassword }),
  };
}
