/**
 * The test run's Kafka broker (test/helpers/kafkaGlobalSetup.ts) through the helpers of
 * test/helpers/kafka.ts: 10,000 records over 4 partitions come back whole, and the broker listens
 * on 127.0.0.1 only. The harness's refusals are in harness.test.ts.
 */

import { networkInterfaces } from "node:os";
import { ConfigResourceTypes } from "kafkajs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { canConnect } from "../../scripts/kafka/processes.js";
import { consumeAll, createTopic, endOffsets, KAFKA_READY_TIMEOUT_MS, kafkaBrokers, kafkaClient, produce, uniqueTopic } from "../helpers/kafka.js";

beforeAll(() => kafkaBrokers(), KAFKA_READY_TIMEOUT_MS);

describe("the test run's broker", () => {
  it("gives back 10,000 records produced to 4 partitions, and the end offsets count them", async () => {
    const topic = uniqueTopic();
    await createTopic(topic, 4);
    const sent = Array.from({ length: 10_000 }, (_, i) => ({ key: `key-${i % 97}`, value: `value-${i}` }));
    await produce(topic, sent);

    const records = await consumeAll(topic);
    expect(records).toHaveLength(10_000);
    expect(new Set(records.map((record) => record.value?.toString()))).toEqual(new Set(sent.map((record) => record.value)));
    const ends = await endOffsets(topic);
    expect([...ends.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const [partition, end] of ends) {
      const offsets = records.filter((record) => record.partition === partition).map((record) => record.offset);
      expect(offsets).toEqual(Array.from({ length: end }, (_, i) => i));
    }
    // One key, one partition; each partition's records in the order they were sent.
    const partitionOf = new Map<string, number>();
    for (const record of records) {
      const key = record.key!.toString();
      expect(partitionOf.get(key) ?? record.partition).toBe(record.partition);
      partitionOf.set(key, record.partition);
    }
    for (let partition = 0; partition < 4; partition++) {
      const values = records.filter((record) => record.partition === partition).map((record) => Number(record.value!.toString().slice(6)));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }

    expect(await consumeAll(topic, { isolationLevel: "read_uncommitted" })).toHaveLength(10_000);
    expect((await consumeAll(topic, { count: 100 })).length).toBeGreaterThanOrEqual(100);
  });

  it("reads an empty topic as no records, at once", async () => {
    const topic = uniqueTopic();
    await createTopic(topic, 2, { "retention.ms": "3600000" });
    expect(await consumeAll(topic, { timeoutMs: 5_000 })).toEqual([]);
  });

  // Only for the broker this run started: one named by KAFKA_BROKERS may listen anywhere.
  it.skipIf(inject("kafkaRunDir") === "")("listens and advertises on 127.0.0.1 only", async () => {
    const [bootstrap] = await kafkaBrokers();
    const port = Number(bootstrap!.split(":")[1]);
    expect(bootstrap).toBe(`127.0.0.1:${port}`);
    expect(await canConnect(port, "127.0.0.1")).toBe(true);
    const otherAddresses = ["127.0.0.2", ...Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).filter((a) => a.family === "IPv4" && !a.internal).map((a) => a.address))];
    for (const address of otherAddresses) expect({ address, connects: await canConnect(port, address) }).toEqual({ address, connects: false });

    const admin = (await kafkaClient()).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map(({ host, port: advertised }) => `${host}:${advertised}`)).toEqual([bootstrap]);
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: String(cluster.brokers[0]!.nodeId) }] });
      const config = new Map(resources[0]!.configEntries.map(({ configName, configValue }) => [configName, configValue]));
      const listeners = config.get("listeners")!.split(",");
      expect(listeners).toHaveLength(2);
      for (const listener of listeners) expect(listener).toMatch(/^(PLAINTEXT|CONTROLLER):\/\/127\.0\.0\.1:\d+$/);
      expect(config.get("advertised.listeners")).toBe(`PLAINTEXT://${bootstrap}`);
    } finally {
      await admin.disconnect();
    }
  });
});
