/**
 * Starting a run with recovery, in two phases so that workers in other threads or processes can
 * each open their own partition:
 *
 * 1. `prepareRecovery` (once, before any worker starts): reads every partition, lets the protocol
 *    decide (fresh start, resume epoch, or a refusal) and executes the decision: creates every
 *    partition, or deletes the crashed run's unfinished epochs from each.
 * 2. `openWorkerRecovery` (per worker): reads the worker's own partition and hands the worker the
 *    state it resumes with, and a writer for the epochs to come. With the worker count unchanged
 *    (a different one is refused), a partition holds exactly the state its worker owns.
 */

import type { Blueprint, KeyedStep } from "../dataflow/steps.js";
import { isKeyed } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";
import { hashKey } from "../operators/keyed.js";
import { decodeState } from "../recovery/codec.js";
import { PartitionWriter } from "../recovery/partitionWriter.js";
import { FORMAT_VERSION, decideResume, foldState, ownerOf, recordsFromResumeOn } from "../recovery/protocol.js";
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
 * What shapes a keyed step's state: its kind and, for windows, the clock (kind and parameters) and
 * the window (kind, length, start). Functions are not part of it: fixing a bug in a function and
 * resuming is meant to work.
 */
export function shapeOf(step: KeyedStep): StepShape {
  if (step.op !== "reduce_window" && step.op !== "fold_window") return { op: step.op };
  const clock = step.clock as unknown as Record<string, unknown>;
  const window = step.window as unknown as Record<string, unknown>;
  const shape: Record<string, string | number | null> = { op: step.op };
  for (const [prefix, config] of [["clock", clock], ["window", window]] as const) {
    for (const field of Object.keys(config).sort()) {
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
  const { byWorker, keyed } = recoverableSteps(flow);
  const stepIds = [...byWorker, ...keyed];
  const named = stepIds;
  const duplicates = named.filter((id, i) => named.indexOf(id) !== i);
  if (duplicates.length > 0) {
    throw new EddyError(
      "RECOVERY_DUPLICATE_STEP_ID",
      `With recovery, the ids of steps that keep state must be unique (they key the saved state); these repeat: ${JSON.stringify([...new Set(duplicates)])}`,
    );
  }

  const shapes: Record<string, StepShape> = {};
  for (const step of flow.steps) if (isKeyed(step)) shapes[step.stepId] = shapeOf(step);

  const opened = new Map<number, RecoveryPartition>();
  try {
    const contents = new Map<number, PartitionContents>();
    for (const index of await store.partitions()) {
      const partition = await store.open(index);
      opened.set(index, partition);
      const loaded = await partition.load();
      if (loaded) contents.set(index, loaded);
    }
    const decision = decideResume({ description: store.description, describePartition: (i) => store.describePartition(i), partitions: contents }, { workerCount, stepIds, shapes });
    const startEpoch = decision.kind === "fresh" ? 0 : decision.epoch;
    for (let index = 0; index < workerCount; index++) {
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
  } finally {
    await Promise.allSettled([...opened.values()].map((partition) => partition.close()));
  }
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
