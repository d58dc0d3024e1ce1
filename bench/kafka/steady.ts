/**
 * The Kafka input's steady throughput, in one process and without start-up: `runMain` counting
 * by key (`decode: "utf8"`, `reduceWindow` over one long window) against the hand-written kafkajs
 * consumer's loop (handConsumer.ts's), each timed from its first record to its last, alternated
 * `--rounds` times on the topic that K1 of `npm run bench` made (eddy-bench-input-N,
 * bench/kafka/topics.ts). Not run in CI.
 *
 *   npm run build && KAFKA_BROKERS=127.0.0.1:9092 npx tsx bench/kafka/steady.ts [--records 1000000] [--rounds 3]
 */

import { Kafka, logLevel } from "kafkajs";
import { Dataflow } from "eddy/dataflow";
import { KafkaInputConfig } from "eddy/inputs";
import { ManualOutputConfig } from "eddy/outputs";
import { SystemClockConfig, TumblingWindowConfig } from "eddy/window";
import { runMain } from "eddy/execution";
const argument = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const count = argument("--records", 1_000_000);
const rounds = argument("--rounds", 3);
const topic = `eddy-bench-input-${count}`;
const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
async function hand() {
  const kafka = new Kafka({ clientId: "hand", brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `g-${Date.now()}-${Math.random()}` });
  await consumer.connect(); await consumer.subscribe({ topic, fromBeginning: true });
  const counts = new Map<string, number>(); let seen = 0; let first = 0;
  await new Promise<void>((done) => { void consumer.run({ eachBatch: async ({ batch }) => { if (!first) first = performance.now(); for (const m of batch.messages) { const k = m.key!.toString(); counts.set(k, (counts.get(k) ?? 0) + 1); } seen += batch.messages.length; if (seen >= count) done(); } }); });
  const t = (performance.now() - first) / 1000; await consumer.disconnect(); return t;
}
async function eddy() {
  let first = 0; const t0 = performance.now(); let n = 0;
  await runMain(new Dataflow().input("in", new KafkaInputConfig(brokers, topic, { tail: false, decode: "utf8" })).inspect(() => { if (!first) first = performance.now(); }).map(([k]: [string]) => [k, 1]).reduceWindow("c", new SystemClockConfig(), new TumblingWindowConfig(3600000), (a: number, b: number) => a + b).capture(new ManualOutputConfig(() => () => { n++; })));
  return [(performance.now() - first) / 1000, (performance.now() - t0) / 1000];
}
const rate = (seconds: number) => `${Math.round(count / seconds).toLocaleString("en")} records/s`;
for (let i = 0; i < rounds; i++) {
  const h = await hand();
  console.log(`kafkajs consumer: ${h.toFixed(2)} s from its first batch (${rate(h)})`);
  const [e, whole] = await eddy();
  console.log(`eddy runMain: ${e!.toFixed(2)} s from its first item (${rate(e!)}), ${whole!.toFixed(2)} s in all; ${((h / e!) * 100).toFixed(0)}% of the consumer`);
}
