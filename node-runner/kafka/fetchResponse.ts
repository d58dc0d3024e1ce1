/**
 * The Fetch answer (API key 1, versions 4 to 11: the ones kafkajs 2.2.4 may pick with a broker of
 * Kafka 0.11 or later; v11 with Kafka 2.3 and later, 3.9 and 4.x included) decoded down to each
 * partition's header and the place of its records in the answer, which stay bytes: recordBatch.ts
 * decodes them once the fetched offset is at hand. Pure, no kafkajs.
 *
 * Its shape is the one kafkajs's own `parse` of Fetch answers reads (`responses[].topicName`,
 * `partitions[].partition` and `.errorCode`), so that partition errors keep becoming kafkajs's
 * errors exactly as before (kafkajsFetch.ts). Versions 0 to 3 (brokers before 0.11, magic 0 and 1
 * only) are not decoded here.
 *
 * ```ts
 * decodeFetchResponse(payload, 11, "Kafka topic t");
 * // { clientSideThrottleTime: 0, throttleTime: 0, errorCode: 0, responses: [{ topicName: "t", partitions: [{ partition: 0, errorCode: 0, highWatermark: 20, ..., recordsStart: 81, recordsEnd: 1201 }] }] }
 * ```
 */

import type { AbortedTransaction } from "./recordBatch.js";
import { corrupt, WireReader } from "./wire.js";

export const FIRST_DECODED_VERSION = 4;
export const LAST_DECODED_VERSION = 11;

export interface PartitionAnswer {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  /** Empty unless the fetch was read_committed (the answer's null array). */
  readonly abortedTransactions: readonly AbortedTransaction[];
  /** The partition's records are `bytes[recordsStart..recordsEnd)` of the answer. */
  readonly recordsStart: number;
  readonly recordsEnd: number;
}

export interface TopicAnswer {
  readonly topicName: string;
  readonly partitions: readonly PartitionAnswer[];
}

export interface FetchAnswer {
  /** The answer's bytes (what `recordsStart`/`recordsEnd` point into). */
  readonly bytes: Uint8Array;
  /** KIP-219 (v8 and later): how long the client should wait before its next request; kafkajs's connection reads it. */
  readonly clientSideThrottleTime: number;
  /** How long the broker throttled this answer (before v8). */
  readonly throttleTime: number;
  readonly errorCode: number;
  readonly responses: readonly TopicAnswer[];
}

/** Decodes a Fetch answer of `version` (after its correlation id); `where` names the topic for errors. */
export function decodeFetchResponse(bytes: Uint8Array, version: number, where: string): FetchAnswer {
  if (version < FIRST_DECODED_VERSION || version > LAST_DECODED_VERSION) throw corrupt(where, `Fetch answers of version ${version} are not decoded by Eddy`);
  const reader = new WireReader(bytes, where);
  const throttle = reader.int32();
  const errorCode = version >= 7 ? reader.int16() : 0;
  if (version >= 7) reader.int32(); // session id
  const responses = array(reader, () => {
    const topicName = reader.string();
    const partitions = array(reader, () => partitionAnswer(reader, version, `${where}, partition`));
    return { topicName, partitions };
  });
  if (reader.pos !== bytes.length) throw corrupt(where, `a Fetch answer of ${bytes.length} bytes ends at ${reader.pos}`);
  return {
    bytes,
    clientSideThrottleTime: version >= 8 ? throttle : 0,
    throttleTime: version >= 8 ? 0 : throttle,
    errorCode,
    responses,
  };
}

function partitionAnswer(reader: WireReader, version: number, where: string): PartitionAnswer {
  const partition = reader.int32();
  const at = `${where} ${partition}`;
  const errorCode = reader.int16();
  const highWatermark = reader.int64(`${at}: the high watermark`);
  const lastStableOffset = reader.int64(`${at}: the last stable offset`);
  if (version >= 5) reader.int64(`${at}: the log start offset`);
  const abortedTransactions = array(reader, () => {
    const producerId = reader.bigInt64();
    return { producerId, firstOffset: reader.int64(`${at}: an aborted transaction's first offset`) };
  });
  if (version >= 11) reader.int32(); // preferred read replica
  const size = reader.int32();
  const recordsStart = reader.pos;
  const recordsEnd = recordsStart + Math.max(0, size);
  if (recordsEnd > reader.bytes.length) throw corrupt(at, `${size} bytes of records where ${reader.bytes.length - recordsStart} are left`);
  reader.pos = recordsEnd;
  return { partition, errorCode, highWatermark, lastStableOffset, abortedTransactions, recordsStart, recordsEnd };
}

/** An ARRAY (int32 count, -1 for null, then the items); bounded by the bytes left. */
function array<T>(reader: WireReader, item: () => T): T[] {
  const count = reader.int32();
  if (count > reader.bytes.length - reader.pos) throw corrupt(reader.where, `an array of ${count} items in ${reader.bytes.length - reader.pos} bytes`);
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(item());
  if (reader.pos > reader.bytes.length) throw corrupt(reader.where, "an array that runs past the answer's end");
  return items;
}
