/**
 * The file store's record format and its checks. LMDB trusts its pages, so the store checks what
 * it reads itself:
 *
 * - every state record's value starts with a 32-bit FNV-1a checksum over the record's id (step id,
 *   key, epoch, as LMDB keys it) and the rest of the value (a flag byte, the real ids of a record
 *   keyed by digest, the state's bytes);
 * - the partition's summary (one binary entry) holds the frontier, the number of records, an
 *   order-independent digest of their ids (the sum of their id hashes mod 2^32), a hash of the
 *   partition's meta, and a checksum over all of it. A load recounts and re-sums every record, so
 *   a record that went missing, came twice or changed its id is found.
 *
 * Pure functions over bytes; no I/O.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 code units (two bytes each), continuing from `hash`. */
function hashString(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    hash = Math.imul(hash ^ (unit & 0xff), FNV_PRIME);
    hash = Math.imul(hash ^ (unit >>> 8), FNV_PRIME);
  }
  return hash;
}

/** FNV-1a over `bytes[from..]`, continuing from `hash`. */
function hashBytes(hash: number, bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash;
}

/** The hash of a record id as LMDB keys it: the step id field, the key field, the epoch. */
export function idHash(stepField: string, keyField: string, epoch: number): number {
  let hash = hashString(FNV_OFFSET, stepField);
  hash = Math.imul(hash ^ 0xff, FNV_PRIME);
  hash = hashString(hash, keyField);
  hash = Math.imul(hash ^ 0xff, FNV_PRIME);
  hash = Math.imul(hash ^ (epoch & 0xff), FNV_PRIME);
  hash = Math.imul(hash ^ ((epoch >>> 8) & 0xff), FNV_PRIME);
  hash = Math.imul(hash ^ ((epoch >>> 16) & 0xff), FNV_PRIME);
  hash = Math.imul(hash ^ (epoch >>> 24), FNV_PRIME);
  hash = Math.imul(hash ^ Math.floor(epoch / 0x100000000), FNV_PRIME);
  return hash >>> 0;
}

const RESET_FLAG = 1;
const REAL_IDS_FLAG = 2;
/** Checksum (4 bytes) and flags (1 byte). */
const HEADER = 5;

/** What a stored value holds once checked. */
export interface DecodedValue {
  readonly value: Uint8Array | null;
  /** For a record keyed by digest: its real ids. */
  readonly realIds?: { readonly stepId: string; readonly key: string };
}

/** A record's stored value: checksum, flags, the real ids when keyed by digest, the state's bytes. */
export function encodeValue(id: number, value: Uint8Array | null, realIds?: { stepId: string; key: string }): Buffer {
  const payload = value?.length ?? 0;
  let size = HEADER + payload;
  let stepBytes = 0;
  let keyBytes = 0;
  if (realIds) {
    stepBytes = Buffer.byteLength(realIds.stepId);
    keyBytes = Buffer.byteLength(realIds.key);
    size += 8 + stepBytes + keyBytes;
  }
  const out = Buffer.allocUnsafe(size);
  out[4] = (value === null ? RESET_FLAG : 0) | (realIds ? REAL_IDS_FLAG : 0);
  let at = HEADER;
  if (realIds) {
    out.writeUInt32LE(stepBytes, at);
    out.write(realIds.stepId, at + 4, "utf8");
    at += 4 + stepBytes;
    out.writeUInt32LE(keyBytes, at);
    out.write(realIds.key, at + 4, "utf8");
    at += 4 + keyBytes;
  }
  if (value !== null) out.set(value, at);
  out.writeUInt32LE(hashBytes(id, out, 4) >>> 0, 0);
  return out;
}

/** Checks a stored value against its record's id hash; undefined when it does not match or is malformed. */
export function decodeValue(id: number, stored: Uint8Array): DecodedValue | undefined {
  if (stored.length < HEADER) return undefined;
  const view = Buffer.from(stored.buffer, stored.byteOffset, stored.length);
  if (view.readUInt32LE(0) !== hashBytes(id, stored, 4) >>> 0) return undefined;
  const flags = stored[4]!;
  if ((flags & ~(RESET_FLAG | REAL_IDS_FLAG)) !== 0) return undefined;
  let at = HEADER;
  let realIds: { stepId: string; key: string } | undefined;
  if (flags & REAL_IDS_FLAG) {
    const stepBytes = at + 4 <= view.length ? view.readUInt32LE(at) : Infinity;
    if (at + 4 + stepBytes + 4 > view.length) return undefined;
    const stepId = view.toString("utf8", at + 4, at + 4 + stepBytes);
    at += 4 + stepBytes;
    const keyBytes = view.readUInt32LE(at);
    if (at + 4 + keyBytes > view.length) return undefined;
    const key = view.toString("utf8", at + 4, at + 4 + keyBytes);
    at += 4 + keyBytes;
    realIds = { stepId, key };
  }
  if (flags & RESET_FLAG) return at === view.length ? { value: null, ...(realIds && { realIds }) } : undefined;
  return { value: new Uint8Array(stored.subarray(at)), ...(realIds && { realIds }) };
}

/** A partition's summary: its frontier, its records' count and id digest, and its meta's hash. */
export interface Summary {
  readonly frontier: number;
  readonly count: number;
  readonly digest: number;
  readonly metaHash: number;
}

export const EMPTY_SUMMARY: Summary = { frontier: 0, count: 0, digest: 0, metaHash: 0 };

const SUMMARY_SIZE = 4 + 8 + 4 + 4 + 4;

export function encodeSummary(summary: Summary): Buffer {
  const out = Buffer.alloc(SUMMARY_SIZE);
  out.writeDoubleLE(summary.frontier, 4);
  out.writeUInt32LE(summary.count >>> 0, 12);
  out.writeUInt32LE(summary.digest >>> 0, 16);
  out.writeUInt32LE(summary.metaHash >>> 0, 20);
  out.writeUInt32LE(hashBytes(FNV_OFFSET, out, 4) >>> 0, 0);
  return out;
}

/** The summary, or undefined when its checksum does not match. */
export function decodeSummary(stored: Uint8Array): Summary | undefined {
  if (stored.length !== SUMMARY_SIZE) return undefined;
  const view = Buffer.from(stored.buffer, stored.byteOffset, stored.length);
  if (view.readUInt32LE(0) !== hashBytes(FNV_OFFSET, stored, 4) >>> 0) return undefined;
  const frontier = view.readDoubleLE(4);
  if (!Number.isSafeInteger(frontier) || frontier < 0) return undefined;
  return { frontier, count: view.readUInt32LE(12), digest: view.readUInt32LE(16), metaHash: view.readUInt32LE(20) };
}

/** The hash of a partition's meta, as JSON (every field, whatever the meta holds). */
export function metaHash(meta: unknown): number {
  return hashString(FNV_OFFSET, JSON.stringify(meta)) >>> 0;
}

/** Adds (or with `sign` -1 removes) an id hash to a digest, mod 2^32. */
export function addToDigest(digest: number, id: number, sign: 1 | -1): number {
  return (digest + sign * id) >>> 0;
}
