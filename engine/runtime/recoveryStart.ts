/**
 * Starting a run with recovery: read every partition, let the protocol decide (fresh start or the
 * resume epoch, or a refusal), then execute the decision: create the partitions, or delete the
 * crashed run's unfinished epochs and hand each worker the state it owns.
 */

import type { Blueprint } from "../dataflow/steps.js";
import { isKeyed } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";
import { hashKey } from "../operators/keyed.js";
import { decodeState } from "../recovery/codec.js";
import { PartitionWriter } from "../recovery/partitionWriter.js";
import { FORMAT_VERSION, decideResume, foldState, ownerOf, recordsFromResumeOn } from "../recovery/protocol.js";
import type { PartitionContents, RecoveryPartition, RecoveryStore, StateRecord } from "../recovery/store.js";

export interface WorkerRecovery {
  readonly writer: PartitionWriter;
  /** Input step id → this worker's resume state. */
  readonly inputStates: Map<string, unknown>;
  /** Keyed step id → key → state, for the keys this worker owns. */
  readonly keyedStates: Map<string, Map<string, unknown>>;
}

export interface RecoveryStart {
  readonly startEpoch: number;
  readonly workers: readonly WorkerRecovery[];
}

export async function startRecovery(store: RecoveryStore, flow: Blueprint, workerCount: number): Promise<RecoveryStart> {
  const inputIds = flow.steps.filter((step) => step.op === "input").map((step) => step.stepId);
  const keyedIds = flow.steps.filter(isKeyed).map((step) => step.stepId);
  const stepIds = [...inputIds, ...keyedIds];
  const duplicates = stepIds.filter((id, i) => stepIds.indexOf(id) !== i);
  if (duplicates.length > 0) {
    throw new EddyError(
      "RECOVERY_DUPLICATE_STEP_ID",
      `With recovery, input and stateful step ids must be unique (they key the saved state); these repeat: ${JSON.stringify([...new Set(duplicates)])}`,
    );
  }

  const opened = new Map<number, RecoveryPartition>();
  const contents = new Map<number, PartitionContents>();
  for (const index of await store.partitions()) {
    const partition = await store.open(index);
    opened.set(index, partition);
    const loaded = await partition.load();
    if (loaded) contents.set(index, loaded);
  }
  let decision;
  try {
    decision = decideResume({ description: store.description, describePartition: (i) => store.describePartition(i), partitions: contents }, { workerCount, stepIds });
  } catch (error) {
    await Promise.all([...opened.values()].map((partition) => partition.close()));
    throw error;
  }
  const startEpoch = decision.kind === "fresh" ? 0 : decision.epoch;

  const workers: WorkerRecovery[] = Array.from({ length: workerCount }, () => ({
    writer: undefined as unknown as PartitionWriter,
    inputStates: new Map(),
    keyedStates: new Map(keyedIds.map((id) => [id, new Map()])),
  }));
  const inputSet = new Set(inputIds);
  for (let index = 0; index < workerCount; index++) {
    const partition = opened.get(index) ?? (await store.open(index));
    const records: readonly StateRecord[] = decision.kind === "resume" ? (contents.get(index)?.records ?? []) : [];
    const trusted = records.filter((record) => record.epoch < startEpoch);
    // Create the partition, or forget the crashed run's unfinished epochs, in one atomic batch.
    await partition.commit({
      meta: { formatVersion: FORMAT_VERSION, workerCount, workerIndex: index, stepIds },
      deletes: recordsFromResumeOn(records, startEpoch),
      frontier: startEpoch,
    });
    for (const [stepId, states] of foldState(trusted, startEpoch)) {
      const isInput = inputSet.has(stepId);
      for (const [key, bytes] of states) {
        const state = decodeState(bytes, `step "${stepId}", key ${JSON.stringify(key)} in ${store.describePartition(index)}`);
        const owner = workers[ownerOf(key, isInput, workerCount, hashKey)]!;
        if (isInput) owner.inputStates.set(stepId, state);
        else owner.keyedStates.get(stepId)!.set(key, state);
      }
    }
    workers[index] = { ...workers[index]!, writer: new PartitionWriter(partition, store.describePartition(index), trusted) };
  }
  return { startEpoch, workers };
}
