/**
 * The columns of a `PartitionBatch` (client.ts): building them while decoding (`ColumnsWriter`),
 * building them from records held as objects (`columnsOf`, for fakes behind the port and for the
 * old message formats that kafkajs decodes), and reading one key or value back as a fresh copy.
 * Pure, no kafkajs.
 *
 * The writer records positions in the bytes it is given (`use`), so records of an uncompressed
 * batch point straight into the fetch answer; when records come from several byte arrays (a
 * decompressed batch after an uncompressed one), `finish` copies the used ranges into one array and
 * moves the positions.
 *
 * ```ts
 * const writer = new ColumnsWriter(16);
 * writer.use(answer);
 * writer.push(42, -1, -1, 100, 110);            // offset 42: null key, value answer[100..110)
 * const columns = writer.finish();              // { offsets, bytes: answer, keyStarts, ... }
 * valueBytes({ partition: 0, nextOffset: 43, highWatermark: 43, ...columns }, 0);  // a fresh Uint8Array of 10 bytes
 * ```
 */

import type { PartitionBatch } from "./client.js";

/** A `PartitionBatch` without what the fetch answer says of the partition. */
export type Columns = Pick<PartitionBatch, "offsets" | "bytes" | "keyStarts" | "keyEnds" | "valueStarts" | "valueEnds">;

const EMPTY = new Uint8Array(0);

interface Segment {
  readonly bytes: Uint8Array;
  /** The index of its first record. */
  readonly from: number;
}

export class ColumnsWriter {
  private offsets: Float64Array;
  private keyStarts: Int32Array;
  private keyEnds: Int32Array;
  private valueStarts: Int32Array;
  private valueEnds: Int32Array;
  private count = 0;
  private readonly segments: Segment[] = [];

  constructor(capacity: number) {
    const size = Math.max(1, capacity);
    this.offsets = new Float64Array(size);
    this.keyStarts = new Int32Array(size);
    this.keyEnds = new Int32Array(size);
    this.valueStarts = new Int32Array(size);
    this.valueEnds = new Int32Array(size);
  }

  get length(): number {
    return this.count;
  }

  /** The records pushed from now on point into `bytes`. */
  use(bytes: Uint8Array): void {
    const last = this.segments[this.segments.length - 1];
    if (last?.bytes === bytes) return;
    if (last !== undefined && last.from === this.count) this.segments.pop();
    this.segments.push({ bytes, from: this.count });
  }

  /** Makes room for `more` records. */
  reserve(more: number): void {
    const needed = this.count + more;
    if (needed <= this.offsets.length) return;
    const size = Math.max(needed, this.offsets.length * 2);
    this.offsets = grown(this.offsets, new Float64Array(size));
    this.keyStarts = grown(this.keyStarts, new Int32Array(size));
    this.keyEnds = grown(this.keyEnds, new Int32Array(size));
    this.valueStarts = grown(this.valueStarts, new Int32Array(size));
    this.valueEnds = grown(this.valueEnds, new Int32Array(size));
  }

  /** One record (after `reserve`); a start of -1 is null. */
  push(offset: number, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const i = this.count++;
    this.offsets[i] = offset;
    this.keyStarts[i] = keyStart;
    this.keyEnds[i] = keyEnd;
    this.valueStarts[i] = valueStart;
    this.valueEnds[i] = valueEnd;
  }

  finish(): Columns {
    const n = this.count;
    const columns = {
      offsets: this.offsets.subarray(0, n),
      keyStarts: this.keyStarts.subarray(0, n),
      keyEnds: this.keyEnds.subarray(0, n),
      valueStarts: this.valueStarts.subarray(0, n),
      valueEnds: this.valueEnds.subarray(0, n),
    };
    const used = this.segments.filter((segment, i) => (this.segments[i + 1]?.from ?? n) > segment.from);
    if (used.length <= 1) return { ...columns, bytes: used[0]?.bytes ?? EMPTY };
    return { ...columns, bytes: merge(used, columns, n) };
  }
}

function grown<T extends Float64Array | Int32Array>(old: T, fresh: T): T {
  fresh.set(old as never);
  return fresh;
}

/** Copies each segment's used range into one array and moves the positions of its records there. */
function merge(segments: readonly Segment[], columns: Omit<Columns, "bytes">, n: number): Uint8Array {
  const { keyStarts, keyEnds, valueStarts, valueEnds } = columns;
  const ranges = segments.map((segment, s) => {
    const to = segments[s + 1]?.from ?? n;
    let low = Infinity;
    let high = 0;
    for (let i = segment.from; i < to; i++) {
      for (const [starts, ends] of [[keyStarts, keyEnds], [valueStarts, valueEnds]] as const) {
        if (starts[i]! < 0) continue;
        low = Math.min(low, starts[i]!);
        high = Math.max(high, ends[i]!);
      }
    }
    return low === Infinity ? { to, low: 0, high: 0 } : { to, low, high };
  });
  const bytes = new Uint8Array(ranges.reduce((sum, r) => sum + r.high - r.low, 0));
  let base = 0;
  segments.forEach((segment, s) => {
    const { to, low, high } = ranges[s]!;
    bytes.set(segment.bytes.subarray(low, high), base);
    const shift = base - low;
    for (let i = segment.from; i < to; i++) {
      for (const [starts, ends] of [[keyStarts, keyEnds], [valueStarts, valueEnds]] as const) {
        if (starts[i]! < 0) continue;
        starts[i] = starts[i]! + shift;
        ends[i] = ends[i]! + shift;
      }
    }
    base += high - low;
  });
  return bytes;
}

export interface RecordOf {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
}

/** The columns of records held as objects (their bytes copied into one array). */
export function columnsOf(records: readonly RecordOf[]): Columns {
  let size = 0;
  for (const r of records) size += (r.key?.length ?? 0) + (r.value?.length ?? 0);
  const bytes = new Uint8Array(size);
  const writer = new ColumnsWriter(records.length);
  writer.use(bytes);
  let at = 0;
  const place = (part: Uint8Array | null): [number, number] => {
    if (part === null) return [-1, -1];
    bytes.set(part, at);
    at += part.length;
    return [at - part.length, at];
  };
  for (const record of records) {
    const [keyStart, keyEnd] = place(record.key);
    const [valueStart, valueEnd] = place(record.value);
    writer.push(record.offset, keyStart, keyEnd, valueStart, valueEnd);
  }
  return writer.finish();
}

/** A fresh copy of bytes[start..end) (a plain Uint8Array with an ArrayBuffer of its own), or null for a start of -1. */
export function copyRange(bytes: Uint8Array, start: number, end: number): Uint8Array | null {
  if (start < 0) return null;
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + end));
}

/** A fresh copy of record `i`'s key, or null. */
export function keyBytes(batch: PartitionBatch, i: number): Uint8Array | null {
  return copyRange(batch.bytes, batch.keyStarts[i]!, batch.keyEnds[i]!);
}

/** A fresh copy of record `i`'s value, or null. */
export function valueBytes(batch: PartitionBatch, i: number): Uint8Array | null {
  return copyRange(batch.bytes, batch.valueStarts[i]!, batch.valueEnds[i]!);
}
