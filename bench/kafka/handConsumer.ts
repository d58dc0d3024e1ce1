/**
 * K1's baseline: a hand-written kafkajs 2.2.4 consumer counting records by key as its user would
 * write it (a consumer group, `eachBatch`, `key.toString()`, a Map), until it has seen `count`;
 * then prints K1's checksum (records.ts). With a count of 0 it stops once it joined its group: its
 * start-up alone.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node dist/bench/kafka/handConsumer.js TOPIC COUNT
 */

import { Kafka, logLevel } from "kafkajs";
import { keyWeight } from "./records.js";

const [topic = "t", text = "0"] = process.argv.slice(2);
const count = Number(text);
const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const kafka = new Kafka({ clientId: "hand", brokers, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `kafkajs-bench-hand-${process.pid}-${Date.now()}` });
const counts = new Map<string, number>();
let seen = 0;
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await new Promise<void>((done) => {
  if (count === 0) consumer.on(consumer.events.GROUP_JOIN, () => done());
  void consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const key = message.key!.toString();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      seen += batch.messages.length;
      if (seen >= count) done();
    },
  });
});
await consumer.disconnect();
let checksum = 0;
for (const [key, n] of counts) checksum += n * keyWeight(key);
process.stdout.write(`${checksum}\n`);
// kafkajs may keep a timer after a disconnect in the middle of its first fetch (the start-up run).
process.exit(0);
