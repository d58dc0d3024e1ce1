/**
 * The records of a TCP connection between cluster processes, as a pure decoder of a byte stream:
 * whatever the chunks (split anywhere, several records at once, Node Buffers over a shared pool),
 * the same records come out, and a corrupt stream is CLUSTER_PROTOCOL, never a crash.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RECORD_BYTES, RecordDecoder, dataHeader, encodeControl, type WireRecord } from "../../node-runner/cluster/framing.js";

function dataRecord(from: number, to: number, frame: Uint8Array): Uint8Array {
  const header = dataHeader(from, to, frame.length);
  const bytes = new Uint8Array(header.length + frame.length);
  bytes.set(header);
  bytes.set(frame, header.length);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** Decodes `stream` fed in chunks cut at `cuts` (offsets). */
function decodeIn(stream: Uint8Array, cuts: readonly number[]): WireRecord[] {
  const decoder = new RecordDecoder("process 1 at 127.0.0.1:4001");
  const bounds = [0, ...[...new Set(cuts)].filter((cut) => cut > 0 && cut < stream.length).sort((a, b) => a - b), stream.length];
  const records: WireRecord[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) records.push(...decoder.push(stream.subarray(bounds[i], bounds[i + 1])));
  return records;
}

const plain = (records: readonly WireRecord[]) => records.map((record) => (record.kind === "data" ? { ...record, frame: [...record.frame] } : record));

describe("the record decoder", () => {
  const frame = new Uint8Array([1, 2, 3, 250, 0, 7]);
  const stream = concat([dataRecord(2, 0, frame), encodeControl({ type: "done" }), dataRecord(3, 1, new Uint8Array(0)), encodeControl({ type: "round", name: "x", payload: [1, "é"] })]);
  const expected = [
    { kind: "data", from: 2, to: 0, frame: [...frame] },
    { kind: "control", message: { type: "done" } },
    { kind: "data", from: 3, to: 1, frame: [] },
    { kind: "control", message: { type: "round", name: "x", payload: [1, "é"] } },
  ];

  it("gives the same records whatever the chunks: one at a time byte by byte, all at once, cut anywhere", () => {
    expect(plain(decodeIn(stream, []))).toEqual(expected);
    expect(plain(decodeIn(stream, Array.from({ length: stream.length }, (_, i) => i)))).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
        expect(plain(decodeIn(stream, cuts))).toEqual(expected);
      }),
    );
  });

  it("gives each frame its own whole ArrayBuffer, also from Node Buffers that view a shared pool", () => {
    const decoder = new RecordDecoder("process 1");
    const pooled = Buffer.from(stream);
    const records = decoder.push(Buffer.concat([Buffer.alloc(3), pooled]).subarray(3));
    const data = records.filter((record) => record.kind === "data");
    expect(data).toHaveLength(2);
    for (const record of data) {
      expect(record.frame.byteOffset).toBe(0);
      expect(record.frame.buffer.byteLength).toBe(record.frame.length);
    }
    // Transferring a frame's buffer leaves the chunk it came from readable.
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(data[0]!.frame.buffer, [data[0]!.frame.buffer]);
    port1.close();
    port2.close();
    expect(pooled.length).toBe(stream.length);
  });

  it("refuses a corrupt stream with CLUSTER_PROTOCOL naming the other side: a huge length, an unknown type, a control record that is not JSON, a short data record", () => {
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setUint32(0, MAX_RECORD_BYTES + 1);
    const unknown = new Uint8Array([0, 0, 0, 1, 9]);
    const notJson = new Uint8Array([0, 0, 0, 3, 1, 0x7b, 0x7b]);
    const short = new Uint8Array([0, 0, 0, 2, 0, 1]);
    for (const bytes of [huge, unknown, notJson, short]) {
      expect(() => new RecordDecoder("process 1 at 127.0.0.1:4001").push(bytes)).toThrowError(expect.objectContaining({ code: "CLUSTER_PROTOCOL", message: expect.stringContaining("process 1 at 127.0.0.1:4001") }));
    }
  });

  it("waits for the rest of a record without giving anything", () => {
    const decoder = new RecordDecoder("p");
    const record = encodeControl({ type: "bye" });
    expect(decoder.push(record.subarray(0, 2))).toEqual([]);
    expect(decoder.push(record.subarray(2, record.length - 1))).toEqual([]);
    expect(decoder.push(record.subarray(record.length - 1))).toEqual([{ kind: "control", message: { type: "bye" } }]);
  });
});
