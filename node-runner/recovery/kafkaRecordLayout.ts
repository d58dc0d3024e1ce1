/**
 * How the Kafka recovery store (kafkaStore.ts) lays a partition out as Kafka records, and checks
 * them when read. Pure functions over bytes; no I/O.
 *
 * Worker i's partition is partition i of the store's compacted topic. Every record has a key, so
 * that compaction keeps the latest value per logical key:
 *
 * - `E1m` (3 bytes): the partition's meta, as JSON;
 * - `E1s`: the partition's summary (frontier, record count, id digest, meta hash: the same summary
 *   as the file store's, recordChecksum.ts), rewritten by every commit;
 * - `E1r` + u32 length + step id (UTF-8) + u32 length + key (UTF-8) + epoch (float64, big-endian):
 *   one state record, as the file store keys it by [step id, key, epoch]. Length prefixes keep
 *   ("a", "bc") and ("ab", "c") apart; Kafka keys have no size limit short of the record's.
 *
 * Values start with a 32-bit FNV-1a checksum over the record's key and the rest of the value, so a
 * value moved to another key, damaged, or produced by something else is found. A state record's
 * value then has a flag byte (1: reset, the state's null) and the state's bytes. A deleted record
 * is a tombstone: its key with a null value, which compaction later removes.
 */

import { decodeSummary, encodeSummary, type Summary } from "./recordChecksum.js";
import type { PartitionMeta, RecordId } from "../../engine/host/index.js";

const PREFIX = "E1";
const META_KEY = Buffer.from(`${PREFIX}m`, "latin1");
const SUMMARY_KEY = Buffer.from(`${PREFIX}s`, "latin1");
const RECORD_TAG = `${PREFIX}r`;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(hash: number, bytes: Uint8Array, from = 0): number {
  for (let i = from; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash;
}

/** A value with its checksum (over `key` and `body`) in front. */
function sealed(key: Uint8Array, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.set(body, 4);
  out.writeUInt32LE(fnv(fnv(FNV_OFFSET, key), out, 4) >>> 0, 0);
  return out;
}

/** The body of a sealed value, or undefined when its checksum does not match. */
function unsealed(key: Uint8Array, value: Uint8Array): Buffer | undefined {
  if (value.length < 4) return undefined;
  const view = Buffer.from(value.buffer, value.byteOffset, value.length);
  if (view.readUInt32LE(0) !== fnv(fnv(FNV_OFFSET, key), value, 4) >>> 0) return undefined;
  return view.subarray(4);
}

export const metaKey = (): Buffer => META_KEY;
export const summaryKey = (): Buffer => SUMMARY_KEY;

export function recordKey(stepId: string, key: string, epoch: number): Buffer {
  const step = Buffer.from(stepId, "utf8");
  const name = Buffer.from(key, "utf8");
  const out = Buffer.allocUnsafe(3 + 4 + step.length + 4 + name.length + 8);
  out.write(RECORD_TAG, 0, "latin1");
  out.writeUInt32BE(step.length, 3);
  out.set(step, 7);
  out.writeUInt32BE(name.length, 7 + step.length);
  out.set(name, 11 + step.length);
  out.writeDoubleBE(epoch, 11 + step.length + name.length);
  return out;
}

export function metaValue(meta: PartitionMeta): Buffer {
  return sealed(META_KEY, Buffer.from(JSON.stringify(meta), "utf8"));
}

export function summaryValue(summary: Summary): Buffer {
  return sealed(SUMMARY_KEY, encodeSummary(summary));
}

const RESET_FLAG = 1;

export function recordValue(key: Uint8Array, value: Uint8Array | null): Buffer {
  const body = Buffer.allocUnsafe(1 + (value?.length ?? 0));
  body[0] = value === null ? RESET_FLAG : 0;
  if (value !== null) body.set(value, 1);
  return sealed(key, body);
}

/** What one Kafka record of a store partition is, once checked; `problem` says why it is not. */
export type DecodedRecord =
  | { readonly kind: "meta"; readonly meta: PartitionMeta | undefined }
  | { readonly kind: "summary"; readonly summary: Summary | undefined }
  | { readonly kind: "record"; readonly id: RecordId; readonly value: Uint8Array | null | undefined }
  | { readonly kind: "problem"; readonly problem: string };

/**
 * Decodes one record; a null value (a tombstone) decodes with an undefined meta, summary or value.
 * A value that does not check out is a problem.
 */
export function decodeRecord(key: Uint8Array | null, value: Uint8Array | null): DecodedRecord {
  if (key === null) return { kind: "problem", problem: "a record without a key" };
  const keyBuffer = Buffer.from(key.buffer, key.byteOffset, key.length);
  if (keyBuffer.equals(META_KEY)) {
    if (value === null) return { kind: "meta", meta: undefined };
    const body = unsealed(key, value);
    if (!body) return { kind: "problem", problem: "the checksum of its meta does not match" };
    try {
      return { kind: "meta", meta: JSON.parse(body.toString("utf8")) as PartitionMeta };
    } catch {
      return { kind: "problem", problem: "its meta is not readable" };
    }
  }
  if (keyBuffer.equals(SUMMARY_KEY)) {
    if (value === null) return { kind: "summary", summary: undefined };
    const body = unsealed(key, value);
    const summary = body && decodeSummary(body);
    return summary ? { kind: "summary", summary } : { kind: "problem", problem: "the checksum of its summary (frontier, record count) does not match" };
  }
  const id = recordIdOf(keyBuffer);
  if (!id) return { kind: "problem", problem: `a record's key is not one of the store's (${JSON.stringify(keyBuffer.subarray(0, 40).toString("latin1"))})` };
  if (value === null) return { kind: "record", id, value: undefined };
  const body = unsealed(key, value);
  if (!body || (body[0] !== 0 && body[0] !== RESET_FLAG) || (body[0] === RESET_FLAG && body.length !== 1)) {
    return { kind: "problem", problem: `the checksum of the record of step ${JSON.stringify(id.stepId.slice(0, 100))}, key ${JSON.stringify(id.key.slice(0, 100))}, epoch ${id.epoch} does not match` };
  }
  return { kind: "record", id, value: body[0] === RESET_FLAG ? null : new Uint8Array(body.subarray(1)) };
}

function recordIdOf(key: Buffer): RecordId | undefined {
  if (key.length < 19 || key.toString("latin1", 0, 3) !== RECORD_TAG) return undefined;
  const stepLength = key.readUInt32BE(3);
  if (7 + stepLength + 4 > key.length) return undefined;
  const keyLength = key.readUInt32BE(7 + stepLength);
  if (11 + stepLength + keyLength + 8 !== key.length) return undefined;
  const epoch = key.readDoubleBE(11 + stepLength + keyLength);
  if (!Number.isSafeInteger(epoch) || epoch < 0) return undefined;
  return { stepId: key.toString("utf8", 7, 7 + stepLength), key: key.toString("utf8", 11 + stepLength, 11 + stepLength + keyLength), epoch };
}
