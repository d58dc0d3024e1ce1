/**
 * What a failure of the producing client means to Eddy: one of the Kafka output's error codes
 * (pure). The input's classification (kafkaErrors.ts) decides what is "unreachable"; the codes and
 * wording are the output's. Messages name the topic and the brokers, never a property value.
 */

import { EddyError } from "../../engine/host/index.js";
import { kafkaError } from "./kafkaErrors.js";

export function producerError(error: unknown, context: { readonly topic: string; readonly client: { readonly brokers: readonly string[] } }): EddyError {
  if (error instanceof EddyError && error.code.startsWith("OUTPUT_")) return error;
  const { topic } = context;
  const brokers = context.client.brokers;
  const classified = kafkaError(error, { topic, brokers });
  switch (classified.code) {
    case "INPUT_KAFKA_UNREACHABLE":
      return new EddyError("OUTPUT_KAFKA_UNREACHABLE", classified.message, { cause: error });
    case "INPUT_KAFKA_TOPIC_MISSING":
      return new EddyError("OUTPUT_KAFKA_TOPIC_MISSING", classified.message, { cause: error });
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return new EddyError("OUTPUT_KAFKA_FAILED", `Error producing to Kafka topic ${topic} (brokers ${brokers.join(", ")}): ${message}`, { cause: error });
    }
  }
}
