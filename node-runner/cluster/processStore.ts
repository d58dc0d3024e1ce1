/**
 * The recovery store of one process of a cluster, before the decision every process shares
 * (clusterRecovery.ts): the process takes the lock of a file store with its cluster's tag (the
 * processes of one cluster on one machine may share a directory, and share its lock), discards its
 * own partitions on `--fresh`, and checks its own partitions in a child process. It touches no other
 * process's partition: on a shared directory they may be checked or rewritten by their own process
 * meanwhile.
 */

import { EddyError, FileRecoveryConfig, KafkaRecoveryConfig, openRecoveryStore, type Blueprint, type Host, type RecoveryConfig } from "../../engine/host/index.js";
import { discardPartitions } from "../recovery/discardStore.js";
import { kafkaStoreTopic } from "../recovery/kafkaStoreTopic.js";
import { lockStoreDir, type HeldLock } from "../recovery/storeLock.js";
import { verifyStoreInChild } from "../recovery/verifyInChild.js";
import type { RecoverySetting } from "../threads/messages.js";
import { prepareClusterRecovery } from "./clusterRecovery.js";
import type { Router } from "./router.js";

export interface ProcessStore {
  readonly startEpoch: number;
  readonly setting: RecoverySetting;
  /** This process's lock on a file store (none when its parent holds it). */
  readonly lock: HeldLock | undefined;
}

export interface ProcessPlace {
  readonly procId: number;
  /** The cluster's tag (`clusterTag`): its processes share the lock of a directory. */
  readonly cluster: string;
  /** This process's workers. */
  readonly own: readonly number[];
  readonly workerCount: number;
  readonly fresh: boolean;
}

export async function prepareProcessStore(config: RecoveryConfig, flow: Blueprint, place: ProcessPlace, router: Router, host: Host, say: (text: string) => void): Promise<ProcessStore> {
  const store = openRecoveryStore(host, config);
  let lock: HeldLock | undefined;
  let setting: RecoverySetting;
  try {
    if (config instanceof KafkaRecoveryConfig) {
      // The store is one topic: process 0 deletes it, before the barrier that every read waits for.
      if (place.fresh && place.procId === 0) {
        const topic = kafkaStoreTopic(config.topicPrefix);
        const { discardKafkaStore } = await import("../recovery/kafkaStore.js");
        say((await discardKafkaStore(config)) ? `--fresh: deleted the recovery store's Kafka topic ${topic}; starting over` : `--fresh: the recovery store's Kafka topic ${topic} does not exist; starting over`);
      }
      setting = { type: "kafka", brokers: config.brokers, topicPrefix: config.topicPrefix };
    } else if (config instanceof FileRecoveryConfig) {
      lock = lockStoreDir(config.dbDir, { cluster: place.cluster });
      const mine = (index: number) => place.own.includes(index) || index >= place.workerCount;
      if (place.fresh) {
        const discarded = discardPartitions(config.dbDir, mine);
        say(`--fresh: discarded ${discarded} partition${discarded === 1 ? "" : "s"} of this process's workers in ${config.dbDir}; starting over`);
      }
      await verifyStoreInChild(config.dbDir, place.own);
      setting = { type: "file", dir: config.dbDir };
    } else {
      throw new EddyError("ADAPTER_MISSING", `${config.type} recovery is not available in the runner; use a file store (--recovery-dir) or a Kafka store`);
    }
    return { startEpoch: await prepareClusterRecovery(store, flow, place.own, place.workerCount, router), setting, lock };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** What the processes of one cluster have in common: its flow and its addresses. */
export function clusterTag(flowFingerprint: string, addresses: readonly string[]): string {
  return `${flowFingerprint} ${addresses.join(",")}`;
}
