/**
 * Kafka records to the input's items, one fetched batch at a time (pure). Items are
 * `[key, payload]`: without `decode`, each a fresh `Uint8Array` (never a Node Buffer: a Buffer is a
 * Uint8Array subclass that a worker thread would receive as a plain Uint8Array, so its class would
 * depend on where the item went; and a fresh array holds its own bytes, not a view into the whole
 * fetch answer, which would be copied whole with every item that crosses threads). With
 * `decode: "utf8"` both are strings; with `"json"` the key is a string and the payload is parsed.
 * `null` stays `null`.
 *
 * The batch comes in columns (../kafka/client.ts): strings are decoded straight from its bytes
 * (Buffer's utf8Slice), and raw items copied out of them, so no Buffer is made per record.
 *
 * ```ts
 * const { offsets, ...columns } = columnsOf([{ offset: 5, key: null, value: new Uint8Array([104, 105]) }]);   // ../kafka/batchColumns.ts
 * toItems({ partition: 0, offsets, ...columns, nextOffset: 6, highWatermark: 6 }, { decode: "utf8", end: undefined, topic: "t" });
 * // { items: [[null, "hi"]] }
 * ```
 */

import { EddyError, type KafkaDecode } from "../../engine/host/index.js";
import { copyRange } from "../kafka/batchColumns.js";
import type { PartitionBatch } from "../kafka/client.js";

export interface ItemsOptions {
  readonly decode: KafkaDecode | undefined;
  /** Records at or after this offset are left out (`tail: false`). */
  readonly end: number | undefined;
  readonly topic: string;
}

export interface Items {
  /** The items of the batch's first `items.length` records (the others are at or after `end`). */
  readonly items: unknown[];
}

/** What strings are decoded with: Buffer's own UTF-8 decoder of a range (what `toString("utf8", start, end)` calls after checking its arguments), called as a method. */
interface Utf8Reader {
  utf8Slice(start: number, end: number): string;
}

function utf8Reader(bytes: Uint8Array): Utf8Reader {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (typeof (buffer as Partial<Utf8Reader>).utf8Slice === "function") return buffer as unknown as Utf8Reader;
  return { utf8Slice: (start, end) => buffer.toString("utf8", start, end) };
}

export function toItems(batch: PartitionBatch, options: ItemsOptions): Items {
  const { offsets, bytes, keyStarts, keyEnds, valueStarts, valueEnds } = batch;
  const { decode, end } = options;
  let count = offsets.length;
  if (end !== undefined) while (count > 0 && offsets[count - 1]! >= end) count -= 1;
  const items: unknown[] = new Array(count);
  if (decode === undefined) {
    for (let i = 0; i < count; i++) items[i] = [copyRange(bytes, keyStarts[i]!, keyEnds[i]!), copyRange(bytes, valueStarts[i]!, valueEnds[i]!)];
    return { items };
  }
  const reader = utf8Reader(bytes);
  for (let i = 0; i < count; i++) {
    const keyStart = keyStarts[i]!;
    const valueStart = valueStarts[i]!;
    const key = keyStart < 0 ? null : reader.utf8Slice(keyStart, keyEnds[i]!);
    const value = valueStart < 0 ? null : reader.utf8Slice(valueStart, valueEnds[i]!);
    items[i] = [key, decode === "utf8" || value === null ? value : parseJson(value, batch.partition, offsets[i]!, options.topic)];
  }
  return { items };
}

function parseJson(payload: string, partition: number, offset: number, topic: string): unknown {
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new EddyError(
      "INPUT_KAFKA_DECODE",
      `Kafka topic ${topic}, partition ${partition}, offset ${offset}: the payload is not JSON (decode: "json"): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
