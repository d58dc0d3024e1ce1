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
 * toItems([{ offset: 5, key: null, value: new Uint8Array([104, 105]) }], { decode: "utf8", end: undefined, partition: 0, topic: "t" });
 * // { items: [[null, "hi"]], offsets: [5] }
 * ```
 */

import { EddyError, type KafkaDecode } from "../../engine/host/index.js";
import type { FetchedRecord } from "../kafka/client.js";

export interface ItemsOptions {
  readonly decode: KafkaDecode | undefined;
  /** Records at or after this offset are left out (`tail: false`). */
  readonly end: number | undefined;
  readonly partition: number;
  readonly topic: string;
}

export interface Items {
  readonly items: unknown[];
  /** The offset of each item. */
  readonly offsets: number[];
}

const decoder = new TextDecoder("utf-8");

function text(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes.toString("utf8") : decoder.decode(bytes);
}

function copy(bytes: Uint8Array | null): Uint8Array | null {
  return bytes === null ? null : new Uint8Array(bytes);
}

export function toItems(records: readonly FetchedRecord[], options: ItemsOptions): Items {
  const items: unknown[] = [];
  const offsets: number[] = [];
  const { decode, end } = options;
  for (const record of records) {
    if (end !== undefined && record.offset >= end) break;
    offsets.push(record.offset);
    if (decode === undefined) {
      items.push([copy(record.key), copy(record.value)]);
    } else if (decode === "utf8") {
      items.push([text(record.key), text(record.value)]);
    } else {
      items.push([text(record.key), parseJson(record, options)]);
    }
  }
  return { items, offsets };
}

function parseJson(record: FetchedRecord, options: ItemsOptions): unknown {
  const payload = text(record.value);
  if (payload === null) return null;
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new EddyError(
      "INPUT_KAFKA_DECODE",
      `Kafka topic ${options.topic}, partition ${options.partition}, offset ${record.offset}: the payload is not JSON (decode: "json"): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
