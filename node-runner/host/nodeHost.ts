/**
 * The Node host (nodeHostOf.ts) with every connector imported with it: `eddy/execution` in Node
 * runs with it, and so do tests. The runner's own processes and threads use runnerConnectors.ts
 * instead, which imports Kafka's and the recovery stores' code only for a run that uses them.
 *
 * ```ts
 * const host = nodeHost();
 * await execute(flow, { workerCount: 2, errors: "wrapped", host });
 * ```
 */

import type { Host } from "../../engine/host/index.js";
import { createKafkaReader } from "../connectors/kafkaInput.js";
import { createKafkaWriter } from "../connectors/kafkaOutput.js";
import { fileRecoveryStore } from "../recovery/fileStore.js";
import { kafkaRecoveryStore } from "../recovery/kafkaStore.js";
import { nodeHostOf, type NodeConnectors, type NodeHostOptions } from "./nodeHostOf.js";

export type { NodeHostOptions } from "./nodeHostOf.js";

/** Every connector of the Node host, loaded. */
export const NODE_CONNECTORS: NodeConnectors = {
  kafkaReader: (config, ctx) => createKafkaReader(config, ctx),
  kafkaWriter: (config, ctx) => createKafkaWriter(config, ctx),
  fileStore: (config, guard) => fileRecoveryStore(config.dbDir, { guard }),
  kafkaStore: (config) => kafkaRecoveryStore(config),
};

export function nodeHost(options: NodeHostOptions = {}): Host {
  return nodeHostOf(NODE_CONNECTORS, options);
}
