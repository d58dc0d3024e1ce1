/**
 * Reading back what a transactional producer wrote: the coordinator writes a transaction's commit
 * (or abort) markers after EndTxn has answered, so a `read_committed` reader must wait until no
 * transaction is open on the topic: every partition's last stable offset (what read_committed
 * offsets say) equals its high watermark (read_uncommitted). Read through our own Kafka port, which
 * asks with the isolation level of its settings.
 *
 * Committed records are read through the port too, not with kafkajs's consumer: kafkajs 2.2.4's
 * read_committed filter (consumer/filterAbortedMessages.js) takes the broker's aborted transactions
 * in the order they ended and enters one per record, so it lets through the first records of a
 * transaction that began before another but was aborted after it, which is what an exactly-once
 * output's resume leaves when it fences what a killed run had open: a test would count the killed
 * run's aborted records as duplicates. The port filters as Kafka's Java consumer does
 * (node-runner/kafka/recordBatch.ts), and Kafka's Java consumer reads such a topic exactly.
 */

import { KafkaInputConfig } from "../../engine/configs/inputs.js";
import { copyRange } from "../../node-runner/kafka/batchColumns.js";
import { clientSettings } from "../../node-runner/kafka/clientOptions.js";
import { kafkajsClient } from "../../node-runner/kafka/kafkajsClient.js";
import { kafkaBrokers } from "../helpers/kafka.js";

async function clientFor(topic: string, isolation: "read_committed" | "read_uncommitted") {
  return kafkajsClient(clientSettings(new KafkaInputConfig(await kafkaBrokers(), topic, { additionalProperties: { "isolation.level": isolation } })));
}

async function ends(topic: string, isolation: "read_committed" | "read_uncommitted"): Promise<Map<number, number>> {
  const client = await clientFor(topic, isolation);
  try {
    const partitions = await client.listPartitions(topic);
    return new Map((await client.offsets(topic, partitions)).map((p) => [p.partition, p.high]));
  } finally {
    await client.close();
  }
}

/** Waits (bounded) until no transaction is open on `topic`. */
export async function settled(topic: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [stable, high] = await Promise.all([ends(topic, "read_committed"), ends(topic, "read_uncommitted")]);
    if ([...high].every(([p, h]) => stable.get(p) === h)) return;
    if (Date.now() > deadline) throw new Error(`a transaction is still open on ${topic} after ${timeoutMs / 1000} s: last stable ${JSON.stringify([...stable])}, high ${JSON.stringify([...high])}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A record read back: where it is, its key and value. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

const LIMITS = { maxWaitMs: 200, minBytes: 1, maxBytes: 8 << 20, maxPartitionBytes: 4 << 20 };

/**
 * The committed records of `topic` from the beginning (read_committed, through our port), until
 * `count` are read, or without a count until every partition's last stable offset taken at the
 * call; rejects after `timeoutMs`.
 */
export async function readCommitted(topic: string, options: { count?: number; timeoutMs?: number } = {}): Promise<ReadRecord[]> {
  const { count, timeoutMs = 60_000 } = options;
  const deadline = Date.now() + timeoutMs;
  const client = await clientFor(topic, "read_committed");
  try {
    const partitions = await client.listPartitions(topic);
    const offsets = await client.offsets(topic, partitions);
    const positions = new Map(offsets.map((p) => [p.partition, p.low]));
    const targets = new Map(offsets.map((p) => [p.partition, p.high]));
    const records: ReadRecord[] = [];
    const isDone = () => (count !== undefined ? records.length >= count : [...targets].every(([p, end]) => positions.get(p)! >= end));
    while (!isDone()) {
      if (Date.now() > deadline) {
        throw new Error(`read ${records.length} committed records of ${topic} in ${timeoutMs / 1000} s, expecting ${count !== undefined ? `${count}` : "the last stable offsets"} (positions ${JSON.stringify([...positions])})`);
      }
      const batches = await client.fetch(topic, [...positions].map(([partition, offset]) => ({ partition, offset })), LIMITS);
      for (const batch of batches) {
        for (let i = 0; i < batch.offsets.length; i++) {
          const key = copyRange(batch.bytes, batch.keyStarts[i]!, batch.keyEnds[i]!);
          const value = copyRange(batch.bytes, batch.valueStarts[i]!, batch.valueEnds[i]!);
          records.push({ partition: batch.partition, offset: batch.offsets[i]!, key: key && Buffer.from(key), value: value && Buffer.from(value) });
        }
        positions.set(batch.partition, batch.nextOffset);
      }
    }
    return records;
  } finally {
    await client.close();
  }
}

/** Every committed record of `topic`, once no transaction is open on it. */
export async function committedRecords(topic: string): Promise<ReadRecord[]> {
  await settled(topic);
  return readCommitted(topic);
}

/** The sum over partitions of the high watermarks (every record written, committed or not, and transaction markers). */
export async function writtenOffsets(topic: string): Promise<number> {
  let sum = 0;
  for (const high of (await ends(topic, "read_uncommitted")).values()) sum += high;
  return sum;
}
