/**
 * Kafka records to the input's items, one fetched batch at a time (pure). Items are
 * `[key, payload]`: without `decode`, each a fresh `Uint8Array` (never a Node Buffer: a Buffer is a
 * Uint8Array subclass that a worker thread would receive as a plain Uint8Array, so its class would
 * depend on where the item went; and a fresh array holds its own bytes, not a view into the whole
 * fetch answer, which would be copied whole with every item that crosses threads). With
 * `decode: "utf8"` both are strings; with `"json"` the key is a string and the payload is parsed.
 * `null` stays `null`.
 *
 * ```ts
 * toItems({ partition: 0, offsets: [5], keys: [null], values: [new Uint8Array([104, 105])], nextOffset: 6, highWatermark: 6 }, { decode: "utf8", end: undefined, topic: "t" });
 * // { items: [[null, "hi"]], count: 1 }
 * ```
 */

import { EddyError, type KafkaDecode } from "../../engine/host/index.js";
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

const decoder = new TextDecoder("utf-8");

function text(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes.toString("utf8") : decoder.decode(bytes);
}

function copy(bytes: Uint8Array | null): Uint8Array | null {
  return bytes === null ? null : new Uint8Array(bytes);
}

export function toItems(batch: PartitionBatch, options: ItemsOptions): Items {
  const { offsets, keys, values } = batch;
  const { decode, end } = options;
  let count = offsets.length;
  if (end !== undefined) while (count > 0 && offsets[count - 1]! >= end) count -= 1;
  const items: unknown[] = new Array(count);
  if (decode === undefined) {
    for (let i = 0; i < count; i++) items[i] = [copy(keys[i]!), copy(values[i]!)];
  } else if (decode === "utf8") {
    for (let i = 0; i < count; i++) items[i] = [text(keys[i]!), text(values[i]!)];
  } else {
    for (let i = 0; i < count; i++) items[i] = [text(keys[i]!), parseJson(values[i]!, batch.partition, offsets[i]!, options.topic)];
  }
  return { items };
}

function parseJson(value: Uint8Array | null, partition: number, offset: number, topic: string): unknown {
  const payload = text(value);
  if (payload === null) return null;
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
