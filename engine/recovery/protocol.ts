/**
 * The recovery protocol as pure decisions: storage code reads facts, these functions decide, the
 * caller executes (runtime/recoveryStart.ts and runtime/worker.ts do the I/O). Read the README's
 * recovery section first.
 *
 * - Resume epoch: the minimum durable frontier over all workers. Every record with a lower epoch
 *   is trusted; everything at or above it is the crashed run's unfinished work and is discarded.
 *   A partition marked finished (its worker's input ended and its last epoch is saved; only flows
 *   whose outputs need a durable end write the mark) does not hold it back; when every partition
 *   finished, the run resumes after the last epoch of any, and nothing is replayed.
 * - State: per (step, key), the fold of trusted records in epoch order: an upsert sets the value,
 *   a reset forgets the key.
 * - Garbage: once every worker has durably passed an epoch, a key's older records are dead except
 *   its latest one, and that one too if it is a reset.
 * - Consistency: a store written by another format, worker count or flow is refused, never guessed.
 */

import { EddyError } from "../errors.js";
import type { PartitionContents, RecordId, StateRecord, StepShape } from "./store.js";

/**
 * What the decision reads of a partition: its meta, its frontier, and the step ids of its records.
 * A loaded partition is one; so is a summary sent by another process of a cluster (summaries.ts).
 */
export type PartitionFacts = Pick<PartitionContents, "meta" | "frontier"> & { readonly records: readonly Pick<StateRecord, "stepId">[] };

/** The format this code writes; it reads this one and older. */
export const FORMAT_VERSION = 1;

/** What the resume epoch depends on in a partition: its durable frontier and whether it finished. */
export interface PartitionProgress {
  readonly frontier: number;
  readonly finished?: boolean | undefined;
}

/**
 * The resume epoch: the minimum durable frontier over the partitions that did not finish. A
 * finished partition's records are all below its frontier, and its outputs may have made them
 * visible once they were durable everywhere: it never holds the others back. When every partition
 * finished, the highest frontier: every record of every partition is below it, nothing is
 * replayed, and inputs resume from their end states. (A finished partition whose last epoch is at
 * or above the resume epoch is rolled back with the others: that epoch was not durable on every
 * worker, so nothing of it was made visible.)
 *
 * ```ts
 * resumeEpoch([{ frontier: 5 }, { frontier: 3 }]);                                    // 3
 * resumeEpoch([{ frontier: 2, finished: true }, { frontier: 7 }]);                    // 7
 * resumeEpoch([{ frontier: 2, finished: true }, { frontier: 7, finished: true }]);    // 7
 * ```
 */
export function resumeEpoch(partitions: readonly PartitionProgress[]): number {
  if (partitions.length === 0) return 0;
  const running = partitions.filter((partition) => partition.finished !== true);
  if (running.length === 0) return Math.max(...partitions.map((partition) => partition.frontier));
  return Math.min(...running.map((partition) => partition.frontier));
}

/** Whether a loaded partition is marked finished (an older store has no mark: not finished). */
export function isFinished(contents: Pick<PartitionContents, "meta">): boolean {
  return contents.meta.finished === true;
}

/** Per step id, per key: the state to resume with (records at or above `resume` are ignored). */
export function foldState(records: readonly StateRecord[], resume: number): Map<string, Map<string, Uint8Array>> {
  const trusted = records.filter((record) => record.epoch < resume).sort((a, b) => a.epoch - b.epoch);
  const state = new Map<string, Map<string, Uint8Array>>();
  for (const record of trusted) {
    let keys = state.get(record.stepId);
    if (!keys) {
      keys = new Map();
      state.set(record.stepId, keys);
    }
    if (record.value === null) keys.delete(record.key);
    else keys.set(record.key, record.value);
  }
  for (const [stepId, keys] of state) if (keys.size === 0) state.delete(stepId);
  return state;
}

/** The records of a crashed run's unfinished epochs, to delete before resuming. */
export function recordsFromResumeOn(records: readonly StateRecord[], resume: number): RecordId[] {
  return records.filter((record) => record.epoch >= resume).map(({ stepId, key, epoch }) => ({ stepId, key, epoch }));
}

/** One key's records, as the garbage collector tracks them: epochs ascending, whether each is a reset. */
export interface KeyHistory {
  readonly epochs: number[];
  readonly resets: boolean[];
}

/**
 * Which of a key's records are garbage once every worker has durably finished every epoch below
 * `clusterFrontier`: all with a lower epoch except the latest, which goes too if it is a reset.
 * Returns the indexes into `history` to delete.
 */
export function garbageOf(history: KeyHistory, clusterFrontier: number): number[] {
  let settled = 0;
  while (settled < history.epochs.length && history.epochs[settled]! < clusterFrontier) settled += 1;
  if (settled === 0) return [];
  const garbage = Array.from({ length: settled - 1 }, (_, i) => i);
  if (history.resets[settled - 1]) garbage.push(settled - 1);
  return garbage;
}

/** The worker that owns a loaded record under `workerCount` workers. */
export function ownerOf(key: string, isInput: boolean, workerCount: number, hash: (key: string) => number): number {
  return isInput ? Number(key) : hash(key) % workerCount;
}

export interface StoreFacts {
  readonly description: string;
  readonly describePartition: (workerIndex: number) => string;
  /** The partitions that exist, with what they hold. */
  readonly partitions: ReadonlyMap<number, PartitionFacts>;
}

export interface FlowFacts {
  readonly workerCount: number;
  /** The ids of the flow's steps that keep state: inputs, keyed steps, captures whose outputs save state. */
  readonly stepIds: readonly string[];
  /** Keyed step id → what shapes its state (see `shapeOf` in runtime/recoveryStart.ts). */
  readonly shapes?: Readonly<Record<string, StepShape>>;
  /** Steps of the flow file that do not run (disabled, or skipped): named when the store holds their state. */
  readonly inactiveStepIds?: readonly string[];
}

/** What to do with a store: start fresh (create every partition) or resume from it. */
export type StoreDecision = { readonly kind: "fresh" } | { readonly kind: "resume"; readonly epoch: number };

/** Checks a store against the flow and decides; throws an EddyError naming what differs. */
export function decideResume(store: StoreFacts, flow: FlowFacts): StoreDecision {
  const { partitions } = store;
  if (partitions.size === 0) return { kind: "fresh" };
  for (const [index, contents] of partitions) {
    if (contents.meta.formatVersion > FORMAT_VERSION) {
      throw new EddyError(
        "RECOVERY_FORMAT_NEWER",
        `Recovery store ${store.describePartition(index)} has format version ${contents.meta.formatVersion}; this version of Eddy reads format ${FORMAT_VERSION} and older. Use a newer Eddy, or start from an empty store.`,
      );
    }
  }
  const counts = new Set([...partitions.values()].map((contents) => contents.meta.workerCount));
  if (counts.size > 1 || !counts.has(flow.workerCount)) {
    const written = [...counts].join(" and ");
    throw new EddyError(
      "RECOVERY_WORKER_COUNT",
      `Recovery store ${store.description} was written by a run with ${written} worker${written === "1" ? "" : "s"}; this run has ${flow.workerCount}. Resume with the same number of workers, or start from an empty store.`,
    );
  }
  const hasProgress = [...partitions.values()].some((contents) => contents.frontier > 0 || contents.records.length > 0);
  const missing = Array.from({ length: flow.workerCount }, (_, i) => i).filter((i) => !partitions.has(i));
  if (missing.length > 0) {
    // A run killed while it created its partitions left nothing to lose: finish creating them.
    if (!hasProgress) return { kind: "fresh" };
    throw new EddyError(
      "RECOVERY_MISSING_PARTITION",
      `Recovery store ${store.description} is missing the partition${missing.length > 1 ? "s" : ""} of worker${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (it has ${describeIndexes([...partitions.keys()])} of this run's ${flow.workerCount} workers); resuming without ${missing.length > 1 ? "them" : "it"} would lose data.`,
    );
  }
  const known = new Set(flow.stepIds);
  const unknown = new Set<string>();
  for (const contents of partitions.values()) for (const record of contents.records) if (!known.has(record.stepId)) unknown.add(record.stepId);
  if (unknown.size > 0) {
    const inactive = [...unknown].filter((id) => flow.inactiveStepIds?.includes(id)).sort();
    const disabled = inactive.length === 0 ? "" : ` ${JSON.stringify(inactive)} ${inactive.length === 1 ? "is" : "are"} disabled or skipped in this flow: enable ${inactive.length === 1 ? "it" : "them"} to resume.`;
    throw new EddyError(
      "RECOVERY_UNKNOWN_STEPS",
      `Recovery data had unknown step IDs: ${JSON.stringify([...unknown].sort())} (this flow's steps that keep state are ${JSON.stringify([...flow.stepIds])}).${disabled} Give the steps their old ids back, or start from an empty store.`,
    );
  }
  const changed = shapeChange([...partitions.values()], flow.shapes ?? {});
  if (changed) {
    throw new EddyError(
      "RECOVERY_STEP_CHANGED",
      `Step "${changed.stepId}" changed since recovery store ${store.description} was written: its ${changed.field} was ${String(changed.old ?? "not set")} and is now ${String(changed.now ?? "not set")}; its saved state was made with the old setting. Give the step its old setting back, or start from an empty store.`,
    );
  }
  const progress = [...partitions.values()].map((contents) => ({ frontier: contents.frontier, finished: isFinished(contents) }));
  return { kind: "resume", epoch: resumeEpoch(progress) };
}

function describeIndexes(indexes: number[]): string {
  const sorted = indexes.sort((a, b) => a - b);
  return `only the partition${sorted.length > 1 ? "s" : ""} of worker${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`;
}

/** The first setting of a step that differs between the store and the flow (steps in both only). */
export interface ShapeChange {
  readonly stepId: string;
  readonly field: string;
  readonly old: string | number | null | undefined;
  readonly now: string | number | null | undefined;
}

/**
 * Compares each partition's saved shapes with the flow's. A store without shapes (written before
 * they were saved) is unknown and passes; so does a step the store has no shape for.
 */
export function shapeChange(partitions: readonly Pick<PartitionContents, "meta">[], shapes: Readonly<Record<string, StepShape>>): ShapeChange | undefined {
  for (const contents of partitions) {
    const saved = contents.meta.shapes;
    if (saved === undefined || typeof saved !== "object") continue;
    for (const stepId of Object.keys(shapes).sort()) {
      const old = saved[stepId];
      const now = shapes[stepId]!;
      if (old === undefined) continue;
      for (const field of [...new Set([...Object.keys(now), ...Object.keys(old)])]) {
        if (old[field] !== now[field]) return { stepId, field, old: old[field], now: now[field] };
      }
    }
  }
  return undefined;
}
