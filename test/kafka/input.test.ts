/**
 * The Kafka input against the test run's real broker (test/helpers/kafka.ts), through runMain, clusterMain and
 * execute: every record read exactly once, partition p on worker p mod workerCount, no consumer
 * group, `startingOffset: "end"` with a tailing input stopped by a stop signal, resume from saved
 * offsets when the topic gained partitions, refusal when it lost some, and clear errors for a
 * missing topic and an unreachable broker.
 */

import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { KafkaInputConfig } from "../../engine/configs/inputs.js";
import { ManualOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { execute } from "../../engine/runtime/execute.js";
import { StopSignal } from "../../engine/runtime/scheduler.js";
import { clusterMain, runMain, testHost } from "../helpers/host.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { createTopic, deleteTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, produce, records, uniqueTopic, withAdmin } from "./records.js";

let KAFKA_BROKERS: string[] = [];
beforeAll(async () => {
  KAFKA_BROKERS = await kafkaBrokers();
}, KAFKA_READY_TIMEOUT_MS);

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("utf8"));
const topics: string[] = [];
async function topic(partitions: number): Promise<string> {
  const name = uniqueTopic();
  topics.push(name);
  await createTopic(name, partitions);
  return name;
}

afterAll(async () => {
  await withAdmin((admin) => admin.deleteTopics({ topics })).catch(() => {});
});

/** [worker, key, value] for every item, captured where it was read. */
function workerFlow(name: string, seen: [number, string | null, string | null][], options = {}) {
  return new Dataflow()
    .input("in", new KafkaInputConfig(KAFKA_BROKERS, name, { tail: false, ...options }))
    .capture(new ManualOutputConfig((worker) => (item: unknown) => {
      const [key, value] = item as [Uint8Array | null, Uint8Array | null];
      seen.push([worker, text(key), text(value)]);
    }));
}

/** No consumer group holds an offset of `name` (the input never joins or commits). */
async function committedOffsets(name: string): Promise<string[]> {
  return withAdmin(async (admin) => {
    const { groups } = await admin.listGroups();
    const found: string[] = [];
    for (const { groupId } of groups) {
      for (const t of await admin.fetchOffsets({ groupId, topics: [name] })) {
        for (const p of t.partitions) if (p.offset !== "-1") found.push(`${groupId}/${p.partition}=${p.offset}`);
      }
    }
    return found;
  });
}

describe("a 4-partition topic with tail: false", () => {
  const produced = records(400, 4);

  it.each([
    ["runMain", 1],
    ["clusterMain with 3 workers", 3],
  ])("is read exactly once by %s, partition p on worker p mod workerCount, with no consumer group", async (_name, workers) => {
    const name = await topic(4);
    await produce(name, produced);
    const seen: [number, string | null, string | null][] = [];
    if (workers === 1) await runMain(workerFlow(name, seen));
    else await clusterMain(workerFlow(name, seen), [], 0, { workerCountPerProc: workers });
    expect(seen.map(([, key, value]) => `${key}=${value}`).sort()).toEqual(produced.map((r) => `${r.key}=${r.value}`).sort());
    for (const [worker, , value] of seen) expect(worker).toBe((Number(value!.slice(1)) % 4) % workers);
    // Within a partition, records come in offset order.
    for (let p = 0; p < 4; p++) {
      const order = seen.filter(([, , v]) => Number(v!.slice(1)) % 4 === p).map(([, , v]) => Number(v!.slice(1)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(await committedOffsets(name)).toEqual([]);
    const groups = await withAdmin(async (admin) => (await admin.listGroups()).groups.map((g) => g.groupId));
    expect(groups.filter((g) => g.includes("eddy"))).toEqual([]);
  });

  it("ends at once on an empty topic", async () => {
    const name = await topic(2);
    const out: unknown[] = [];
    await runMain(new Dataflow().input("in", new KafkaInputConfig(KAFKA_BROKERS, name, { tail: false })).capture(new TestingOutputConfig(out)));
    expect(out).toEqual([]);
  });
});

describe("startingOffset: \"end\" with tail: true", () => {
  it("reads only records produced after the start, until a stop signal", async () => {
    const name = await topic(2);
    await produce(name, records(20, 2));
    const out: [string, string][] = [];
    const stop = new StopSignal();
    const flow = new Dataflow()
      .input("in", new KafkaInputConfig(KAFKA_BROKERS, name, { startingOffset: "end", decode: "utf8" }))
      .capture(new TestingOutputConfig(out));
    const run = execute(flow, { workerCount: 2, errors: "wrapped", host: testHost(), stop });
    // The input learns where "end" is when it starts: produce later batches until one arrives.
    let from = 1000;
    while (out.length === 0) {
      await produce(name, records(4, 2, 7, from));
      from += 4;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await produce(name, records(10, 2, 7, 5000));
    const deadline = Date.now() + 20_000;
    while (out.filter(([, v]) => Number(v.slice(1)) >= 5000).length < 10 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    stop.request();
    await run;
    const values = out.map(([, v]) => Number(v.slice(1)));
    expect(values.every((v) => v >= 1000)).toBe(true);
    expect(values.filter((v) => v >= 5000).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 5000 + i));
    expect(new Set(values).size).toBe(values.length);
  }, 60_000);
});

describe("resuming from the offsets in the recovery store", () => {
  function countFlow(name: string, out: string[]) {
    return new Dataflow().input("in", new KafkaInputConfig(KAFKA_BROKERS, name, { tail: false, decode: "utf8" })).map(([, v]: [string, string]) => v).capture(new TestingOutputConfig(out));
  }

  it("reads partitions added since the snapshot from startingOffset, and the old ones from their saved offsets", async () => {
    const name = await topic(2);
    await produce(name, records(10, 2));
    const store = new MemoryRecoveryConfig();
    const first: string[] = [];
    await execute(countFlow(name, first), { workerCount: 2, errors: "wrapped", host: testHost(), recoveryConfig: store, epochConfig: new TestingEpochConfig() });
    expect(first.sort()).toEqual(records(10, 2).map((r) => r.value).sort());
    await withAdmin((admin) => admin.createPartitions({ topicPartitions: [{ topic: name, count: 4 }] }));
    const later = records(12, 4, 7, 100);
    await produce(name, later);
    const second: string[] = [];
    await execute(countFlow(name, second), { workerCount: 2, errors: "wrapped", host: testHost(), recoveryConfig: store, epochConfig: new TestingEpochConfig() });
    expect(second.sort()).toEqual(later.map((r) => r.value).sort());
  }, 60_000);

  it("refuses a snapshot naming partitions the topic no longer has (RECOVERY_KAFKA_PARTITION_GONE)", async () => {
    const name = await topic(4);
    await produce(name, records(8, 4));
    const store = new MemoryRecoveryConfig();
    await execute(countFlow(name, []), { workerCount: 1, errors: "original", host: testHost(), recoveryConfig: store, epochConfig: new TestingEpochConfig() });
    await deleteTopic(name);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await createTopic(name, 2);
    const error = (await rejectionOf(execute(countFlow(name, []), { workerCount: 1, errors: "original", host: testHost(), recoveryConfig: store, epochConfig: new TestingEpochConfig() }))) as Error & { code: string };
    expect(error.code).toBe("RECOVERY_KAFKA_PARTITION_GONE");
    expect(error.message).toContain(`the saved offsets name partitions 2, 3 of topic ${name}, which now has 2 partitions`);
  }, 60_000);
});

describe("clear errors", () => {
  it("a missing topic", async () => {
    const error = (await rejectionOf(runMain(new Dataflow().input("in", new KafkaInputConfig(KAFKA_BROKERS, uniqueTopic("missing"))).capture(new TestingOutputConfig([]))))) as Error & { code: string };
    expect(error.code).toBe("INPUT_KAFKA_TOPIC_MISSING");
    expect(error.message).toMatch(/^Topic missing-\S+ does not exist, please create first/);
  });

  it("an unreachable broker, well within 30 s", async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = (await rejectionOf(runMain(new Dataflow().input("in", new KafkaInputConfig([`127.0.0.1:${port}`], "t")).capture(new TestingOutputConfig([]))))) as Error & { code: string };
    expect(error.code).toBe("INPUT_KAFKA_UNREACHABLE");
    expect(error.message).toContain(`Cannot reach the Kafka brokers 127.0.0.1:${port} for topic t: Connection error: connect ECONNREFUSED`);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);
});

/** A port on 127.0.0.1 that nothing listens on (one just closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
