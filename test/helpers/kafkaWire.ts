/**
 * Byte fixtures of Kafka's wire format for the tests of Eddy's Fetch decoder
 * (node-runner/kafka/recordBatch.ts, fetchResponse.ts): record batches of message format v2 (plain,
 * gzip, transactional, control markers), old message sets of magic 1, and Fetch answers of versions
 * 4 to 11 around them. Written from the protocol's description (kafka.apache.org/protocol,
 * "Record Batch" and "Fetch API"); kafkajs's own decoder is the oracle that they are right
 * (test/io/recordBatch.test.ts). CRCs are written as 0 (neither decoder checks them).
 *
 * ```ts
 * const set = Buffer.concat([recordBatch({ baseOffset: 10, records: [{ key: "k", value: "v" }] }), controlBatch({ baseOffset: 11, producerId: 7n, abort: true })]);
 * const answer = fetchResponse(11, [{ topic: "t", partitions: [{ partition: 0, highWatermark: 12, records: set }] }]);
 * ```
 */

import { gzipSync } from "node:zlib";

export type Bytes = string | Uint8Array | null;

export interface FixtureRecord {
  /** Default: the record's index in its batch. */
  readonly offsetDelta?: number;
  readonly timestampDelta?: bigint;
  readonly key: Bytes;
  readonly value: Bytes;
  readonly headers?: readonly (readonly [string, Bytes])[];
}

export interface FixtureBatch {
  readonly baseOffset: number | bigint;
  readonly records: readonly FixtureRecord[];
  /** Default: the last record's offset delta (0 when there is none). */
  readonly lastOffsetDelta?: number;
  /** 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd (only none and gzip are really compressed here). */
  readonly compression?: number;
  readonly transactional?: boolean;
  readonly control?: boolean;
  /** Default -1 (none). */
  readonly producerId?: bigint;
}

function bytesOf(part: Bytes): Buffer | null {
  if (part === null) return null;
  return typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part);
}

/** A zigzag varint (or varlong) of `value`. */
export function varint(value: number | bigint): Buffer {
  let zz = BigInt.asUintN(64, (BigInt(value) << 1n) ^ (BigInt(value) >> 63n));
  const out: number[] = [];
  do {
    const byte = Number(zz & 0x7fn);
    zz >>= 7n;
    out.push(zz > 0n ? byte | 0x80 : byte);
  } while (zz > 0n);
  return Buffer.from(out);
}

function sized(part: Bytes): Buffer {
  const bytes = bytesOf(part);
  return bytes === null ? varint(-1) : Buffer.concat([varint(bytes.length), bytes]);
}

function int(size: 1 | 2 | 4, value: number): Buffer {
  const out = Buffer.alloc(size);
  if (size === 1) out.writeInt8(value);
  else if (size === 2) out.writeInt16BE(value);
  else out.writeInt32BE(value);
  return out;
}

function int64(value: number | bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(BigInt(value));
  return out;
}

function record(r: FixtureRecord, index: number): Buffer {
  const headers = r.headers ?? [];
  const body = Buffer.concat([
    int(1, 0),
    varint(r.timestampDelta ?? 0n),
    varint(r.offsetDelta ?? index),
    sized(r.key),
    sized(r.value),
    varint(headers.length),
    ...headers.flatMap(([key, value]) => [sized(key), sized(value)]),
  ]);
  return Buffer.concat([varint(body.length), body]);
}

/** A record batch of message format v2. */
export function recordBatch(batch: FixtureBatch): Buffer {
  const compression = batch.compression ?? 0;
  const plain = Buffer.concat(batch.records.map(record));
  const records = compression === 1 ? gzipSync(plain) : plain;
  const lastOffsetDelta = batch.lastOffsetDelta ?? (batch.records.length === 0 ? 0 : (batch.records.at(-1)!.offsetDelta ?? batch.records.length - 1));
  const attributes = compression | (batch.transactional ? 0x10 : 0) | (batch.control ? 0x20 : 0);
  const afterLength = Buffer.concat([
    int(4, 0), // partition leader epoch
    int(1, 2), // magic
    int(4, 0), // crc (not checked)
    int(2, attributes),
    int(4, lastOffsetDelta),
    int64(1_700_000_000_000), // base timestamp
    int64(1_700_000_000_000), // max timestamp
    int64(batch.producerId ?? -1n),
    int(2, batch.producerId === undefined ? -1 : 0), // producer epoch
    int(4, batch.producerId === undefined ? -1 : 0), // base sequence
    int(4, batch.records.length),
    records,
  ]);
  return Buffer.concat([int64(batch.baseOffset), int(4, afterLength.length), afterLength]);
}

/** A transaction marker: a control batch of one record whose key is (version 0, type 0 abort / 1 commit). */
export function controlBatch(o: { baseOffset: number; producerId: bigint; abort: boolean }): Buffer {
  const key = Buffer.from([0, 0, 0, o.abort ? 0 : 1]);
  const value = Buffer.from([0, 0, 0, 0, 0, 0]); // version, coordinator epoch
  return recordBatch({ baseOffset: o.baseOffset, records: [{ key, value }], control: true, transactional: true, producerId: o.producerId });
}

/** An old message set of magic 1, uncompressed: [offset, size, crc, magic, attributes, timestamp, key, value] per message. */
export function messageSetV1(messages: readonly { offset: number; key: Bytes; value: Bytes }[]): Buffer {
  const bytes = (part: Bytes) => {
    const b = bytesOf(part);
    return b === null ? int(4, -1) : Buffer.concat([int(4, b.length), b]);
  };
  return Buffer.concat(
    messages.map((m) => {
      const message = Buffer.concat([int(4, 0), int(1, 1), int(1, 0), int64(1_700_000_000_000), bytes(m.key), bytes(m.value)]);
      return Buffer.concat([int64(m.offset), int(4, message.length), message]);
    }),
  );
}

export interface FixturePartition {
  readonly partition: number;
  readonly errorCode?: number;
  readonly highWatermark: number | bigint;
  readonly lastStableOffset?: number;
  readonly abortedTransactions?: readonly { producerId: bigint; firstOffset: number }[] | null;
  readonly records: Buffer | null;
}

function array<T>(items: readonly T[] | null, each: (item: T) => Buffer): Buffer {
  return items === null ? int(4, -1) : Buffer.concat([int(4, items.length), ...items.map(each)]);
}

/** A Fetch answer of `version` (4 to 11), after the correlation id (what a response's `decode` gets). */
export function fetchResponse(version: number, topics: readonly { topic: string; partitions: readonly FixturePartition[] }[], throttleMs = 0): Buffer {
  const partition = (p: FixturePartition) =>
    Buffer.concat([
      int(4, p.partition),
      int(2, p.errorCode ?? 0),
      int64(p.highWatermark),
      int64(p.lastStableOffset ?? -1),
      ...(version >= 5 ? [int64(0)] : []),
      array(p.abortedTransactions === undefined ? [] : p.abortedTransactions, (t) => Buffer.concat([int64(t.producerId), int64(t.firstOffset)])),
      ...(version >= 11 ? [int(4, -1)] : []),
      p.records === null ? int(4, -1) : Buffer.concat([int(4, p.records.length), p.records]),
    ]);
  const topic = (t: { topic: string; partitions: readonly FixturePartition[] }) =>
    Buffer.concat([int(2, Buffer.byteLength(t.topic)), Buffer.from(t.topic, "utf8"), array(t.partitions, partition)]);
  return Buffer.concat([int(4, throttleMs), ...(version >= 7 ? [int(2, 0), int(4, 0)] : []), array(topics, topic)]);
}
