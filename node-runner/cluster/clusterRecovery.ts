/**
 * Recovery in a cluster, decided in a distributed way and the same everywhere
 * (engine/recovery/summaries.ts): each process prepares what only it may touch (its lock, `--fresh`,
 * the check of its partitions), then after a barrier reads its own workers' partitions, the
 * summaries go to every process, every process decides on their union, and each executes the
 * decision on its own partitions. Nothing is written before every process has read: the barrier and
 * the summary round order them.
 */

import type { Blueprint, PartitionSummary, RecoveryStore } from "../../engine/host/index.js";
import { readLocalPartitions } from "../../engine/host/index.js";
import type { Router } from "./router.js";

interface SummaryPayload {
  readonly description: string;
  readonly summaries: readonly PartitionSummary[];
}

/** Returns the start epoch of every worker of the cluster; throws the protocol's refusal (the same in every process). */
export async function prepareClusterRecovery(store: RecoveryStore, flow: Blueprint, own: readonly number[], workerCount: number, router: Router): Promise<number> {
  await router.round("recovery-prepared", null);
  const local = await readLocalPartitions(store, flow, own, workerCount);
  try {
    const mine: SummaryPayload = { description: store.description, summaries: local.summaries };
    const all = [...(await router.round("recovery-summaries", mine))].sort(([a], [b]) => a - b);
    const payloads = all.map(([, payload]) => payload as SummaryPayload);
    return await local.prepare(
      payloads.flatMap((payload) => payload.summaries),
      describeStores(all.map(([procId, payload]) => [procId, (payload as SummaryPayload).description])),
    );
  } finally {
    await local.close();
  }
}

/** One store's description, or each process's when they differ ("file /a (process 0), file /b (process 1)"). */
export function describeStores(descriptions: readonly (readonly [number, string])[]): string {
  const distinct = [...new Set(descriptions.map(([, description]) => description))];
  if (distinct.length === 1) return distinct[0]!;
  return descriptions.map(([procId, description]) => `${description} (process ${procId})`).join(", ");
}
