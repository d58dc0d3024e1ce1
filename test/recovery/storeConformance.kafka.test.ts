/**
 * The RecoveryStore conformance suite (storeConformance.ts) on the Kafka store
 * (KafkaRecoveryConfig), against the run's real broker: each case gets a topic prefix of its own,
 * and "reopening" makes a new store over the same topic.
 */
import { beforeAll, describe, it } from "vitest";
import { KafkaRecoveryConfig } from "../../engine/configs/recovery.js";
import { kafkaRecoveryStore } from "../../node-runner/recovery/kafkaStore.js";
import { KAFKA_READY_TIMEOUT_MS, kafkaBrokers, uniqueTopic } from "../helpers/kafka.js";
import { STORE_CONFORMANCE } from "./storeConformance.js";

let brokers: string[] = [];
beforeAll(async () => {
  brokers = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);

describe("RecoveryStore conformance: kafka", () => {
  for (const conformance of STORE_CONFORMANCE) {
    it(`[kafka] ${conformance.name}`, async () => {
      const config = new KafkaRecoveryConfig(brokers, uniqueTopic("eddy-conformance"));
      await conformance.run(() => kafkaRecoveryStore(config));
    }, 120_000);
  }
});
