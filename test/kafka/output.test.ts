/**
 * The Kafka output against the test run's real broker (test/helpers/kafka.ts): complete and in
 * order per key (a key on one partition, the default partitioner) through runMain and clusterMain
 * with 2 workers, at least once and exactly once; a wrong item shape is a TypeError naming the
 * step; a missing topic and an unreachable broker are clear errors in bounded time.
 */

import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { KafkaOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { clusterMain, runMain } from "../helpers/host.js";
import { committedRecords } from "./settled.js";
import { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, uniqueTopic, withAdmin } from "./records.js";

let BROKERS: string[] = [];
beforeAll(async () => {
  BROKERS = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);

const topics: string[] = [];
async function topic(partitions: number): Promise<string> {
  const name = uniqueTopic("out");
  topics.push(name);
  await createTopic(name, partitions);
  return name;
}
afterAll(async () => {
  await withAdmin((admin) => admin.deleteTopics({ topics })).catch(() => {});
});

/** `count` items `[k<i mod keys>, "<i>"]`. */
function items(count: number, keys = 5): [string, string][] {
  return Array.from({ length: count }, (_, i) => [`k${i % keys}`, String(i)]);
}

/** Per key, the values read, in partition order; and which partitions each key was on. */
async function readBack(name: string) {
  const records = await committedRecords(name);
  const byKey = new Map<string, number[]>();
  const partitionsOf = new Map<string, Set<number>>();
  for (const r of records) {
    const key = r.key === null ? "null" : r.key.toString("utf8");
    byKey.set(key, [...(byKey.get(key) ?? []), Number(r.value!.toString("utf8"))]);
    partitionsOf.set(key, (partitionsOf.get(key) ?? new Set()).add(r.partition));
  }
  return { records, byKey, partitionsOf };
}

function expectedByKey(all: [string, string][]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const [k, v] of all) byKey.set(k, [...(byKey.get(k) ?? []), Number(v)]);
  return byKey;
}

describe.each([
  ["at least once", false],
  ["exactly once", true],
])("KafkaOutputConfig, %s", (_name, exactlyOnce) => {
  it("runMain: every item lands, in order per key, each key on one partition", async () => {
    const name = await topic(3);
    const all = items(300);
    await runMain(new Dataflow().input("in", new TestingInputConfig(all)).capture(new KafkaOutputConfig(BROKERS, name, { exactlyOnce })));
    const { records, byKey, partitionsOf } = await readBack(name);
    expect(records.length).toBe(all.length);
    expect(byKey).toEqual(expectedByKey(all));
    for (const partitions of partitionsOf.values()) expect(partitions.size).toBe(1);
  }, 60_000);

  it("clusterMain with 2 workers, recovery and testing epochs: every item once, in order per key", async () => {
    const name = await topic(4);
    const all = items(120, 7);
    // Each key's items come from one worker (the keyed step routes by key), so their order per key is defined.
    const flow = new Dataflow()
      .input("in", new TestingInputConfig(all))
      .statefulMap("order", () => 0, (n: number, v: string) => [n + 1, v])
      .capture(new KafkaOutputConfig(BROKERS, name, { exactlyOnce }));
    await clusterMain(flow, [], 0, { workerCountPerProc: 2, epochConfig: new TestingEpochConfig(), recoveryConfig: new MemoryRecoveryConfig() });
    const { records, byKey, partitionsOf } = await readBack(name);
    expect(records.length).toBe(all.length);
    expect(byKey).toEqual(expectedByKey(all));
    for (const partitions of partitionsOf.values()) expect(partitions.size).toBe(1);
  }, 60_000);
});

describe("KafkaOutputConfig errors", () => {
  it("an item that is not [key, payload] of strings, bytes or null: a TypeError naming the step", async () => {
    const name = await topic(1);
    const flow = new Dataflow().input("in", new TestingInputConfig([["k", "v"], ["k", 5]])).capture(new KafkaOutputConfig(BROKERS, name));
    const error = (await rejectionOf(runMain(flow))) as TypeError & { code: string };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe("OUTPUT_KAFKA_NOT_PAIR");
    expect(error.message).toBe('Step "capture_1" (capture): a Kafka output requires each item to be a [key, payload] array, each a string, a Uint8Array or null; got `["k", 5]` instead');
  }, 30_000);

  it("a missing topic: OUTPUT_KAFKA_TOPIC_MISSING", async () => {
    const flow = new Dataflow().input("in", new TestingInputConfig([["k", "v"]])).capture(new KafkaOutputConfig(BROKERS, uniqueTopic("missing")));
    const error = (await rejectionOf(runMain(flow))) as Error & { code: string };
    expect(error.code).toBe("OUTPUT_KAFKA_TOPIC_MISSING");
    expect(error.message).toContain("does not exist, please create first");
  }, 30_000);

  it("an unreachable broker: OUTPUT_KAFKA_UNREACHABLE within 35 s", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const started = Date.now();
    const flow = new Dataflow().input("in", new TestingInputConfig([["k", "v"]])).capture(new KafkaOutputConfig([`127.0.0.1:${port}`], "t"));
    const error = (await rejectionOf(runMain(flow))) as Error & { code: string };
    expect(error.code).toBe("OUTPUT_KAFKA_UNREACHABLE");
    expect(error.message).toContain(`Cannot reach the Kafka brokers 127.0.0.1:${port} for topic t`);
    expect(Date.now() - started).toBeLessThan(35_000);
  }, 60_000);
});
