/**
 * A worker's side of recovery while it runs: it encodes snapshots as steps close epochs, commits
 * every finished epoch to the worker's partition in one atomic batch together with the new durable
 * frontier, and deletes, in the same batch, the records that garbage collection no longer needs.
 * With a durable end, the end of input is committed too (`commitEnd`): the last epoch, and the
 * partition's meta marked finished.
 */

import { EddyError } from "../errors.js";
import { RESET, type SnapshotEntry } from "./snapshotEntry.js";
import { encodeState } from "./codec.js";
import { garbageOf, type KeyHistory } from "./protocol.js";
import type { PartitionMeta, RecordId, RecoveryPartition, StateRecord } from "./store.js";

interface TrackedKey extends KeyHistory {
  readonly stepId: string;
  readonly key: string;
}

export class PartitionWriter {
  private pending: StateRecord[] = [];
  private readonly histories = new Map<string, TrackedKey>();
  /** Keys that have records garbage collection may delete later. */
  private readonly collectable = new Set<TrackedKey>();
  private queue: Promise<void> = Promise.resolve();

  /**
   * `meta` is the partition's meta as this run wrote it (recoveryStart.ts), which `commitEnd`
   * writes again with the finished mark.
   */
  constructor(
    private readonly partition: RecoveryPartition,
    private readonly where: string,
    trusted: readonly StateRecord[],
    private readonly meta?: PartitionMeta,
  ) {
    for (const record of [...trusted].sort((a, b) => a.epoch - b.epoch)) this.track(record);
  }

  /** Encodes a step's snapshot of `epoch` now: the state may change once the next epoch starts. */
  record(stepId: string, op: string, epoch: number, entries: readonly SnapshotEntry[]): void {
    for (const [key, state] of entries) {
      this.pending.push({ stepId, key, epoch, value: state === RESET ? null : encodeState(state, stepId, op, key) });
    }
  }

  /**
   * Commits the records of every epoch below `frontier` and the frontier itself, deleting what is
   * garbage once every worker durably passed `clusterFrontier`. Commits run one after another.
   */
  commit(frontier: number, clusterFrontier: number): Promise<void> {
    return this.commitBatch(frontier, clusterFrontier, undefined);
  }

  /**
   * Commits the end of this worker's input: the records of every epoch left (the last, partial
   * one included), the frontier one past the last of them, and the meta marked finished, in one
   * batch. `frontier` is the worker's frontier before its inputs ended (its last epoch is at least
   * that). Resolves to the frontier committed.
   *
   * ```ts
   * await writer.commitEnd(4, clusterDurable); // epoch 4's snapshots saved, frontier 5, finished
   * ```
   */
  async commitEnd(frontier: number, clusterFrontier: number): Promise<number> {
    if (!this.meta) throw new EddyError("RECOVERY_WRITE_FAILED", `The end of input cannot be saved to recovery store ${this.where}: its meta is not known to the writer.`);
    let last = frontier;
    for (const record of this.pending) last = Math.max(last, record.epoch);
    await this.commitBatch(last + 1, clusterFrontier, { ...this.meta, finished: true });
    return last + 1;
  }

  private commitBatch(frontier: number, clusterFrontier: number, meta: PartitionMeta | undefined): Promise<void> {
    const records = this.pending.filter((record) => record.epoch < frontier);
    this.pending = this.pending.filter((record) => record.epoch >= frontier);
    for (const record of records) this.track(record);
    const deletes = this.collect(clusterFrontier);
    const batch = meta === undefined ? { records, deletes, frontier } : { meta, records, deletes, frontier };
    const commit = this.queue.then(() =>
      this.partition.commit(batch).catch((error: unknown) => {
        // A full store and a store taken by another run keep their codes; the message says what
        // was lost and what stays.
        const kept = error instanceof EddyError && (error.code === "RECOVERY_STORE_FULL" || error.code === "RECOVERY_LOCKED");
        const code = kept ? error.code : "RECOVERY_WRITE_FAILED";
        const then = code === "RECOVERY_LOCKED" ? "the run that took the store goes on from there" : "run again (after freeing space) to resume from there";
        throw new EddyError(
          code,
          `Epoch ${frontier - 1} was not saved to recovery store ${this.where}: ${(error as Error).message}. The store keeps every epoch saved before it; ${then}.`,
          { cause: error },
        );
      }),
    );
    this.queue = commit.catch(() => {});
    return commit;
  }

  close(): Promise<void> {
    return this.queue.then(() => this.partition.close());
  }

  private track(record: StateRecord): void {
    const id = `${record.stepId}\u0000${record.key}`;
    let history = this.histories.get(id);
    if (!history) {
      history = { stepId: record.stepId, key: record.key, epochs: [], resets: [] };
      this.histories.set(id, history);
    }
    const last = history.epochs.length - 1;
    if (last >= 0 && history.epochs[last] === record.epoch) {
      history.resets[last] = record.value === null;
    } else {
      history.epochs.push(record.epoch);
      history.resets.push(record.value === null);
    }
    if (history.epochs.length > 1 || record.value === null) this.collectable.add(history);
  }

  private collect(clusterFrontier: number): RecordId[] {
    const deletes: RecordId[] = [];
    for (const history of this.collectable) {
      const garbage = garbageOf(history, clusterFrontier);
      if (garbage.length === 0) continue;
      for (const index of garbage) deletes.push({ stepId: history.stepId, key: history.key, epoch: history.epochs[index]! });
      const dead = new Set(garbage);
      const epochs = history.epochs.filter((_, i) => !dead.has(i));
      const resets = history.resets.filter((_, i) => !dead.has(i));
      history.epochs.splice(0, history.epochs.length, ...epochs);
      history.resets.splice(0, history.resets.length, ...resets);
      if (epochs.length === 0) this.histories.delete(`${history.stepId}\u0000${history.key}`);
      if (epochs.length <= 1 && !resets.some(Boolean)) this.collectable.delete(history);
    }
    return deletes;
  }
}
