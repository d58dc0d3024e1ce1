/**
 * How records travel on a TCP connection between two processes of a cluster, as a pure encoder and
 * a pure decoder of a byte stream (chunks may split a record anywhere or hold several).
 *
 * Layout of a record: a u32 (big-endian) length of what follows, a u8 type, then
 *   DATA (0)     u32 from-worker, u32 to-worker, one exchange frame (engine/exchange/frame.ts,
 *                credit frames included: flow control stays end to end, between the two workers)
 *   CONTROL (1)  a JSON text in UTF-8 (controlRecords.ts: hello, rounds, failure, stop, done, bye)
 */

import { EddyError } from "../../engine/host/index.js";

const DATA = 0;
const CONTROL = 1;
const LENGTH_BYTES = 4;
const DATA_HEADER = 1 + 4 + 4;
/** The longest record accepted: a longer length is a corrupt stream, not a frame. */
export const MAX_RECORD_BYTES = 1 << 30;

export type WireRecord =
  /** `frame` owns its whole ArrayBuffer (offset 0, exact length): it can be transferred to a thread. */
  | { readonly kind: "data"; readonly from: number; readonly to: number; readonly frame: Uint8Array }
  | { readonly kind: "control"; readonly message: unknown };

/** A data record's header; the frame follows it as it is (two writes, no copy of the frame). */
export function dataHeader(from: number, to: number, frameBytes: number): Uint8Array {
  const header = new Uint8Array(LENGTH_BYTES + DATA_HEADER);
  const view = new DataView(header.buffer);
  view.setUint32(0, DATA_HEADER + frameBytes);
  view.setUint8(4, DATA);
  view.setUint32(5, from);
  view.setUint32(9, to);
  return header;
}

export function encodeControl(message: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(message));
  const record = new Uint8Array(LENGTH_BYTES + 1 + json.length);
  const view = new DataView(record.buffer);
  view.setUint32(0, 1 + json.length);
  view.setUint8(4, CONTROL);
  record.set(json, LENGTH_BYTES + 1);
  return record;
}

function protocolError(from: string, what: string): EddyError {
  return new EddyError("CLUSTER_PROTOCOL", `The connection with ${from} carried ${what}; closing it (is something other than an Eddy process of this cluster at that address?)`);
}

/** Turns the chunks of one connection into records. Throws CLUSTER_PROTOCOL on a corrupt stream. */
export class RecordDecoder {
  private chunks: Uint8Array[] = [];
  /** Bytes of chunks[0] already consumed. */
  private head = 0;
  private buffered = 0;
  private readonly text = new TextDecoder("utf-8", { fatal: true });

  /** `from` names the other side in errors ("process 1 at 10.0.0.2:2101"). */
  constructor(private readonly from: string) {}

  /** The records completed by `chunk`, in order (a Node Buffer is read as the plain bytes it views). */
  push(chunk: Uint8Array): WireRecord[] {
    if (chunk.length === 0) return [];
    // A Buffer's `slice` is a view, not a copy: work on a plain Uint8Array over the same bytes.
    this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.length;
    const records: WireRecord[] = [];
    while (this.buffered >= LENGTH_BYTES) {
      const length = new DataView(this.peek(LENGTH_BYTES).buffer).getUint32(0);
      if (length < 1 || length > MAX_RECORD_BYTES) throw protocolError(this.from, `a record of ${length} bytes`);
      if (this.buffered < LENGTH_BYTES + length) break;
      this.take(LENGTH_BYTES);
      records.push(this.parse(this.take(length)));
    }
    return records;
  }

  private parse(bytes: Uint8Array): WireRecord {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const type = view.getUint8(0);
    if (type === DATA) {
      if (bytes.length < DATA_HEADER) throw protocolError(this.from, "a data record too short for its header");
      return { kind: "data", from: view.getUint32(1), to: view.getUint32(5), frame: bytes.slice(DATA_HEADER) };
    }
    if (type === CONTROL) {
      try {
        return { kind: "control", message: JSON.parse(this.text.decode(bytes.subarray(1))) as unknown };
      } catch {
        throw protocolError(this.from, "a control record that is not JSON");
      }
    }
    throw protocolError(this.from, `a record of unknown type ${type}`);
  }

  /** The next `n` buffered bytes, not consumed (a copy when they span chunks). */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) return first.slice(this.head, this.head + n);
    const bytes = new Uint8Array(n);
    let filled = 0;
    for (let i = 0, offset = this.head; filled < n; i++, offset = 0) {
      const part = this.chunks[i]!.subarray(offset, offset + n - filled);
      bytes.set(part, filled);
      filled += part.length;
    }
    return bytes;
  }

  /** Consumes the next `n` buffered bytes (a view when they lie in one chunk, else a copy). */
  private take(n: number): Uint8Array {
    this.buffered -= n;
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) {
      const bytes = first.subarray(this.head, this.head + n);
      this.advance(n);
      return bytes;
    }
    const bytes = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = chunk.subarray(this.head, this.head + n - filled);
      bytes.set(part, filled);
      filled += part.length;
      this.advance(part.length);
    }
    return bytes;
  }

  private advance(n: number): void {
    this.head += n;
    if (this.head === this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
    }
  }
}
