/**
 * Throughput of the Kafka input: `eddy run` counting records by key over a topic (`tail: false`,
 * `decode: "utf8"`, `reduce_window` over one long window), against a hand-written kafkajs 2.2.4
 * consumer doing the same count (handConsumer.ts: a consumer group, `eachBatch`, key.toString(),
 * a Map), each in a child process under tsx, timed from its start to its exit, on the same broker and topic. Not run in CI.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 npx tsx bench/kafka/input.ts [--records 1000000] [--rounds 3] [--node-flag --max-semi-space-size=64]
 *
 * The topic (4 partitions, records of about 100 bytes, 1,000 keys) is made once per record count
 * and reused (its name holds the count). Prints each run's seconds and records/s, and the ratios,
 * over the whole run and after start-up: each contender's start-up is timed on an empty topic
 * (Eddy: the runner, its thread, the input's metadata and offsets; kafkajs: connecting and joining
 * its group) and taken off its runs.
 * `--node-flag` (repeatable) is given to Node in every child, contenders alike.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kafka, logLevel } from "kafkajs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const count = argument("--records", 1_000_000);
const rounds = argument("--rounds", 3);
const topic = `eddy-bench-input-${count}`;
const nodeFlags = process.argv.flatMap((arg, i) => (process.argv[i - 1] === "--node-flag" ? [arg] : []));
const kafka = new Kafka({ clientId: "eddy-bench", brokers, logLevel: logLevel.NOTHING });

async function ensureTopic(topic: string, count: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.reduce((sum, p) => sum + Number(p.high), 0) === count) return;
      await admin.deleteTopics({ topics: [topic] });
      await new Promise((r) => setTimeout(r, 2000));
    }
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 4, replicationFactor: 1 }] });
  } finally {
    await admin.disconnect();
  }
  if (count === 0) return;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const padding = "x".repeat(90);
  const started = performance.now();
  for (let i = 0; i < count; i += 10_000) {
    const messages = [];
    for (let j = i; j < Math.min(count, i + 10_000); j++) messages.push({ partition: j % 4, key: `k${j % 1000}`, value: `${String(j).padStart(8, "0")}${padding}` });
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  console.log(`produced ${count} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function flow(topic: string): string {
  const dir = mkdtempSync(join(tmpdir(), "eddy-bench-kafka-"));
  const path = join(dir, "count.json");
  writeFileSync(path, JSON.stringify({
    format: "eddy.flow", version: 1, steps: [
      { id: "in", op: "input", input: { type: "kafka", brokers, topic, tail: false, decode: "utf8" } },
      { id: "ones", op: "map", after: ["in"], fn: "([key]) => [key, 1]" },
      { id: "count", op: "reduce_window", after: ["ones"], clock: { type: "system" }, window: { type: "tumbling", length: 3600000 }, fn: "(a, b) => a + b" },
      { id: "total", op: "map", after: ["count"], fn: "([key, n]) => n" },
      { id: "out", op: "capture", after: ["total"], output: { type: "stdout" } },
    ],
  }));
  return path;
}

function timed(args: string[], records: number, check: (stdout: string) => string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...nodeFlags, ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  console.log(`  ${args.slice(-3).join(" ")}: ${seconds.toFixed(2)} s, ${Math.round(records / seconds).toLocaleString("en")} records/s (${check(result.stdout)})`);
  return seconds;
}

const EMPTY = "eddy-bench-input-empty";
await ensureTopic(topic, count);
await ensureTopic(EMPTY, 0);
const full = flow(topic);
const empty = flow(EMPTY);
const eddyCheck = (stdout: string) => {
  const totals = stdout.trim().split("\n").filter(Boolean).map(Number);
  return `${totals.length} keys, ${totals.reduce((a, b) => a + b, 0)} records`;
};
const hand = (name: string, n: number) => ["--import", "tsx", "bench/kafka/handConsumer.ts", brokers.join(","), name, String(n)];
const eddy = (path: string, workers: number) => ["--import", "tsx", "node-runner/cli.ts", "run", path, "-w", String(workers)];
const runs: Record<string, number[]> = { hand: [], w1: [], w2: [], handStart: [], w1Start: [], w2Start: [] };
for (let round = 0; round < rounds; round++) {
  console.log(`round ${round + 1}`);
  runs.handStart!.push(timed(hand(EMPTY, 0), 0, (s) => s.trim()));
  runs.w1Start!.push(timed(eddy(empty, 1), 0, eddyCheck));
  runs.w2Start!.push(timed(eddy(empty, 2), 0, eddyCheck));
  runs.hand!.push(timed(hand(topic, count), count, (s) => s.trim()));
  runs.w1!.push(timed(eddy(full, 1), count, eddyCheck));
  runs.w2!.push(timed(eddy(full, 2), count, eddyCheck));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, median(xs)])) as Record<string, number>;
const rate = (seconds: number) => `${Math.round(count / seconds).toLocaleString("en")}/s`;
console.log(`medians, whole runs: kafkajs consumer ${m.hand!.toFixed(2)} s (${rate(m.hand!)}), eddy -w 1 ${m.w1!.toFixed(2)} s (${rate(m.w1!)}), eddy -w 2 ${m.w2!.toFixed(2)} s (${rate(m.w2!)})`);
console.log(`medians, start-up: kafkajs consumer ${m.handStart!.toFixed(2)} s, eddy -w 1 ${m.w1Start!.toFixed(2)} s, eddy -w 2 ${m.w2Start!.toFixed(2)} s`);
const [h, w1, w2] = [m.hand! - m.handStart!, m.w1! - m.w1Start!, m.w2! - m.w2Start!];
console.log(`after start-up: kafkajs consumer ${rate(h)}, eddy -w 1 ${rate(w1)}, eddy -w 2 ${rate(w2)}`);
console.log(`eddy -w 1 / kafkajs consumer: ${((m.hand! / m.w1!) * 100).toFixed(0)}% whole runs, ${((h / w1) * 100).toFixed(0)}% after start-up; eddy -w 2 / -w 1: ${(m.w1! / m.w2!).toFixed(2)}x whole, ${(w1 / w2).toFixed(2)}x after start-up`);
