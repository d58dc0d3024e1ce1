/**
 * Reading back what a transactional producer wrote: the coordinator writes a transaction's commit
 * (or abort) markers after EndTxn has answered, so a `read_committed` reader must wait until no
 * transaction is open on the topic: every partition's last stable offset (what read_committed
 * offsets say) equals its high watermark (read_uncommitted). Read through our own Kafka port, which
 * asks with the isolation level of its settings.
 */

import { KafkaInputConfig } from "../../engine/configs/inputs.js";
import { clientSettings } from "../../node-runner/kafka/clientOptions.js";
import { kafkajsClient } from "../../node-runner/kafka/kafkajsClient.js";
import { consumeAll, kafkaBrokers, type ConsumedRecord } from "../helpers/kafka.js";

async function ends(topic: string, isolation: "read_committed" | "read_uncommitted"): Promise<Map<number, number>> {
  const client = kafkajsClient(clientSettings(new KafkaInputConfig(await kafkaBrokers(), topic, { additionalProperties: { "isolation.level": isolation } })));
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

/** Every committed record of `topic`, once no transaction is open on it. */
export async function committedRecords(topic: string): Promise<ConsumedRecord[]> {
  await settled(topic);
  return consumeAll(topic, { isolationLevel: "read_committed" });
}

/** The sum over partitions of the high watermarks (every record written, committed or not, and transaction markers). */
export async function writtenOffsets(topic: string): Promise<number> {
  let sum = 0;
  for (const high of (await ends(topic, "read_uncommitted")).values()) sum += high;
  return sum;
}
