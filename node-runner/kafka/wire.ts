/**
 * Reading Kafka's wire types from bytes without an object per value (pure; used by the Fetch
 * answer's decoder, fetchResponse.ts, and the record batch decoder, recordBatch.ts). A 64-bit
 * integer is read as two 32-bit halves into a number, and refused with
 * `INPUT_KAFKA_OFFSET_TOO_LARGE` when it is not a safe integer (beyond ±2^53): Eddy keeps offsets in
 * numbers. Varints are Kafka's zigzag varints.
 *
 * ```ts
 * const reader = new WireReader(Buffer.from([0, 0, 0, 0, 0, 0, 0, 7, 0x02]), "topic t");
 * reader.int64();   // 7
 * reader.varint();  // 1
 * ```
 */

import { EddyError } from "../../engine/host/index.js";

const TWO_32 = 4294967296;

/** The number the 8 bytes at `at` hold (big-endian, signed), or INPUT_KAFKA_OFFSET_TOO_LARGE naming `what`. */
export function int64At(bytes: Uint8Array, at: number, what: string): number {
  const high = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) | 0;
  const low = ((bytes[at + 4]! << 24) | (bytes[at + 5]! << 16) | (bytes[at + 6]! << 8) | bytes[at + 7]!) >>> 0;
  const value = high * TWO_32 + low;
  if (Number.isSafeInteger(value)) return value;
  throw offsetTooLarge(what, (BigInt(high) << 32n) | BigInt(low));
}

/** INPUT_KAFKA_OFFSET_TOO_LARGE: `what` is `value`, not a safe integer. */
export function offsetTooLarge(what: string, value: bigint): EddyError {
  return new EddyError(
    "INPUT_KAFKA_OFFSET_TOO_LARGE",
    `${what} is ${value}, beyond 2^53: Eddy keeps Kafka offsets in JavaScript numbers and cannot read this partition exactly`,
  );
}

export function int32At(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

export function int16At(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 8) | bytes[at + 1]!) << 16 >> 16;
}

/** The 8 bytes at `at` as a bigint (signed), for producer ids. */
export function bigInt64At(bytes: Uint8Array, at: number): bigint {
  return (BigInt(int32At(bytes, at)) << 32n) | BigInt(int32At(bytes, at + 4) >>> 0);
}

/** A cursor over `bytes`; reading past `end` is the caller's to check (`pos > end`). */
export class WireReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    /** Names what is read, for errors. */
    readonly where: string,
    start = 0,
  ) {
    this.pos = start;
  }

  int8(): number {
    return (this.bytes[this.pos++]! << 24) >> 24;
  }

  int16(): number {
    const value = int16At(this.bytes, this.pos);
    this.pos += 2;
    return value;
  }

  int32(): number {
    const value = int32At(this.bytes, this.pos);
    this.pos += 4;
    return value;
  }

  int64(what = this.where): number {
    const value = int64At(this.bytes, this.pos, what);
    this.pos += 8;
    return value;
  }

  bigInt64(): bigint {
    const value = bigInt64At(this.bytes, this.pos);
    this.pos += 8;
    return value;
  }

  /** A zigzag varint of at most 5 bytes. */
  varint(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let byte = bytes[pos++]!;
    let value = byte & 0x7f;
    let shift = 7;
    while (byte & 0x80) {
      if (shift > 28) throw corrupt(this.where, "a varint longer than 5 bytes");
      byte = bytes[pos++]!;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    }
    this.pos = pos;
    return (value >>> 1) ^ -(value & 1);
  }

  /** Steps over a zigzag varlong of at most 10 bytes. */
  skipVarlong(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    const limit = pos + 10;
    while (bytes[pos++]! & 0x80) if (pos >= limit) throw corrupt(this.where, "a varlong longer than 10 bytes");
    this.pos = pos;
  }

  /** A STRING (int16 length, then UTF-8). */
  string(): string {
    const length = this.int16();
    if (length < 0) return "";
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.bytes.length) throw corrupt(this.where, `a string of ${length} bytes past the end`);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, length).toString("utf8");
  }
}

/** A Fetch answer or record batch that does not follow the protocol. */
export function corrupt(where: string, what: string): EddyError {
  return new EddyError("INPUT_KAFKA_FAILED", `${where}: the broker's answer is corrupt or not understood (${what})`);
}
