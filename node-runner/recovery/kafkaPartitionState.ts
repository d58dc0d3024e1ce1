/**
 * The Kafka recovery store's view of one partition, and its two pure decisions:
 *
 * - `foldPartition`: the records read from the partition (oldest first) folded into its state,
 *   the last value of each key winning and tombstones removing, as compaction will; then checked
 *   against the partition's summary (count, id digest, meta hash). Anything that does not check
 *   out is RECOVERY_CORRUPT, naming the topic, the partition and the offset.
 * - `planCommit`: a batch as the messages of one transaction (tombstones for the deleted records
 *   that are there, the records, the meta, then the new summary), and the state after it.
 *
 * No I/O: kafkaStore.ts reads, writes and keeps the state.
 */

import { EddyError, type PartitionBatch, type PartitionContents, type PartitionMeta, type StateRecord } from "../../engine/host/index.js";
import { decodeRecord, metaKey, metaValue, recordKey, recordValue, summaryKey, summaryValue } from "./kafkaRecordLayout.js";
import { addToDigest, EMPTY_SUMMARY, idHash, metaHash, type Summary } from "./recordChecksum.js";
import type { StoreMessage } from "../kafka/storeClient.js";

export interface PartitionState {
  readonly meta: PartitionMeta | undefined;
  readonly summary: Summary;
  /** The live records by JSON [step id, key, epoch]. */
  readonly records: ReadonlyMap<string, StateRecord>;
}

export const EMPTY_PARTITION: PartitionState = { meta: undefined, summary: EMPTY_SUMMARY, records: new Map() };

const idOf = (stepId: string, key: string, epoch: number): string => JSON.stringify([stepId, key, epoch]);

/** One record as read: its offset, key and value. */
export interface ReadRecord {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
}

export function foldPartition(read: Iterable<ReadRecord>, where: string): PartitionState {
  const corrupt = (what: string) => new EddyError("RECOVERY_CORRUPT", `Recovery store ${where} is corrupt: ${what}; refusing to use it (nothing was changed).`);
  let meta: PartitionMeta | undefined;
  let summary: Summary | undefined;
  const records = new Map<string, StateRecord>();
  for (const { offset, key, value } of read) {
    const decoded = decodeRecord(key, value);
    switch (decoded.kind) {
      case "problem":
        throw corrupt(`${decoded.problem} (offset ${offset})`);
      case "meta":
        meta = decoded.meta;
        break;
      case "summary":
        summary = decoded.summary;
        break;
      case "record": {
        const { stepId, key: name, epoch } = decoded.id;
        if (decoded.value === undefined) records.delete(idOf(stepId, name, epoch));
        else records.set(idOf(stepId, name, epoch), { stepId, key: name, epoch, value: decoded.value });
      }
    }
  }
  if (meta === undefined && summary === undefined && records.size === 0) return EMPTY_PARTITION;
  if (summary === undefined) throw corrupt("it holds records but no summary (a damaged or foreign write)");
  if (meta !== undefined && metaHash(meta) !== summary.metaHash) throw corrupt("its meta does not match its checksum");
  let digest = 0;
  for (const { stepId, key, epoch } of records.values()) digest = addToDigest(digest, idHash(stepId, key, epoch), 1);
  if (records.size !== summary.count || digest !== summary.digest) {
    throw corrupt(`it should hold ${summary.count} records with id digest ${summary.digest}; it holds ${records.size} with digest ${digest}`);
  }
  return { meta, summary, records };
}

export function contentsOf(state: PartitionState): PartitionContents | undefined {
  if (state.meta === undefined) return undefined;
  return { meta: state.meta, frontier: state.summary.frontier, records: [...state.records.values()] };
}

/** The messages of one commit and the state once they are written. */
export function planCommit(state: PartitionState, batch: PartitionBatch): { messages: StoreMessage[]; next: PartitionState } {
  const messages: StoreMessage[] = [];
  const records = new Map(state.records);
  let { count, digest, metaHash: hashOfMeta } = state.summary;
  let meta = state.meta;
  for (const { stepId, key, epoch } of batch.deletes ?? []) {
    const id = idOf(stepId, key, epoch);
    if (!records.delete(id)) continue;
    messages.push({ key: recordKey(stepId, key, epoch), value: null });
    count -= 1;
    digest = addToDigest(digest, idHash(stepId, key, epoch), -1);
  }
  for (const record of batch.records ?? []) {
    const id = idOf(record.stepId, record.key, record.epoch);
    const value = record.value && record.value.slice();
    if (!records.has(id)) {
      count += 1;
      digest = addToDigest(digest, idHash(record.stepId, record.key, record.epoch), 1);
    }
    records.set(id, { stepId: record.stepId, key: record.key, epoch: record.epoch, value });
    const key = recordKey(record.stepId, record.key, record.epoch);
    messages.push({ key, value: recordValue(key, value) });
  }
  if (batch.meta) {
    meta = { ...batch.meta, stepIds: [...batch.meta.stepIds] };
    hashOfMeta = metaHash(meta);
    messages.push({ key: metaKey(), value: metaValue(meta) });
  }
  const summary: Summary = { frontier: batch.frontier ?? state.summary.frontier, count, digest, metaHash: hashOfMeta };
  messages.push({ key: summaryKey(), value: summaryValue(summary) });
  return { messages, next: { meta, summary, records } };
}
