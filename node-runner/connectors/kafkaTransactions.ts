/**
 * The pure decisions of the exactly-once Kafka output (kafkaOutput.ts): how transactions are
 * named, what the sink saves with each epoch, and what a resume does with what the killed run left.
 *
 * - One transactional id per worker and epoch, `${prefix}-w${worker}-e${epoch}`: a commit by id
 *   can only ever commit that epoch's transaction, never a later one that reused the id.
 * - The sink's state saved with epoch E: `{ epoch: E, pending }`, the transactions of epochs <= E
 *   that were not known to be committed when E closed, each with the producer id and epoch that
 *   the coordinator knows it by.
 * - A resume from that state starts at epoch E + 1 (the state of the last durable epoch is what a
 *   resume restores): every pending transaction is of an epoch below the resume epoch, so no
 *   resume will replay it and it is committed (a recoverable commit, with the saved ids; committing
 *   one that was committed already is a no-op). Then the ids of the resume epoch and the next are
 *   fenced (InitProducerId), which aborts what the killed run had opened for them: under the
 *   engine's gating, a source starts epoch e only when e - 1 is durable on every worker, so the
 *   killed run cannot have opened a transaction past those.
 *
 * ```ts
 * resumePlan({ epoch: 6, pending: [{ epoch: 6, transactionalId: "p-w0-e6", producerId: "9", producerEpoch: 0 }] }, "p", 0);
 * // { commit: [{ epoch: 6, ... }], fence: ["p-w0-e7", "p-w0-e8"] }
 * ```
 */

import { EddyError, preview } from "../../engine/host/index.js";
import type { TransactionIds } from "../kafka/producer.js";

export interface PendingTransaction extends TransactionIds {
  readonly epoch: number;
}

export interface KafkaSinkState {
  /** The epoch this state was saved with (the last epoch closed). */
  readonly epoch: number;
  readonly pending: readonly PendingTransaction[];
}

export interface ResumePlan {
  /** Transactions to commit, by epoch. */
  readonly commit: readonly PendingTransaction[];
  /** Transactional ids to fence (aborting what is open on them). */
  readonly fence: readonly string[];
}

/** How many epochs from the resume epoch on have their ids fenced. */
export const FENCED_EPOCHS = 2;

export function defaultTransactionalPrefix(topic: string, stepId: string): string {
  return `eddy-${topic}-${stepId}`;
}

export function transactionalId(prefix: string, workerIndex: number, epoch: number): string {
  return `${prefix}-w${workerIndex}-e${epoch}`;
}

/** What a resume (or a fresh start: no state) does before its first transaction. */
export function resumePlan(state: KafkaSinkState | undefined, prefix: string, workerIndex: number): ResumePlan {
  const resumeEpoch = state === undefined ? 0 : state.epoch + 1;
  const commit = [...(state?.pending ?? [])].filter((p) => p.epoch < resumeEpoch).sort((a, b) => a.epoch - b.epoch);
  const fence = Array.from({ length: FENCED_EPOCHS }, (_, i) => transactionalId(prefix, workerIndex, resumeEpoch + i));
  return { commit, fence };
}

/** The pending transactions that `epoch` being durable lets commit (in epoch order), and those that wait. */
export function committable(pending: readonly PendingTransaction[], epoch: number): { commit: PendingTransaction[]; wait: PendingTransaction[] } {
  const commit = pending.filter((p) => p.epoch <= epoch).sort((a, b) => a.epoch - b.epoch);
  const wait = pending.filter((p) => p.epoch > epoch);
  return { commit, wait };
}

/** The saved state, checked: RECOVERY_CORRUPT when it is not what this sink saves. */
export function parseSinkState(state: unknown, where: string): KafkaSinkState {
  const bad = (why: string) => new EddyError("RECOVERY_CORRUPT", `${where}: the saved Kafka transactions ${preview(state)} are not valid (${why})`);
  if (typeof state !== "object" || state === null) throw bad("not an object");
  const { epoch, pending } = state as { epoch?: unknown; pending?: unknown };
  if (!Number.isSafeInteger(epoch) || (epoch as number) < -1) throw bad("no epoch");
  if (!Array.isArray(pending)) throw bad("no pending list");
  for (const p of pending as unknown[]) {
    const t = p as Partial<PendingTransaction> | null;
    if (
      typeof t !== "object" || t === null ||
      !Number.isSafeInteger(t.epoch) || (t.epoch as number) > (epoch as number) ||
      typeof t.transactionalId !== "string" ||
      !(typeof t.producerId === "string" && /^\d{1,19}$/.test(t.producerId)) ||
      !Number.isSafeInteger(t.producerEpoch)
    ) {
      throw bad("a pending transaction without its epoch, id, producer id and producer epoch");
    }
  }
  return { epoch: epoch as number, pending: (pending as PendingTransaction[]).map((p) => ({ epoch: p.epoch, transactionalId: p.transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch })) };
}
