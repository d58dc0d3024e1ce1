/**
 * `eddy run`'s recovery store, prepared before the threads run: a Kafka store's partitions are read
 * and checked here (kafkajs has no native code), `--fresh` deletes its topic; a file store's
 * directory is locked for the whole run (storeLock.ts), `--fresh` discards its partitions, and
 * everything in it is read and checked in a child process before anything is written. Then
 * `prepareRecovery` chooses the epoch to start at. Imported by run.ts only for a run with recovery,
 * with the store's code (runnerConnectors.ts loads it into the host first).
 *
 * ```ts
 * const { startEpoch, setting, lock } = await prepareRunRecovery(config, flow, { workerCount: 2, fresh: false, host, load });
 * // ...run, then:
 * lock?.release();
 * ```
 */

import { EddyError, FileRecoveryConfig, KafkaRecoveryConfig, openRecoveryStore, prepareRecovery, type Blueprint, type Host, type RecoveryConfig } from "../../engine/host/index.js";
import { connectorsUsed, type RunnerConnectors } from "../host/runnerConnectors.js";
import { discardPartitions } from "../recovery/discardStore.js";
import { kafkaStoreTopic } from "../recovery/kafkaStoreTopic.js";
import { lockStoreDir, type HeldLock } from "../recovery/storeLock.js";
import { verifyStoreInChild } from "../recovery/verifyInChild.js";
import type { RecoverySetting } from "../threads/messages.js";
import { say } from "./runStart.js";

export interface RunRecoveryOptions {
  readonly workerCount: number;
  /** Discard the store's contents and start over. */
  readonly fresh: boolean;
  readonly host: Host;
  /** Loads the host's connectors (the store's code). */
  readonly load: RunnerConnectors["load"];
  /** Called as soon as a file store is locked (process.exit releases it, even before this resolves). */
  readonly onLocked?: ((lock: HeldLock) => void) | undefined;
}

export interface PreparedRecovery {
  readonly startEpoch: number;
  readonly setting: RecoverySetting;
  /** The file store's lock, held until the run ends (none for a Kafka store). */
  readonly lock: HeldLock | undefined;
}

/** Opens, checks and prepares the store; throws its refusal (the lock released). */
export async function prepareRunRecovery(config: RecoveryConfig, flow: Blueprint, options: RunRecoveryOptions): Promise<PreparedRecovery> {
  let lock: HeldLock | undefined;
  try {
    await options.load(connectorsUsed(flow, config.type));
    const store = openRecoveryStore(options.host, config);
    if (config instanceof KafkaRecoveryConfig) {
      // One owner per partition: each partition's transactional writer fences an earlier run's
      // (recovery/kafkaStore.ts). kafkajs has no native code, so the store is read here: every
      // partition is read and checked by prepareRecovery before anything is written.
      if (options.fresh) {
        const topic = kafkaStoreTopic(config.topicPrefix);
        const { discardKafkaStore } = await import("../recovery/kafkaStore.js");
        const discarded = await discardKafkaStore(config);
        say(discarded ? `--fresh: deleted the recovery store's Kafka topic ${topic}; starting over` : `--fresh: the recovery store's Kafka topic ${topic} does not exist; starting over`);
      }
      const startEpoch = await prepareRecovery(store, flow, options.workerCount);
      return { startEpoch, setting: { type: "kafka", brokers: config.brokers, topicPrefix: config.topicPrefix }, lock };
    }
    if (!(config instanceof FileRecoveryConfig)) throw new EddyError("ADAPTER_MISSING", `${config.type} recovery is not available in the runner; use a file store (--recovery-dir) or a Kafka store`);
    // One run per store, from before anything is read until every thread is done.
    lock = lockStoreDir(config.dbDir);
    options.onLocked?.(lock);
    if (options.fresh) {
      const discarded = discardPartitions(config.dbDir);
      say(`--fresh: discarded ${discarded} partition${discarded === 1 ? "" : "s"} of the recovery store in ${config.dbDir}; starting over`);
    }
    // Everything in the store is read and checked, in a child process, before anything is written.
    await verifyStoreInChild(config.dbDir);
    const startEpoch = await prepareRecovery(store, flow, options.workerCount);
    return { startEpoch, setting: { type: "file", dir: config.dbDir }, lock };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
