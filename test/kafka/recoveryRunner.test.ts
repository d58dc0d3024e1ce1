/**
 * `eddy run` with a flow-file `kafka` recovery block (brokers from `$env`) against the run's real
 * broker: SIGKILL in the middle of a tailing run and a resume with exact per-key counts (1 and 2
 * workers); a corrupt record in the store's topic refused with exit 4 before anything changes;
 * garbage collection by tombstones (the topic's live keys stay bounded over many epochs); and one
 * owner at a time: a second run on the store fences the first, which stops with exit 4.
 * Every wait is bounded and triggered by what can be observed (output lines, exit), never by time.
 */

import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaStoreTopic, readStorePartition } from "../../node-runner/recovery/kafkaStore.js";
import { endOffsets, produce as produceRaw } from "../helpers/kafka.js";
import { describeRun, eddy, filesIn, flowFile, lines, removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { createTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, produce, records, uniqueTopic } from "./records.js";

const env: Record<string, string> = {};
beforeAll(async () => {
  env.KAFKA_BROKERS = (await kafkaBrokers()).join(",");
}, KAFKA_READY_TIMEOUT_MS);
const brokers = [{ $env: "KAFKA_BROKERS" }];

afterAll(() => removeTemporaryDirectories());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Whether every partition of a store's topic has had at least `commits` commits after its creation:
 * creating a partition writes 3 offsets (meta, summary, commit marker), and each commit at least 2
 * (a summary, a marker), so with one transaction at most open, `commits - 1` are committed.
 */
async function committedOnEvery(storeTopic: string, partitions: number, commits: number): Promise<boolean> {
  let offsets: Map<number, number>;
  try {
    offsets = await endOffsets(storeTopic);
  } catch {
    return false;
  }
  return offsets.size === partitions && [...offsets.values()].every((end) => end >= 3 + 2 * commits);
}

/** A tailing count of the input's keys into `dir`/counts*.jsonl, recovered in Kafka under `topicPrefix`. */
function countingFlow(topic: string, dir: string, topicPrefix: string, epoch: object = { type: "periodic", length: 100 }, tail = true): string {
  return flowFile(
    [
      { id: "in", op: "input", input: { type: "kafka", brokers, topic, tail, decode: "utf8" } },
      { id: "ones", op: "map", after: ["in"], fn: "([key]) => [key, 1]" },
      { id: "count", op: "stateful_map", after: ["ones"], builder: "() => 0", fn: "(n, one) => [n + one, n + one]" },
      { id: "out", op: "capture", after: ["count"], output: { type: "file", path: join(dir, "counts.jsonl") } },
    ],
    { epoch, recovery: { type: "kafka", brokers, topicPrefix } },
  );
}

function expectExactCounts(all: readonly { key: string | null }[], outputLines: string[]): void {
  const expected = new Map<string, number>();
  for (const r of all) expected.set(r.key!, (expected.get(r.key!) ?? 0) + 1);
  const counts = new Map<string, number[]>();
  for (const line of outputLines) {
    const [key, n] = JSON.parse(line) as [string, number];
    counts.set(key, [...(counts.get(key) ?? []), n]);
  }
  expect([...counts.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, total] of expected) {
    expect(counts.get(key)!.sort((a, b) => a - b), key).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  }
}

describe("eddy run with a Kafka recovery store", () => {
  it.each([1, 2])("resumes after SIGKILL with exact per-key counts (%i workers)", async (workers) => {
    const topic = uniqueTopic("krec-kill");
    await createTopic(topic, 4);
    const dir = temporaryDirectory("eddy-krec-kill-");
    const topicPrefix = uniqueTopic("krec-store");
    const flow = countingFlow(topic, dir, topicPrefix);
    const outputLines = () => [...filesIn(dir, /^counts/).values()].flatMap(lines);
    const all = records(900, 4, 7);
    await produce(topic, all.slice(0, 300));

    let child: ChildProcess | undefined;
    const killed = eddy(["run", flow, "-w", String(workers)], { env, timeoutMs: 60_000, onStart: (c) => (child = c) });
    await until(() => outputLines().length >= 100, 30_000, "the first counts");
    await produce(topic, all.slice(300, 600));
    // Killed while the second slice is being counted: some of it is out, and not all of it.
    await until(() => outputLines().length > 300, 30_000, "counts of the second slice");
    // ...and once the store holds committed epochs on every partition, so the resume has something to resume.
    await untilAsync(() => committedOnEvery(kafkaStoreTopic(topicPrefix), workers, 4), 30_000, "committed epochs in the store");
    child!.kill("SIGKILL");
    const first = await killed;
    expect(first.signal, describeRun(first)).toBe("SIGKILL");
    await produce(topic, all.slice(600));

    const resumed = eddy(["run", flow, "-w", String(workers)], { env, timeoutMs: 60_000, onStart: (c) => (child = c) });
    await until(() => outputLines().length >= all.length, 40_000, "every count");
    child!.kill("SIGTERM");
    const second = await resumed;
    expect(second.code, describeRun(second)).toBe(130);
    expect(second.stderr, describeRun(second)).toContain("resuming at epoch");
    expect(second.stderr).toContain(`recovery in Kafka topic`);
    expectExactCounts(all, outputLines());
  }, 150_000);

  it("serves a cluster of 2 processes (eddy run -n 2): each reads and writes its own workers' partitions; a stop and a resume give exact per-key counts", async () => {
    const topic = uniqueTopic("krec-cluster");
    await createTopic(topic, 4);
    const dir = temporaryDirectory("eddy-krec-cluster-");
    const topicPrefix = uniqueTopic("krec-store");
    const flow = countingFlow(topic, dir, topicPrefix);
    const outputLines = () => [...filesIn(dir, /^counts/).values()].flatMap(lines);
    const all = records(600, 4, 7);
    await produce(topic, all.slice(0, 300));

    let child: ChildProcess | undefined;
    const first = eddy(["run", flow, "-n", "2", "-w", "1"], { env, timeoutMs: 90_000, onStart: (c) => (child = c) });
    await until(() => outputLines().length >= 300, 40_000, "the first counts");
    await untilAsync(() => committedOnEvery(kafkaStoreTopic(topicPrefix), 2, 3), 30_000, "committed epochs on both processes' partitions");
    child!.kill("SIGTERM");
    const stopped = await first;
    expect(stopped.code, describeRun(stopped)).toBe(130);
    expect(stopped.stderr).toContain(`recovery in Kafka topic ${kafkaStoreTopic(topicPrefix)}`);
    await produce(topic, all.slice(300));

    const resumed = eddy(["run", flow, "-n", "2", "-w", "1"], { env, timeoutMs: 90_000, onStart: (c) => (child = c) });
    await until(() => outputLines().length >= all.length, 40_000, "every count");
    child!.kill("SIGTERM");
    const second = await resumed;
    expect(second.code, describeRun(second)).toBe(130);
    expect(second.stderr, describeRun(second)).toMatch(/resuming at epoch [1-9]/);
    expectExactCounts(all, outputLines());
  }, 200_000);

  it("refuses a corrupt record in the store's topic with exit 4, before anything changes; --fresh starts over", async () => {
    const topic = uniqueTopic("krec-corrupt");
    await createTopic(topic, 2);
    await produce(topic, records(40, 2, 5));
    const dir = temporaryDirectory("eddy-krec-corrupt-");
    const topicPrefix = uniqueTopic("krec-store");
    const flow = countingFlow(topic, dir, topicPrefix, { type: "testing" }, false);
    const first = await eddy(["run", flow], { env, timeoutMs: 60_000 });
    expect(first.code, describeRun(first)).toBe(0);

    const storeTopic = kafkaStoreTopic(topicPrefix);
    await produceRaw(storeTopic, [{ partition: 0, key: "not a store record", value: "garbage" }]);
    const offsets = await endOffsets(storeTopic);
    const output = readFileSync(join(dir, "counts.jsonl"), "utf8");

    const second = await eddy(["run", flow], { env, timeoutMs: 60_000 });
    expect(second.code, describeRun(second)).toBe(4);
    expect(second.stderr).toContain("RECOVERY_CORRUPT");
    expect(second.stderr).toContain(`Kafka topic ${storeTopic} partition 0`);
    expect(await endOffsets(storeTopic)).toEqual(offsets);
    expect(readFileSync(join(dir, "counts.jsonl"), "utf8")).toBe(output);
    expect(second.stderr).toContain("(run with --fresh to start over)");

    // --fresh deletes the store's topic and starts over: the same counts again.
    const third = await eddy(["run", flow, "--fresh"], { env, timeoutMs: 60_000 });
    expect(third.code, describeRun(third)).toBe(0);
    expect(third.stderr).toContain(`--fresh: deleted the recovery store's Kafka topic ${storeTopic}; starting over`);
    expect(lines(readFileSync(join(dir, "counts.jsonl"), "utf8")).sort()).toEqual(lines(output).sort());
  }, 120_000);

  it("collects garbage with tombstones: after 400 epochs the topic's live keys stay bounded", async () => {
    const topic = uniqueTopic("krec-gc");
    await createTopic(topic, 1);
    const all = records(400, 1, 5);
    await produce(topic, all);
    const dir = temporaryDirectory("eddy-krec-gc-");
    const topicPrefix = uniqueTopic("krec-store");
    const result = await eddy(["run", countingFlow(topic, dir, topicPrefix, { type: "testing" }, false)], { env, timeoutMs: 90_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expectExactCounts(all, lines(readFileSync(join(dir, "counts.jsonl"), "utf8")));

    // Read as a run reads it (no consumer group: the input's tests check that the broker has none of Eddy's).
    const written = await readStorePartition(env.KAFKA_BROKERS!.split(","), kafkaStoreTopic(topicPrefix), 0);
    const latest = new Map<string, Uint8Array | null>();
    for (const record of written) latest.set(Buffer.from(record.key!).toString("latin1"), record.value);
    const live = [...latest.values()].filter((value) => value !== null).length;
    const tombstones = written.filter((record) => record.value === null).length;
    // 5 keys of the count step and the input's state, each with its latest record (and the one of
    // the epoch in flight), the meta and the summary: a handful, whatever the number of epochs.
    expect(live).toBeLessThanOrEqual(2 * (5 + 1) + 2);
    expect(tombstones).toBeGreaterThanOrEqual(300);
    expect(latest.size).toBeGreaterThan(300);
  }, 120_000);

  it("one owner at a time: a second run on the store fences the first, which stops with exit 4 (RECOVERY_LOCKED)", async () => {
    const topic = uniqueTopic("krec-owner");
    await createTopic(topic, 2);
    const all = records(200, 2, 5);
    await produce(topic, all.slice(0, 100));
    const topicPrefix = uniqueTopic("krec-store");
    const storeTopic = kafkaStoreTopic(topicPrefix);
    // Each run's output is its own (a file output is not shared by two runs); the store is shared.
    const flow = flowFile(
      [
        { id: "in", op: "input", input: { type: "kafka", brokers, topic, decode: "utf8" } },
        { id: "ones", op: "map", after: ["in"], fn: "([key]) => [key, 1]" },
        { id: "count", op: "stateful_map", after: ["ones"], builder: "() => 0", fn: "(n, one) => [n + one, n + one]" },
        { id: "out", op: "capture", after: ["count"], output: { type: "function", fn: "() => () => {}" } },
      ],
      { epoch: { type: "periodic", length: 100 }, recovery: { type: "kafka", brokers, topicPrefix } },
    );
    const ends = async () => [...(await endOffsets(storeTopic)).values()].reduce((a, b) => a + b, 0);

    const first = eddy(["run", flow], { env, timeoutMs: 90_000 });
    await untilAsync(() => committedOnEvery(storeTopic, 1, 4), 30_000, "the first run's commits");
    let secondChild: ChildProcess | undefined;
    const second = eddy(["run", flow], { env, timeoutMs: 90_000, onStart: (c) => (secondChild = c) });
    // The first run's next commit fails once the second run has taken the partition.
    const firstResult = await first;
    expect(firstResult.code, describeRun(firstResult)).toBe(4);
    expect(firstResult.stderr).toContain("The Kafka recovery store was taken by another run while writing partition 0");
    expect(firstResult.stderr).toContain("the run that took the store goes on from there");
    // The second run goes on writing the store.
    const before = await ends();
    await produce(topic, all.slice(100));
    await untilAsync(async () => (await ends()) >= before + 10, 30_000, "the second run's commits");
    secondChild!.kill("SIGTERM");
    const secondResult = await second;
    expect(secondResult.code, describeRun(secondResult)).toBe(130);
    expect(secondResult.stderr).toContain("resuming at epoch");
  }, 150_000);
});
