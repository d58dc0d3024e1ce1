/**
 * The Kafka port: the little that Eddy's Kafka input needs from a Kafka client, so that the client
 * library (kafkajs today, kafkajsClient.ts) stays behind one file and can be replaced. No consumer
 * group, no committed offsets: the caller names partitions and offsets, the client fetches them.
 *
 * Offsets are numbers (safe integers). Failures are `EddyError`s with the codes of the Kafka input
 * (`INPUT_KAFKA_UNREACHABLE`, `INPUT_KAFKA_TOPIC_MISSING`, `INPUT_KAFKA_OFFSET_OUT_OF_RANGE`,
 * `INPUT_KAFKA_COMPRESSION_UNSUPPORTED`, `INPUT_KAFKA_OFFSET_TOO_LARGE`, `INPUT_KAFKA_FAILED`);
 * messages never hold a secret.
 *
 * ```ts
 * const client = openClient(options);
 * const partitions = await client.listPartitions("events");            // [0, 1, 2, 3]
 * const offsets = await client.offsets("events", partitions);          // [{ partition: 0, low: 0, high: 120 }, ...]
 * const fetched = await client.fetch("events", [{ partition: 0, offset: 0 }], { maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, maxPartitionBytes: 1 << 20 });
 * keyBytes(fetched[0], 0);                                              // a fresh copy of the first record's key (batchColumns.ts)
 * await client.close();
 * ```
 */

/** The first offset a partition still holds (`low`) and the offset its next record will get (`high`). */
export interface PartitionOffsets {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

export interface FetchAssignment {
  readonly partition: number;
  /** The offset to read from. */
  readonly offset: number;
}

export interface FetchLimits {
  /** How long the broker may wait for `minBytes` before it answers. */
  readonly maxWaitMs: number;
  readonly minBytes: number;
  /** At most this many bytes in one answer (over every partition). */
  readonly maxBytes: number;
  /** At most this many bytes per partition. */
  readonly maxPartitionBytes: number;
}

/**
 * What one fetch read of one partition: its records in columns, with no object per record. Record
 * `i` has the offset `offsets[i]`, its key is `bytes[keyStarts[i]..keyEnds[i])` and its value
 * `bytes[valueStarts[i]..valueEnds[i])` (a start of -1 is a null key or value). Records are at or
 * after the fetched offset, in order, with control records and aborted ones left out.
 *
 * `bytes` is the client's: often the whole fetch answer, reused by nobody but kept alive by any view
 * into it, so copy what you keep (batchColumns.ts `keyBytes`/`valueBytes` give fresh copies).
 */
export interface PartitionBatch {
  readonly partition: number;
  readonly offsets: ArrayLike<number>;
  readonly bytes: Uint8Array;
  readonly keyStarts: Int32Array;
  readonly keyEnds: Int32Array;
  readonly valueStarts: Int32Array;
  readonly valueEnds: Int32Array;
  /**
   * Where to fetch next: after the last record batch read (past control records and compacted
   * gaps), or the fetched offset when nothing was read.
   */
  readonly nextOffset: number;
  /** The partition's high-water mark as the broker saw it. */
  readonly highWatermark: number;
}

export interface KafkaClient {
  /** The partition ids of `topic`, sorted; `INPUT_KAFKA_TOPIC_MISSING` when there is no such topic. */
  listPartitions(topic: string): Promise<number[]>;
  /** The low and high offsets of each of `partitions`. */
  offsets(topic: string, partitions: readonly number[]): Promise<PartitionOffsets[]>;
  /** Reads `assignments` (directly from each partition's leader), at most one answer per leader. */
  fetch(topic: string, assignments: readonly FetchAssignment[], limits: FetchLimits): Promise<PartitionBatch[]>;
  /** Closes every connection. Never rejects. */
  close(): Promise<void>;
}
