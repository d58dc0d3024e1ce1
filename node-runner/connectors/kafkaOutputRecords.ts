/**
 * A Kafka output's items to records (pure): each item must be `[key, payload]` with both a string,
 * a Uint8Array (a Node Buffer is one) or null; anything else is a TypeError naming the step
 * (`OUTPUT_KAFKA_NOT_PAIR`), as Bytewax's "KafkaOutput requires a `(key, payload)` 2-tuple". A batch
 * is cut into sends of at most `maxBytes` of keys and values (at least one record each).
 *
 * ```ts
 * toRecords([["k", "v"], [null, new Uint8Array([1])]], "out", 1 << 20);
 * // [[{ key: "k", value: "v" }, { key: null, value: Uint8Array [1] }]]
 * ```
 */

import { EddyTypeError, preview } from "../../engine/host/index.js";
import type { OutgoingRecord } from "../kafka/producer.js";

function isPart(value: unknown): value is Uint8Array | string | null {
  return value === null || typeof value === "string" || value instanceof Uint8Array;
}

function size(value: Uint8Array | string | null): number {
  return value === null ? 0 : typeof value === "string" ? value.length * 3 : value.byteLength;
}

export function notPair(stepId: string, item: unknown): EddyTypeError {
  return new EddyTypeError(
    "OUTPUT_KAFKA_NOT_PAIR",
    stepId,
    `Step "${stepId}" (capture): a Kafka output requires each item to be a [key, payload] array, each a string, a Uint8Array or null; got \`${preview(item)}\` instead`,
  );
}

/** The records of `items`, in sends of at most `maxBytes`; throws (with the item) on the first item of the wrong shape. */
export function toRecords(items: readonly unknown[], stepId: string, maxBytes: number, failedOn: (error: unknown, item: unknown) => unknown = (e) => e): OutgoingRecord[][] {
  const sends: OutgoingRecord[][] = [];
  let current: OutgoingRecord[] = [];
  let bytes = 0;
  for (const item of items) {
    if (!Array.isArray(item) || item.length !== 2 || !isPart(item[0]) || !isPart(item[1])) throw failedOn(notPair(stepId, item), item);
    const key = item[0] as Uint8Array | string | null;
    const value = item[1] as Uint8Array | string | null;
    const recordBytes = size(key) + size(value);
    if (current.length > 0 && bytes + recordBytes > maxBytes) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ key, value });
    bytes += recordBytes;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}
