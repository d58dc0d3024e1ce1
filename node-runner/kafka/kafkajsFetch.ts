/**
 * One Fetch request to one broker through kafkajs 2.2.4's internals, answered by Eddy's decoder.
 *
 * kafkajs keeps what it is good at: the connection (SASL, TLS, request queue, timeouts), the API
 * version negotiated with the broker (`broker.lookupRequest`, as `broker.fetch` does) and the
 * request's encoding. The answer is read by our own `{ decode, parse }` protocol object instead of
 * kafkajs's, whose decoder made a Long per offset and timestamp and a Buffer per key and value (43%
 * of a worker thread counting records): fetchResponse.ts decodes the answer's frame and leaves each
 * partition's records as bytes, recordBatch.ts turns them into columns. `parse` stays kafkajs's, so
 * partition errors become the same kafkajs errors as before (OFFSET_OUT_OF_RANGE a
 * KafkaJSOffsetOutOfRange, retriable ones retriable; kafkaErrors.ts maps them).
 *
 * The old message formats (magic 0 and 1) fall back to kafkajs's decoder: a Fetch of version 0 to 3
 * (a broker before 0.11) is sent and decoded wholly by kafkajs; in later versions, a partition whose
 * records start with an old message set is decoded by kafkajs's decodeMessages. Either way the
 * records are then filtered as kafkajs's consumer does and copied into columns (batchColumns.ts).
 */

import { createRequire } from "node:module";
import type { FetchLimits, PartitionBatch } from "./client.js";
import { columnsOf } from "./batchColumns.js";
import { decodeFetchResponse, FIRST_DECODED_VERSION, type FetchAnswer, type PartitionAnswer } from "./fetchResponse.js";
import { decodeRecordSet, OLD_FORMAT } from "./recordBatch.js";

const require = createRequire(import.meta.url);

/** kafkajs's internals, required at the first fetch (not when this file loads: a flow without Kafka never loads kafkajs). */
const kafkajsInternals = once(() => ({
  requests: (require("kafkajs/src/protocol/requests") as { requests: { Fetch: unknown } }).requests,
  apiKeys: require("kafkajs/src/protocol/requests/apiKeys") as { Fetch: number },
  Decoder: require("kafkajs/src/protocol/decoder") as new (buffer: Buffer) => unknown,
  decodeMessages: require("kafkajs/src/protocol/requests/fetch/v4/decodeMessages") as (decoder: unknown) => Promise<RawMessage[]>,
  filterAbortedMessages: require("kafkajs/src/consumer/filterAbortedMessages") as (o: { messages: RawMessage[]; abortedTransactions: unknown[] }) => RawMessage[],
}));

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

interface ResponseProtocol {
  decode(payload: Buffer): unknown;
  parse(data: unknown): Promise<unknown>;
}

interface ProtocolRequest {
  readonly request: { readonly apiVersion: number };
  readonly response: ResponseProtocol;
  readonly requestTimeout?: number;
}

/** What of kafkajs's Broker (src/broker) this file uses. */
export interface KafkajsBroker {
  lookupRequest(apiKey: number, definition: unknown): (request: object) => ProtocolRequest;
  readonly connectionPool: { send(protocol: ProtocolRequest): Promise<unknown> };
  disconnect(): Promise<void>;
}

interface RawMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord?: boolean;
  /** Undefined in old message sets (magic 0 and 1). */
  batchContext?: { firstOffset: string; lastOffsetDelta: number };
}

interface KafkajsPartition {
  partition: number;
  highWatermark: string;
  abortedTransactions?: unknown[];
  messages: RawMessage[];
}

export interface BrokerFetch {
  readonly topic: string;
  /** The partitions (of this broker) and the offset to read each from. */
  readonly partitions: readonly { readonly partition: number; readonly offset: number }[];
  readonly limits: FetchLimits;
  readonly readCommitted: boolean;
  /** kafkajs's isolation level number for `readCommitted`. */
  readonly isolationLevel: number;
}

/** Sends one Fetch to `broker` and gives each partition's records in columns. */
export async function fetchFromBroker(broker: KafkajsBroker, fetch: BrokerFetch): Promise<PartitionBatch[]> {
  const { topic, limits } = fetch;
  const offsetOf = new Map(fetch.partitions.map((p) => [p.partition, p.offset]));
  const { apiKeys, requests } = kafkajsInternals();
  const protocol = broker.lookupRequest(apiKeys.Fetch, requests.Fetch)({
    isolationLevel: fetch.isolationLevel,
    maxWaitTime: limits.maxWaitMs,
    minBytes: limits.minBytes,
    maxBytes: limits.maxBytes,
    topics: [{ topic, partitions: fetch.partitions.map(({ partition, offset }) => ({ partition, fetchOffset: String(offset), maxBytes: limits.maxPartitionBytes })) }],
  });
  const version = protocol.request.apiVersion;
  if (version < FIRST_DECODED_VERSION) {
    const { responses } = (await send(broker, protocol)) as { responses: { partitions: KafkajsPartition[] }[] };
    return responses.flatMap((r) => r.partitions.map((data) => fromKafkajs(data, offsetOf.get(data.partition)!, fetch.readCommitted)));
  }
  const where = `Kafka topic ${topic}`;
  const response: ResponseProtocol = { decode: (payload) => decodeFetchResponse(payload, version, where), parse: protocol.response.parse };
  const answer = (await send(broker, { ...protocol, response })) as FetchAnswer;
  const batches: PartitionBatch[] = [];
  for (const { topicName, partitions } of answer.responses) {
    if (topicName !== topic) continue;
    for (const data of partitions) {
      const fetched = offsetOf.get(data.partition);
      if (fetched !== undefined) batches.push(await partitionBatch(answer.bytes, data, fetched, fetch.readCommitted, `${where}, partition ${data.partition}`));
    }
  }
  return batches;
}

/** As kafkajs's broker does (its private sendRequest): a closed connection disconnects the broker, so that the next request reconnects. */
async function send(broker: KafkajsBroker, protocol: ProtocolRequest): Promise<unknown> {
  try {
    return await broker.connectionPool.send(protocol);
  } catch (error) {
    if ((error as { name?: unknown })?.name === "KafkaJSConnectionClosedError") await broker.disconnect();
    throw error;
  }
}

/** One partition of a decoded answer, its records in columns (kafkajs decodes old message sets). */
export async function partitionBatch(bytes: Uint8Array, data: PartitionAnswer, fetched: number, readCommitted: boolean, where: string): Promise<PartitionBatch> {
  const { partition, highWatermark } = data;
  const set = decodeRecordSet(bytes, data.recordsStart, data.recordsEnd, { fetchOffset: fetched, readCommitted, abortedTransactions: data.abortedTransactions, where });
  if (set !== OLD_FORMAT) return { partition, highWatermark, ...set };
  const sized = Buffer.from(bytes.buffer, bytes.byteOffset + data.recordsStart - 4, data.recordsEnd - data.recordsStart + 4);
  const { decodeMessages, Decoder } = kafkajsInternals();
  const messages = await decodeMessages(new Decoder(sized));
  const abortedTransactions = data.abortedTransactions.map((t) => ({ producerId: String(t.producerId), firstOffset: String(t.firstOffset) }));
  return fromKafkajs({ partition, highWatermark: String(highWatermark), abortedTransactions, messages }, fetched, readCommitted);
}

/**
 * Records that kafkajs decoded, as kafkajs's consumer keeps them (src/consumer/batch.js): at or after
 * the fetched offset, aborted transactions filtered (read_committed), control records left out; the
 * next offset is past the last batch read.
 */
export function fromKafkajs(data: KafkajsPartition, fetched: number, readCommitted: boolean): PartitionBatch {
  const raw = data.messages;
  let nextOffset = fetched;
  const last = raw[raw.length - 1];
  if (last !== undefined) {
    // Old message sets (magic 0 and 1) have no batch: the next offset is after their last message.
    const context = last.batchContext;
    nextOffset = Math.max(fetched, context === undefined ? Number(last.offset) + 1 : Number(context.firstOffset) + context.lastOffsetDelta + 1);
  }
  let messages = raw;
  if (messages.length > 0 && Number(messages[0]!.offset) < fetched) messages = messages.filter((m) => Number(m.offset) >= fetched);
  if (readCommitted && data.abortedTransactions && data.abortedTransactions.length > 0) {
    messages = kafkajsInternals().filterAbortedMessages({ messages, abortedTransactions: data.abortedTransactions });
  }
  const records = messages.filter((m) => !m.isControlRecord).map((m) => ({ offset: Number(m.offset), key: m.key, value: m.value }));
  return { partition: data.partition, ...columnsOf(records), nextOffset, highWatermark: Number(data.highWatermark) };
}
