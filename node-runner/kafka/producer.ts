/**
 * The producing half of the Kafka port (client.ts is the reading half): the little that Eddy's
 * Kafka output needs from a Kafka client, so that the client library (kafkajs today,
 * kafkajsProducer.ts) stays behind one file. Sends are whole batches, each resolved once every
 * record of it is acknowledged. Transactions are one per transactional id and are named by their
 * ids (`TransactionIds`), so that a transaction opened by a run that was killed can be committed by
 * the next one (`commitRecovered`), which kafkajs's public API cannot do.
 *
 * Failures are `EddyError`s with the codes of the Kafka output (`OUTPUT_KAFKA_UNREACHABLE`,
 * `OUTPUT_KAFKA_TOPIC_MISSING`, `OUTPUT_KAFKA_FAILED`); messages never hold a secret.
 *
 * ```ts
 * const producer = kafkajsProducer(settings);
 * await producer.connect();                                  // the topic exists, the brokers answer
 * await producer.send([{ key: "k", value: "v" }]);            // idempotent, acks from all replicas
 * const txn = await producer.beginTransaction("eddy-out-w0-e7");
 * await txn.send(records);
 * const ids = txn.ids;                                       // saved with the epoch
 * await txn.commit();                                        // or, after a crash: producer.commitRecovered(ids)
 * await producer.close();
 * ```
 */

/** One record to produce: key and value as bytes or text (UTF-8), or null. */
export interface OutgoingRecord {
  readonly key: Uint8Array | string | null;
  readonly value: Uint8Array | string | null;
}

/** What names an open transaction to its coordinator: enough to commit it from another process. */
export interface TransactionIds {
  readonly transactionalId: string;
  /** A 64-bit integer, as decimal text (as kafkajs decodes it). */
  readonly producerId: string;
  readonly producerEpoch: number;
}

export interface KafkaTransaction {
  readonly ids: TransactionIds;
  /** Sends `records` within the transaction; resolves once they are acknowledged (not yet visible to read_committed consumers). */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /** Commits: the records become visible to read_committed consumers. */
  commit(): Promise<void>;
}

/** What became of a transaction that `commitRecovered` was asked to commit. */
export type RecoveredCommit = "committed" | "lost";

export interface KafkaProducer {
  /** Connects and checks that the topic exists (`OUTPUT_KAFKA_TOPIC_MISSING`), within the start deadline (`OUTPUT_KAFKA_UNREACHABLE`). */
  connect(): Promise<void>;
  /** Sends `records` outside any transaction (idempotently unless the settings say otherwise); resolves once acknowledged. */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /**
   * Opens a transaction on `transactionalId` (InitProducerId: whatever an earlier producer left
   * open on that id is aborted first, and that producer is fenced).
   */
  beginTransaction(transactionalId: string): Promise<KafkaTransaction>;
  /**
   * Commits the transaction named by `ids`, opened by another producer (a run that was killed):
   * "committed" when it is committed now or was already; "lost" when the broker aborted it
   * (its timeout passed) or no longer knows it.
   */
  commitRecovered(ids: TransactionIds): Promise<RecoveredCommit>;
  /** Aborts whatever is open on `transactionalId` (and fences its producer), opening nothing. */
  fence(transactionalId: string): Promise<void>;
  /** Closes every connection. Never rejects. */
  close(): Promise<void>;
}
