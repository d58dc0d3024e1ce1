/**
 * Kafka's record batches (message format v2, "magic 2", every broker since 0.11) decoded into
 * columns (batchColumns.ts): the records of one partition of a Fetch answer, without an object, a
 * Long or a Buffer per record. Pure (node:zlib for gzip), no kafkajs.
 *
 * What is kept, as Kafka's own consumer does (clients' CompletedFetch):
 * - records at or after the fetched offset (a batch may start before it), in order;
 * - not control batches (transaction markers), whose offsets still move `nextOffset` on;
 * - with read_committed, not the batches of aborted transactions: the answer's aborted transactions,
 *   sorted by first offset, are taken up as batches reach them (a producer id is then aborted until
 *   its ABORT marker), and a transactional batch of an aborted producer id is left out;
 * - a last batch cut short by the fetch's byte limits is left for the next fetch.
 *
 * `nextOffset` is past the last whole batch (control, aborted and compacted-away offsets included).
 * Uncompressed records point into the answer's bytes; gzip batches are inflated with node:zlib;
 * snappy, lz4 and zstd are refused (`INPUT_KAFKA_COMPRESSION_UNSUPPORTED`). A record set that starts
 * with the old formats (magic 0 or 1) gives `OLD_FORMAT` (the caller decodes it another way); one
 * that reaches them later stops there, so that the next fetch starts with them. CRCs are not
 * checked (kafkajs did not either; TCP and the broker check theirs).
 *
 * ```ts
 * const set = decodeRecordSet(answer, start, end, { fetchOffset: 10, readCommitted: true, abortedTransactions: [], where: "topic t, partition 0" });
 * // { offsets: Float64Array [10, 11, ...], bytes: answer, keyStarts, keyEnds, valueStarts, valueEnds, nextOffset: 20 }
 * ```
 */

import { gunzipSync } from "node:zlib";
import { EddyError } from "../../engine/host/index.js";
import { ColumnsWriter, type Columns } from "./batchColumns.js";
import { bigInt64At, corrupt, int16At, int32At, int64At, offsetTooLarge, WireReader } from "./wire.js";

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: number;
}

export interface RecordSetRequest {
  /** The offset the fetch asked for: records before it are left out. */
  readonly fetchOffset: number;
  /** Leave out the batches of aborted transactions (`abortedTransactions`, from the answer). */
  readonly readCommitted: boolean;
  readonly abortedTransactions: readonly AbortedTransaction[];
  /** Names the partition, for errors ("Kafka topic t, partition 3"). */
  readonly where: string;
}

export interface DecodedRecordSet extends Columns {
  readonly nextOffset: number;
}

/** The record set starts with a message set of magic 0 or 1 (Kafka before 0.11). */
export const OLD_FORMAT = "old-format";

/** Batch header: base offset 0, length 8, leader epoch 12, magic 16, crc 17, attributes 21, last offset delta 23, timestamps 27 and 35, producer id 43, epoch 51, sequence 53, count 57. */
const LOG_OVERHEAD = 12;
const HEADER = 61;
const CONTROL = 0x20;
const TRANSACTIONAL = 0x10;
const COMPRESSIONS = ["none", "gzip", "snappy", "lz4", "zstd"];

/** Decodes the record set in `bytes[start..end)` (a partition's RECORDS of a Fetch answer). */
export function decodeRecordSet(bytes: Uint8Array, start: number, end: number, request: RecordSetRequest): DecodedRecordSet | typeof OLD_FORMAT {
  const { fetchOffset, where } = request;
  const writer = new ColumnsWriter(capacityFor(bytes, start, end));
  const aborted = new AbortedTransactions(request);
  let nextOffset = fetchOffset;
  let pos = start;
  while (end - pos >= LOG_OVERHEAD + 5) {
    const batchEnd = pos + LOG_OVERHEAD + int32At(bytes, pos + 8);
    if (batchEnd > end) break; // cut short by the fetch's byte limits
    const magic = bytes[pos + 16]!;
    if (magic < 2) {
      if (pos === start) return OLD_FORMAT;
      break;
    }
    const baseOffset = int64At(bytes, pos, `${where}: a record batch's base offset`);
    if (magic > 2 || batchEnd < pos + HEADER) throw corrupt(where, `a record batch of magic ${magic} and ${batchEnd - pos} bytes at offset ${baseOffset}`);
    const attributes = int16At(bytes, pos + 21);
    const batchNext = baseOffset + int32At(bytes, pos + 23) + 1;
    if (!Number.isSafeInteger(batchNext)) throw offsetTooLarge(`${where}: the offset after the record batch at ${baseOffset}`, BigInt(baseOffset) + BigInt(int32At(bytes, pos + 23)) + 1n);
    const left = aborted.leavesOut(bytes, pos, attributes, batchNext - 1, batchEnd);
    if (!left && (attributes & CONTROL) === 0 && batchNext > fetchOffset) {
      readRecords(bytes, pos, batchEnd, baseOffset, attributes, request, writer);
    }
    nextOffset = Math.max(nextOffset, batchNext);
    pos = batchEnd;
  }
  return { ...writer.finish(), nextOffset };
}

/**
 * How many records the whole v2 batches of `bytes[start..end)` say they hold, so that the columns
 * are allocated once: bounded by the bytes of uncompressed batches (a record takes at least 7), and
 * for compressed ones by 2^20 (the writer grows past a bound if it must).
 */
function capacityFor(bytes: Uint8Array, start: number, end: number): number {
  let total = 0;
  for (let pos = start; end - pos >= HEADER; ) {
    const batchEnd = pos + LOG_OVERHEAD + int32At(bytes, pos + 8);
    if (batchEnd > end || batchEnd < pos + HEADER || bytes[pos + 16] !== 2) break;
    const count = Math.max(0, int32At(bytes, pos + 57));
    total += (int16At(bytes, pos + 21) & 0x07) === 0 ? Math.min(count, Math.floor((batchEnd - pos - HEADER) / 7)) : Math.min(count, 1 << 20);
    pos = batchEnd;
  }
  return total;
}

/** The records of the batch at `pos` (after its header), at or after the fetched offset, into `writer`. */
function readRecords(bytes: Uint8Array, pos: number, batchEnd: number, baseOffset: number, attributes: number, request: RecordSetRequest, writer: ColumnsWriter): void {
  const { fetchOffset, where } = request;
  const count = int32At(bytes, pos + 57);
  const compression = attributes & 0x07;
  let records = bytes;
  let from = pos + HEADER;
  let to = batchEnd;
  if (compression === 1) {
    try {
      records = gunzipSync(bytes.subarray(from, to));
    } catch (error) {
      throw corrupt(where, `the gzip batch at offset ${baseOffset} does not inflate: ${(error as Error).message}`);
    }
    from = 0;
    to = records.length;
  } else if (compression !== 0) {
    const name = COMPRESSIONS[compression] ?? `codec ${compression}`;
    throw new EddyError(
      "INPUT_KAFKA_COMPRESSION_UNSUPPORTED",
      `${where}: the record batch at offset ${baseOffset} is compressed with ${name}, which Eddy's Kafka input does not decode (it decodes uncompressed and gzip batches); produce with compression.type gzip or none, or set the topic's compression.type`,
    );
  }
  if (count < 0) throw corrupt(where, `a record count of ${count} at offset ${baseOffset}`);
  writer.use(records);
  writer.reserve(count);
  const reader = new WireReader(records, where, from);
  for (let i = 0; i < count; i++) {
    const length = reader.varint();
    const recordEnd = reader.pos + length;
    reader.pos += 1; // attributes
    reader.skipVarlong(); // timestamp delta
    const offset = baseOffset + reader.varint();
    const keyLength = reader.varint();
    const keyStart = keyLength < 0 ? -1 : reader.pos;
    if (keyLength > 0) reader.pos += keyLength;
    const valueLength = reader.varint();
    const valueStart = valueLength < 0 ? -1 : reader.pos;
    if (valueLength > 0) reader.pos += valueLength;
    if (length < 0 || reader.pos > recordEnd || recordEnd > to) throw corrupt(where, `record ${i} of the batch at offset ${baseOffset} overruns its batch`);
    if (offset >= fetchOffset) writer.push(offset, keyStart, keyStart + keyLength, valueStart, valueStart + valueLength);
    reader.pos = recordEnd; // headers are not read
  }
  if (reader.pos !== to) throw corrupt(where, `the batch at offset ${baseOffset} holds more than its ${count} records`);
}

/** Kafka's read_committed filter over one record set (clients' CompletedFetch, abortedProducerIds). */
class AbortedTransactions {
  private readonly pending: AbortedTransaction[];
  private next = 0;
  private readonly abortedProducers = new Set<bigint>();

  constructor(private readonly request: RecordSetRequest) {
    this.pending = request.readCommitted ? [...request.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset) : [];
  }

  /** Whether the batch at `pos` belongs to an aborted transaction (updating what is aborted). */
  leavesOut(bytes: Uint8Array, pos: number, attributes: number, lastOffset: number, batchEnd: number): boolean {
    if (this.next >= this.pending.length && this.abortedProducers.size === 0) return false;
    if (int32At(bytes, pos + 43) === -1 && int32At(bytes, pos + 47) === -1) return false; // no producer id
    while (this.next < this.pending.length && this.pending[this.next]!.firstOffset <= lastOffset) {
      this.abortedProducers.add(this.pending[this.next++]!.producerId);
    }
    const producerId = bigInt64At(bytes, pos + 43);
    if ((attributes & CONTROL) !== 0) {
      if (isAbortMarker(bytes, pos + HEADER, batchEnd, this.request.where)) this.abortedProducers.delete(producerId);
      return false;
    }
    return (attributes & TRANSACTIONAL) !== 0 && this.abortedProducers.has(producerId);
  }
}

/** Whether the first record of a control batch (records from `from`) is an ABORT marker: key = version int16, type int16 (0 abort, 1 commit). */
function isAbortMarker(bytes: Uint8Array, from: number, to: number, where: string): boolean {
  const reader = new WireReader(bytes, where, from);
  reader.varint(); // length
  reader.pos += 1; // attributes
  reader.skipVarlong(); // timestamp delta
  reader.varint(); // offset delta
  const keyLength = reader.varint();
  if (keyLength < 4 || reader.pos + 4 > to) return false;
  return int16At(bytes, reader.pos + 2) === 0;
}
