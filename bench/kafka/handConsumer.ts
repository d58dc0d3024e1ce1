/**
 * The baseline of bench/kafka/input.ts: a hand-written kafkajs 2.2.4 consumer that counts records
 * by key (a consumer group, `eachBatch`, `key.toString()`, a Map) until it has seen `count`; with a
 * count of 0, until it joined its group (its start-up, for bench/kafka/input.ts).
 *
 *   npx tsx bench/kafka/handConsumer.ts BROKERS TOPIC COUNT
 */

import { Kafka, logLevel } from "kafkajs";

const [brokers = "127.0.0.1:9092", topic = "t", count = "0"] = process.argv.slice(2);
const kafka = new Kafka({ clientId: "hand", brokers: brokers.split(","), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `eddy-bench-hand-${process.pid}-${Date.now()}` });
const counts = new Map<string, number>();
let seen = 0;
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await new Promise<void>((done) => {
  if (Number(count) === 0) consumer.on(consumer.events.GROUP_JOIN, () => done());
  void consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const key = message.key!.toString();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      seen += batch.messages.length;
      if (seen >= Number(count)) done();
    },
  });
});
await consumer.disconnect();
let total = 0;
for (const n of counts.values()) total += n;
console.log(`${counts.size} keys, ${total} records`);
// kafkajs may keep a timer after a disconnect in the middle of its first fetch (the start-up run).
process.exit(0);
