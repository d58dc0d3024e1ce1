/**
 * What a failure of the Kafka client means to Eddy: one of the Kafka input's error codes, from the
 * client's error (kafkajs's names and protocol error types; nothing else of kafkajs is needed).
 * Pure. Messages name the topic and the brokers, never a property value (no secret can leak).
 *
 * ```ts
 * kafkaError(Object.assign(new Error("Connection error: connect ECONNREFUSED 127.0.0.1:1"), { name: "KafkaJSConnectionError" }), { topic: "t", brokers: ["127.0.0.1:1"] }).code;
 * // "INPUT_KAFKA_UNREACHABLE"
 * ```
 */

import { EddyError } from "../../engine/host/index.js";

export interface KafkaErrorContext {
  readonly topic: string;
  readonly brokers: readonly string[];
}

/** A fetch asked for an offset that the partition no longer holds (or never held). */
export class KafkaOffsetOutOfRangeError extends EddyError {
  constructor(
    readonly partition: number,
    message: string,
  ) {
    super("INPUT_KAFKA_OFFSET_OUT_OF_RANGE", message);
  }
}

const UNREACHABLE_NAMES = new Set(["KafkaJSConnectionError", "KafkaJSBrokerNotFound", "KafkaJSRequestTimeoutError", "KafkaJSSASLAuthenticationError", "KafkaJSConnectionClosedError"]);

export function kafkaError(error: unknown, context: KafkaErrorContext): EddyError {
  if (error instanceof EddyError) return error;
  const e = (error ?? {}) as { name?: unknown; type?: unknown; message?: unknown; code?: unknown; partition?: unknown; cause?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  const brokers = context.brokers.join(", ");
  if (e.type === "UNKNOWN_TOPIC_OR_PARTITION" || e.name === "KafkaJSTopicMetadataNotLoaded") {
    return new EddyError("INPUT_KAFKA_TOPIC_MISSING", `Topic ${context.topic} does not exist, please create first (brokers ${brokers})`, { cause: error });
  }
  if (e.name === "KafkaJSOffsetOutOfRange" || e.type === "OFFSET_OUT_OF_RANGE") {
    const partition = typeof e.partition === "number" ? e.partition : -1;
    return new KafkaOffsetOutOfRangeError(partition, `Topic ${context.topic}, partition ${partition}: the offset to read next is out of range (${message})`);
  }
  if (isUnreachable(e)) {
    const inner = e.name === "KafkaJSNumberOfRetriesExceeded" && e.cause instanceof Error ? e.cause.message : message;
    return new EddyError("INPUT_KAFKA_UNREACHABLE", `Cannot reach the Kafka brokers ${brokers} for topic ${context.topic}: ${inner}`, { cause: error });
  }
  return new EddyError("INPUT_KAFKA_FAILED", `Error reading input from Kafka topic ${context.topic}: ${message}`, { cause: error });
}

function isUnreachable(e: { name?: unknown; code?: unknown; cause?: unknown }): boolean {
  if (typeof e.name === "string" && UNREACHABLE_NAMES.has(e.name)) return true;
  if (e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT" || e.code === "EHOSTUNREACH" || e.code === "ENOTFOUND") return true;
  if (e.name === "KafkaJSNumberOfRetriesExceeded" || e.name === "KafkaJSNonRetriableError") {
    return typeof e.cause === "object" && e.cause !== null && isUnreachable(e.cause as { name?: unknown });
  }
  return false;
}
