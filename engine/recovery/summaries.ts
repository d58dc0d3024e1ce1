/**
 * The resume decision across processes. In a cluster each process may see only its own workers'
 * partitions (Kubernetes: a volume per pod), so no process can read the whole store. Instead:
 *
 * 1. each process reads its own partitions (and any partition of a worker index this cluster does
 *    not have, a sign of another worker count) and summarizes each (`summarizePartition`);
 * 2. the summaries go to every other process;
 * 3. every process decides on the union with `decideOnSummaries`, which is `decideResume` (the same
 *    refusals, the same minimum durable frontier): the same data gives the same decision
 *    everywhere, so no process needs to tell the others what it decided;
 * 4. each process executes the decision on its own partitions (runtime/partitionPrep.ts).
 *
 * A summary is plain data (it crosses TCP as JSON): what `decideResume` reads of a partition, with
 * the records reduced to the distinct step ids they belong to.
 */

import { decideResume, type FlowFacts, type PartitionFacts, type StoreDecision } from "./protocol.js";
import type { PartitionContents, PartitionMeta } from "./store.js";

export interface PartitionSummary {
  /** The worker index the partition belongs to. */
  readonly index: number;
  /** How the partition is named in an error ("file /state/worker-3.mdb"), as its process sees it. */
  readonly where: string;
  readonly meta: PartitionMeta;
  /** The durable frontier (always finite: a finished input's last epoch is never committed). */
  readonly frontier: number;
  /** The step ids of its records, each once, sorted; empty when it holds no record. */
  readonly stepIds: readonly string[];
}

export function summarizePartition(index: number, where: string, contents: PartitionContents): PartitionSummary {
  const stepIds = [...new Set(contents.records.map((record) => record.stepId))].sort();
  return { index, where, meta: contents.meta, frontier: contents.frontier, stepIds };
}

/**
 * Decides on the summaries of every process (in any order; a partition summarized by two processes
 * that share a directory counts once). `description` names the store(s) in refusals.
 */
export function decideOnSummaries(summaries: readonly PartitionSummary[], description: string, flow: FlowFacts): StoreDecision {
  const partitions = new Map<number, PartitionFacts>();
  const where = new Map<number, string>();
  for (const summary of [...summaries].sort((a, b) => a.index - b.index)) {
    if (partitions.has(summary.index)) continue;
    partitions.set(summary.index, { meta: summary.meta, frontier: summary.frontier, records: summary.stepIds.map((stepId) => ({ stepId })) });
    where.set(summary.index, summary.where);
  }
  return decideResume({ description, describePartition: (index) => where.get(index) ?? `the partition of worker ${index}`, partitions }, flow);
}

/** The worker indexes a process of a cluster owns: `procId * perProcess` up to the next process's first. */
export function workersOfProcess(procId: number, perProcess: number): number[] {
  return Array.from({ length: perProcess }, (_, thread) => procId * perProcess + thread);
}
