/**
 * Starting a run with recovery, in two phases so that workers in other threads or processes can
 * each open their own partition:
 *
 * 1. `prepareRecovery` (once, before any worker starts): reads every partition, lets the protocol
 *    decide (fresh start, resume epoch, or a refusal) and executes the decision: creates every
 *    partition, or deletes the crashed run's unfinished epochs from each. A process of a cluster
 *    does the same for its own workers' partitions only (`readLocalPartitions`), deciding on the
 *    summaries of every process (recovery/summaries.ts).
 * 2. `openWorkerRecovery` (per worker): reads the worker's own partition and hands the worker the
 *    state it resumes with, and a writer for the epochs to come. With the worker count unchanged
 *    (a different one is refused), a partition holds exactly the state its worker owns.
 */

import type { Blueprint, KeyedStep } from "../dataflow/steps.js";
import { isKeyed, isWindowed } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";
import { hashKey } from "../operators/keyed.js";
import { decodeState } from "../recovery/codec.js";
import { PartitionWriter } from "../recovery/partitionWriter.js";
import { FORMAT_VERSION, foldState, ownerOf, recordsFromResumeOn } from "../recovery/protocol.js";
import { decideOnSummaries, summarizePartition, type PartitionSummary } from "../recovery/summaries.js";
import type { PartitionContents, RecoveryPartition, RecoveryStore, StepShape } from "../recovery/store.js";

export interface WorkerRecovery {
  readonly writer: PartitionWriter;
  /** Input and capture step id → this worker's resume state. */
  readonly workerStates: Map<string, unknown>;
  /** Keyed step id → key → state, for the keys this worker owns. */
  readonly keyedStates: Map<string, Map<string, unknown>>;
}

/** The steps whose state is saved: keyed steps by key; inputs and stateful captures by worker. */
function recoverableSteps(flow: Blueprint): { byWorker: string[]; keyed: string[] } {
  const byWorker = flow.steps
    .filter((step) => step.op === "input" || (step.op === "capture" && step.config.keepsState))
    .map((step) => step.stepId);
  const keyed = flow.steps.filter(isKeyed).map((step) => step.stepId);
  return { byWorker, keyed };
}

/**
 * What shapes a keyed step's state: its kind; for windows, the clock (kind and parameters) and
 * the window (kind, length, start); for joins, the number of sides and the modes. Functions are not part of it: fixing a bug in a function and
 * resuming is meant to work.
 */
export function shapeOf(step: KeyedStep): StepShape {
  if (step.op === "join") return { op: step.op, sides: step.upstream.length, "insert mode": step.insertMode, "emit mode": step.emitMode };
  if (!isWindowed(step)) return { op: step.op };
  const clock = step.clock as unknown as Record<string, unknown>;
  const window = step.window as unknown as Record<string, unknown>;
  const shape: Record<string, string | number | null> =
    step.op === "join_window" ? { op: step.op, sides: step.upstream.length, "insert mode": step.insertMode, "emit mode": step.emitMode } : { op: step.op };
  for (const [prefix, config] of [["clock", clock], ["window", window]] as const) {
    // The kind first, so that a changed kind is what a refusal names.
    for (const field of Object.keys(config).sort((x, y) => (x === "type" ? -1 : y === "type" ? 1 : x < y ? -1 : x > y ? 1 : 0))) {
      const value = config[field];
      // Functions (an event clock's time getter) are code, not shape.
      if (typeof value === "number" || typeof value === "string" || value === null) shape[field === "type" ? prefix : `${prefix} ${field}`] = value;
      else if (value === undefined) shape[`${prefix} ${field}`] = null;
    }
  }
  return shape;
}

/** Decides fresh start or resume epoch (or refuses), and prepares every partition. Returns the start epoch. */
export async function prepareRecovery(store: RecoveryStore, flow: Blueprint, workerCount: number): Promise<number> {
  const local = await readLocalPartitions(store, flow, Array.from({ length: workerCount }, (_, index) => index), workerCount);
  try {
    return await local.prepare(local.summaries, store.description);
  } finally {
    await local.close();
  }
}

/** Some partitions of a store, read and summarized; prepared once the decision is known. */
export interface LocalPartitions {
  /** The summaries of the partitions read (recovery/summaries.ts). */
  readonly summaries: readonly PartitionSummary[];
  /**
   * Decides on `all` (the summaries of every process of the run, these included; `description`
   * names the stores) and prepares the partitions of `own`: creates them, or forgets the crashed
   * run's unfinished epochs. Returns the start epoch. Throws the protocol's refusal.
   */
  prepare(all: readonly PartitionSummary[], description: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Reads the partitions of the workers in `own` and any partition of a worker index at or above
 * `workerCount` (left by a run with more workers), for a process that prepares only its own
 * partitions: `prepareRecovery` owns them all; a process of a cluster owns its workers'.
 */
export async function readLocalPartitions(store: RecoveryStore, flow: Blueprint, own: readonly number[], workerCount: number): Promise<LocalPartitions> {
  const { byWorker, keyed } = recoverableSteps(flow);
  const stepIds = [...byWorker, ...keyed];
  const duplicates = stepIds.filter((id, i) => stepIds.indexOf(id) !== i);
  if (duplicates.length > 0) {
    throw new EddyError(
      "RECOVERY_DUPLICATE_STEP_ID",
      `With recovery, the ids of steps that keep state must be unique (they key the saved state); these repeat: ${JSON.stringify([...new Set(duplicates)])}`,
    );
  }

  const shapes: Record<string, StepShape> = {};
  for (const step of flow.steps) if (isKeyed(step)) shapes[step.stepId] = shapeOf(step);

  const owned = new Set(own);
  const opened = new Map<number, RecoveryPartition>();
  const contents = new Map<number, PartitionContents>();
  const summaries: PartitionSummary[] = [];
  const close = async () => void (await Promise.allSettled([...opened.values()].map((partition) => partition.close())));
  try {
    for (const index of await store.partitions()) {
      if (!owned.has(index) && index < workerCount) continue;
      const partition = await store.open(index);
      opened.set(index, partition);
      const loaded = await partition.load();
      if (!loaded) continue;
      contents.set(index, loaded);
      summaries.push(summarizePartition(index, store.describePartition(index), loaded));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    summaries,
    close,
    async prepare(all, description) {
      const decision = decideOnSummaries(all, description, { workerCount, stepIds, shapes, ...(flow.inactiveStepIds !== undefined && { inactiveStepIds: flow.inactiveStepIds }) });
      const startEpoch = decision.kind === "fresh" ? 0 : decision.epoch;
      for (const index of own) {
        let partition = opened.get(index);
        if (!partition) {
          partition = await store.open(index);
          opened.set(index, partition);
        }
        const records = decision.kind === "resume" ? (contents.get(index)?.records ?? []) : [];
        // Create the partition, or forget the crashed run's unfinished epochs, in one atomic batch.
        await partition.commit({
          meta: { formatVersion: FORMAT_VERSION, workerCount, workerIndex: index, stepIds, shapes },
          deletes: recordsFromResumeOn(records, startEpoch),
          frontier: startEpoch,
        });
      }
      return startEpoch;
    },
  };
}

/** Opens worker `index`'s partition after `prepareRecovery`: its saved state and its writer. */
export async function openWorkerRecovery(store: RecoveryStore, flow: Blueprint, index: number, workerCount: number, startEpoch: number): Promise<WorkerRecovery> {
  const { byWorker, keyed } = recoverableSteps(flow);
  const workerKeyed = new Set(byWorker);
  const where = store.describePartition(index);
  const partition = await store.open(index);
  try {
    const contents = await partition.load();
    const trusted = (contents?.records ?? []).filter((record) => record.epoch < startEpoch);
    const workerStates = new Map<string, unknown>();
    const keyedStates = new Map<string, Map<string, unknown>>(keyed.map((id) => [id, new Map()]));
    for (const [stepId, states] of foldState(trusted, startEpoch)) {
      const byWorkerStep = workerKeyed.has(stepId);
      for (const [key, bytes] of states) {
        const owner = ownerOf(key, byWorkerStep, workerCount, hashKey);
        if (owner !== index) {
          throw new EddyError("RECOVERY_CORRUPT", `Recovery store ${where} holds state of step "${stepId}", key ${JSON.stringify(key)}, which belongs to worker ${owner}`);
        }
        const state = decodeState(bytes, `step "${stepId}", key ${JSON.stringify(key)} in ${where}`);
        if (byWorkerStep) workerStates.set(stepId, state);
        else keyedStates.get(stepId)?.set(key, state);
      }
    }
    return { writer: new PartitionWriter(partition, where, trusted, contents?.meta), workerStates, keyedStates };
  } catch (error) {
    await partition.close();
    throw error;
  }
}
