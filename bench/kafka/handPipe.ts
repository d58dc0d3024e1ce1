/**
 * K2's baseline: a hand-written kafkajs 2.2.4 consume-transform-produce loop as its user would
 * write it: a consumer group with `eachBatch`, each batch mapped (the value upper-cased) and sent
 * with one `producer.send` (idempotent, acks from all replicas, as Eddy's at-least-once output),
 * awaited before the next batch; until `count` records were sent.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node dist/bench/kafka/handPipe.js IN_TOPIC OUT_TOPIC COUNT
 */

import { Kafka, logLevel } from "kafkajs";

const [from = "in", to = "out", text = "0"] = process.argv.slice(2);
const count = Number(text);
const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");
const kafka = new Kafka({ clientId: "hand-pipe", brokers, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: `kafkajs-bench-pipe-${process.pid}-${Date.now()}` });
const producer = kafka.producer({ idempotent: true });
let sent = 0;
await Promise.all([consumer.connect(), producer.connect()]);
await consumer.subscribe({ topic: from, fromBeginning: true });
await new Promise<void>((done) => {
  if (count === 0) consumer.on(consumer.events.GROUP_JOIN, () => done());
  void consumer.run({
    eachBatch: async ({ batch }) => {
      const messages = batch.messages.map((message) => ({ key: message.key, value: message.value!.toString().toUpperCase() }));
      await producer.send({ topic: to, acks: -1, messages });
      sent += messages.length;
      if (sent >= count) done();
    },
  });
});
await Promise.all([consumer.disconnect(), producer.disconnect()]);
process.stdout.write(`${sent}\n`);
process.exit(0);
