/**
 * The options of a kafkajs 2.2.4 internal `Cluster` (kafkajs/src/cluster) from our client settings:
 * the producing adapter's (kafkajsProducer.ts). The reading adapter (kafkajsClient.ts) builds the
 * same options inline, with the read isolation level; folding both into this file is left for a
 * change that touches that adapter.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { EddyError } from "../../engine/host/index.js";
import type { ClientSettings } from "./clientOptions.js";

const require = createRequire(import.meta.url);

/** kafkajs is required here, when a cluster is made: a flow without Kafka never loads it. */
export function clusterOptions(settings: ClientSettings): Record<string, unknown> {
  const socketFactory = require("kafkajs/src/network/socketFactory") as () => unknown;
  return {
    socketFactory: socketFactory(),
    brokers: [...settings.brokers],
    ssl: tlsOptions(settings),
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

function tlsOptions(settings: ClientSettings): object | undefined {
  const tls = settings.tls;
  if (tls === undefined) return undefined;
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new EddyError("CONFIG_INVALID", `KafkaOutputConfig: cannot read the ${what} file ${path}: ${(error as Error).message}`);
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
