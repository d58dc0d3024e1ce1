/**
 * Throughput of the Kafka input: `eddy run` counting records by key over a topic (`tail: false`,
 * `decode: "utf8"`, `reduce_window` over one long window), against a hand-written kafkajs 2.2.4
 * consumer doing the same count (handConsumer.ts: a consumer group, `eachBatch`, key.toString(),
 * a Map), each in a child process under tsx, timed from its start to its exit, on the same broker and topic. Not run in CI.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 npx tsx bench/kafka/input.ts [--records 1000000] [--rounds 3] [--node-flag --max-semi-space-size=64]
 *
 * The topic (4 partitions, records of about 100 bytes, 1,000 keys) is made once per record count
 * and reused (its name holds the count). Prints each run's seconds and records/s, and the ratios.
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

async function ensureTopic(): Promise<void> {
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

function flow(): string {
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
  return dir;
}

function timed(args: string[], check: (stdout: string) => string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...nodeFlags, ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  console.log(`  ${args.slice(-3).join(" ")}: ${seconds.toFixed(2)} s, ${Math.round(count / seconds).toLocaleString("en")} records/s (${check(result.stdout)})`);
  return seconds;
}

await ensureTopic();
const dir = flow();
const eddyCheck = (stdout: string) => {
  const totals = stdout.trim().split("\n").map(Number);
  return `${totals.length} keys, ${totals.reduce((a, b) => a + b, 0)} records`;
};
const runs: Record<string, number[]> = { hand: [], w1: [], w2: [] };
for (let round = 0; round < rounds; round++) {
  console.log(`round ${round + 1}`);
  runs.hand!.push(timed(["--import", "tsx", "bench/kafka/handConsumer.ts", brokers.join(","), topic, String(count)], (s) => s.trim()));
  runs.w1!.push(timed(["--import", "tsx", "node-runner/cli.ts", "run", join(dir, "count.json"), "-w", "1"], eddyCheck));
  runs.w2!.push(timed(["--import", "tsx", "node-runner/cli.ts", "run", join(dir, "count.json"), "-w", "2"], eddyCheck));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [hand, w1, w2] = [median(runs.hand!), median(runs.w1!), median(runs.w2!)];
console.log(`medians: kafkajs consumer ${hand.toFixed(2)} s, eddy -w 1 ${w1.toFixed(2)} s, eddy -w 2 ${w2.toFixed(2)} s`);
console.log(`eddy -w 1 / kafkajs consumer: ${((hand / w1) * 100).toFixed(0)}% of its throughput; eddy -w 2 / -w 1: ${(w1 / w2).toFixed(2)}x`);
