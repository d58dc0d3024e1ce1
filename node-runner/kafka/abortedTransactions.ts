/**
 * Leaving out the records of aborted transactions from a fetched partition (read_committed), as
 * Kafka's Java consumer does: the broker answers a read_committed fetch with the records up to the
 * last stable offset and the list of aborted transactions that overlap them (producer id and first
 * offset); a transactional record is left out while its producer is in an aborted transaction,
 * that is from the first offset of one until the producer's ABORT marker.
 *
 * Why not kafkajs's own filter (2.2.4, consumer/filterAbortedMessages.js): it takes the aborted
 * transactions in the order the broker lists them, which is the order they ENDED (the broker's
 * aborted-transaction index), and enters at most one per record. A transaction that began before
 * another but was aborted after it (an exactly-once output fences, long after, what a killed run
 * left open) is then entered late, and its first records reach a read_committed reader. Here they
 * are entered by first offset, all that began at or before each record (the Java consumer keeps
 * them in a priority queue by first offset).
 *
 * ```ts
 * // Producer 7 began at offset 0 and was aborted at 5; producer 9 began at 2 and was aborted at 3.
 * withoutAborted(records, [{ producerId: "9", firstOffset: "2" }, { producerId: "7", firstOffset: "0" }]);
 * // no record of either transaction; the markers and every other record stay
 * ```
 */

/** One aborted transaction of a fetch answer, as the broker gives it (kafkajs decodes the int64s as text). */
export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** What the filter reads of a decoded record (kafkajs's record with its batch's context). */
export interface TransactionalRecord {
  readonly offset: string;
  readonly key: Uint8Array | null;
  readonly isControlRecord: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}

/** A control record's key: version (int16) and type (int16); type 0 is ABORT, 1 COMMIT. */
function isAbortMarker(record: TransactionalRecord): boolean {
  const key = record.key;
  return key !== null && key.length >= 4 && key[2] === 0 && key[3] === 0;
}

/**
 * The records of one partition's fetch answer (in offset order) without those of aborted
 * transactions; control records stay (the caller drops them).
 */
export function withoutAborted<R extends TransactionalRecord>(records: readonly R[], aborted: readonly AbortedTransaction[]): R[] {
  if (aborted.length === 0) return [...records];
  const byFirstOffset = [...aborted].sort((a, b) => compareOffsets(a.firstOffset, b.firstOffset));
  const inAborted = new Set<string>();
  let next = 0;
  const kept: R[] = [];
  for (const record of records) {
    const offset = BigInt(record.offset);
    while (next < byFirstOffset.length && BigInt(byFirstOffset[next]!.firstOffset) <= offset) inAborted.add(String(byFirstOffset[next++]!.producerId));
    const producer = String(record.batchContext.producerId);
    if (record.isControlRecord) {
      if (isAbortMarker(record)) inAborted.delete(producer);
      kept.push(record);
    } else if (!(record.batchContext.inTransaction && inAborted.has(producer))) {
      kept.push(record);
    }
  }
  return kept;
}

function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
