/**
 * The Kafka port of the recovery store (recovery/kafkaStore.ts): what the store needs beyond the
 * input's reading port (client.ts, which it reads its partitions with): its topic described and
 * created, and a transactional writer per partition. kafkajsStoreClient.ts is the implementation.
 *
 * ```ts
 * const kafka = openStoreKafka(["127.0.0.1:9092"]);
 * await kafka.createTopic("flow-state", 2, { "cleanup.policy": "compact" });
 * const writer = await kafka.openWriter("flow-state", 0, "eddy-recovery.flow-state.0"); // fences an earlier writer
 * await writer.write([{ key, value }]); // one transaction, committed when it resolves
 * ```
 */

export interface StoreTopic {
  readonly partitions: number;
  /** The topic's `cleanup.policy` (undefined when the broker does not say). */
  readonly cleanupPolicy: string | undefined;
}

export interface StoreMessage {
  readonly key: Uint8Array;
  /** null: a tombstone. */
  readonly value: Uint8Array | null;
}

/** One partition's writer: a transactional producer whose id belongs to that partition. */
export interface TransactionalWriter {
  /**
   * Writes `messages` to the writer's partition in one transaction, acks from all replicas, and
   * resolves once it is committed. A writer fenced by a newer one of the same id fails with
   * RECOVERY_LOCKED; any other failure aborts the transaction (nothing of it is visible).
   */
  write(messages: readonly StoreMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface StoreKafka {
  /** The topic's partition count and cleanup policy; undefined when there is no such topic. */
  describeTopic(topic: string): Promise<StoreTopic | undefined>;
  /** Creates the topic (a topic created meanwhile by someone else is fine: describe it after). */
  createTopic(topic: string, partitions: number, configs: Readonly<Record<string, string>>): Promise<void>;
  /** Deletes the topic and waits (bounded) until the brokers no longer list it; false when there was none. */
  deleteTopic(topic: string): Promise<boolean>;
  /**
   * A writer of `partition` with `transactionalId`: opening it (InitProducerId) fences every
   * earlier writer with that id and aborts a transaction it left open.
   */
  openWriter(topic: string, partition: number, transactionalId: string): Promise<TransactionalWriter>;
  close(): Promise<void>;
}
