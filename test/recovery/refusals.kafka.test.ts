/**
 * The refusals every recovery store gives (refusalCases.ts) on the Kafka store, against the run's
 * real broker, and the Kafka store's own: a missing partition (its records deleted), a corrupt
 * record (garbage produced to the store's topic), a topic with another partition count than the
 * run's workers, a topic that is not compacted. Each refusal comes before anything is written.
 */

import { beforeAll, describe, expect, it } from "vitest";
import { KafkaRecoveryConfig } from "../../engine/configs/recovery.js";
import { kafkaStoreTopic, readStorePartition } from "../../node-runner/recovery/kafkaStore.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { createTopic, endOffsets, KAFKA_READY_TIMEOUT_MS, kafkaBrokers, produce, uniqueTopic } from "../helpers/kafka.js";
import type { StoreKind } from "../helpers/recoveryStores.js";
import { counting, describeRefusals, items, refusal, run, storeOf } from "./refusalCases.js";
import { TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { TestingEpochOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { fromWorkerZero } from "../helpers/entryPoints.js";

let brokers: string[] = [];
beforeAll(async () => {
  brokers = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);

const KAFKA_STORE: StoreKind = {
  name: "kafka",
  fresh: () => ({ config: new KafkaRecoveryConfig(brokers, uniqueTopic("eddy-refusals")), cleanup: () => {} }),
};

const freshConfig = () => KAFKA_STORE.fresh().config as KafkaRecoveryConfig;

describeRefusals(KAFKA_STORE);

describe("refusals of the kafka store", () => {
  it("refuses a store whose partition of a worker was emptied by tombstones (RECOVERY_MISSING_PARTITION)", async () => {
    const config = freshConfig();
    await rejectionOf(run(counting("count", [], 6), config, 2));
    const topic = kafkaStoreTopic(config.topicPrefix);
    // A compacted topic refuses DeleteRecords: empty the partition as compaction would, with a
    // tombstone for every key it holds.
    const keys = new Set((await readStorePartition(brokers, topic, 1)).map((r) => Buffer.from(r.key!).toString("latin1")));
    expect(keys.size).toBeGreaterThan(0);
    await produce(topic, [...keys].map((key) => ({ key: Buffer.from(key, "latin1"), value: null, partition: 1 })));
    const error = await refusal(run(counting("count", []), config, 2));
    expect(error.code).toBe("RECOVERY_MISSING_PARTITION");
    expect(error.message).toBe(
      `Recovery store ${storeOf(config).description} is missing the partition of worker 1 (it has only the partition of worker 0 of this run's 2 workers); resuming without it would lose data.`,
    );
  }, 60_000);

  it.each([
    ["a record with a foreign key", { key: "garbage", value: "x" }],
    ["a state record whose value does not match its checksum", { key: Buffer.concat([Buffer.from("E1r"), Buffer.from([0, 0, 0, 5]), Buffer.from("count"), Buffer.from([0, 0, 0, 2]), Buffer.from("k1"), Buffer.from([0x3f, 0xf0, 0, 0, 0, 0, 0, 0])]), value: Buffer.from([1, 2, 3, 4, 0, 9]) }],
  ])("refuses %s (RECOVERY_CORRUPT) before anything is written", async (_what, message) => {
    const config = freshConfig();
    await rejectionOf(run(counting("count", [], 6), config, 1));
    const topic = kafkaStoreTopic(config.topicPrefix);
    await produce(topic, [{ ...message, partition: 0 }]);
    const before = await endOffsets(topic);
    const error = await refusal(run(counting("count", []), config, 1));
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toContain(`Recovery store ${storeOf(config).describePartition(0)} is corrupt:`);
    expect(await endOffsets(topic)).toEqual(before);
  }, 60_000);

  it("refuses a window step whose length changed (RECOVERY_STEP_CHANGED), naming the step", async () => {
    const windowed = (length: number, crashAt = -1) =>
      new Dataflow()
        .input("inp", fromWorkerZero(items))
        .map(([key, i]: [string, number]) => {
          if (i === crashAt) throw new Error("crash");
          return [key, i];
        })
        .foldWindow("win", new TestingClockConfig(1000, Date.UTC(2026, 0, 1)), new TumblingWindowConfig(length), () => 0, (acc: number, i: number) => acc + i)
        .capture(new TestingEpochOutputConfig([]));
    const config = freshConfig();
    await rejectionOf(run(windowed(100_000, 6), config, 1));
    const error = await refusal(run(windowed(200_000), config, 1));
    expect(error.code).toBe("RECOVERY_STEP_CHANGED");
    expect(error.message).toContain('"win"');
  }, 60_000);

  it("refuses a topic with another partition count than the run's workers (RECOVERY_KAFKA_TOPIC)", async () => {
    const config = freshConfig();
    const topic = kafkaStoreTopic(config.topicPrefix);
    await createTopic(topic, 3, { "cleanup.policy": "compact" });
    const error = await refusal(run(counting("count", []), config, 2));
    expect(error.code).toBe("RECOVERY_KAFKA_TOPIC");
    expect(error.message).toContain(`Kafka topic ${topic} has 3 partitions, but the run has 2 workers`);
  }, 60_000);

  it("refuses a topic that is not compacted (RECOVERY_KAFKA_TOPIC)", async () => {
    const config = freshConfig();
    const topic = kafkaStoreTopic(config.topicPrefix);
    await createTopic(topic, 1, { "cleanup.policy": "delete" });
    const error = await refusal(run(counting("count", []), config, 1));
    expect(error.code).toBe("RECOVERY_KAFKA_TOPIC");
    expect(error.message).toContain(`Kafka topic ${topic} has cleanup.policy=delete; a recovery store's topic must be compacted`);
  }, 60_000);
});
