/**
 * The runner's connectors: the Node host's (nodeHostOf.ts), with the code of each imported only
 * when a run uses it. Kafka's client and connectors, the LMDB file store (with node:crypto) and the
 * Kafka store are most of the runner's code that a flow may not need; a process or worker thread
 * of the runner loads them before the run opens them (`load`), from what the flow and its recovery
 * use (`connectorsUsed`). The host's tables have the same entries either way, so what it serves and
 * the errors for what it does not are the same; an entry called before its code is loaded is a bug
 * of the runner, and says so.
 *
 * ```ts
 * const { host, load } = runnerHost();
 * await load(connectorsUsed(flow, recoveryConfig?.type));
 * ```
 */

import type { Blueprint, Host } from "../../engine/host/index.js";
import { nodeHostOf, type NodeConnectors, type NodeHostOptions } from "./nodeHostOf.js";

/** A connector whose code is loaded on demand. */
export type ConnectorName = keyof NodeConnectors;

export interface RunnerConnectors {
  /** Entries that call the loaded code. */
  readonly connectors: NodeConnectors;
  /** Imports the code of `names` (once each); resolves once every one is ready. */
  load(names: Iterable<ConnectorName>): Promise<void>;
}

/** The connectors a run of `flow` opens: its Kafka inputs and outputs, and its recovery store (`recovery`: the config's type). */
export function connectorsUsed(flow: Blueprint, recovery?: string): Set<ConnectorName> {
  const names = new Set<ConnectorName>();
  for (const step of flow.steps) {
    if (step.op === "input" && step.config.type === "kafka") names.add("kafkaReader");
    if (step.op === "capture" && step.config.type === "kafka") names.add("kafkaWriter");
  }
  if (recovery === "file") names.add("fileStore");
  if (recovery === "kafka") names.add("kafkaStore");
  return names;
}

const IMPORTS: { readonly [name in ConnectorName]: () => Promise<NodeConnectors[name]> } = {
  kafkaReader: async () => {
    const { createKafkaReader } = await import("../connectors/kafkaInput.js");
    return (config, ctx) => createKafkaReader(config, ctx);
  },
  kafkaWriter: async () => {
    const { createKafkaWriter } = await import("../connectors/kafkaOutput.js");
    return (config, ctx) => createKafkaWriter(config, ctx);
  },
  fileStore: async () => {
    const { fileRecoveryStore } = await import("../recovery/fileStore.js");
    return (config, guard) => fileRecoveryStore(config.dbDir, { guard });
  },
  kafkaStore: async () => {
    const { kafkaRecoveryStore } = await import("../recovery/kafkaStore.js");
    return (config) => kafkaRecoveryStore(config);
  },
};

export function runnerConnectors(): RunnerConnectors {
  const loaded: Partial<{ -readonly [name in ConnectorName]: NodeConnectors[name] }> = {};
  const loading = new Map<ConnectorName, Promise<void>>();
  const loadedOne = <N extends ConnectorName>(name: N): NodeConnectors[N] => {
    const connector = loaded[name];
    if (connector === undefined) throw new Error(`eddy runner: the ${name} connector was used before its code was loaded`);
    return connector as NodeConnectors[N];
  };
  return {
    connectors: {
      kafkaReader: (config, ctx) => loadedOne("kafkaReader")(config, ctx),
      kafkaWriter: (config, ctx) => loadedOne("kafkaWriter")(config, ctx),
      fileStore: (config, guard) => loadedOne("fileStore")(config, guard),
      kafkaStore: (config) => loadedOne("kafkaStore")(config),
    },
    async load(names) {
      const pending = [...names].map((name) => {
        let done = loading.get(name);
        if (done === undefined) {
          done = (IMPORTS[name] as () => Promise<NodeConnectors[typeof name]>)().then((connector) => void Object.assign(loaded, { [name]: connector }));
          loading.set(name, done);
        }
        return done;
      });
      await Promise.all(pending);
    },
  };
}

/** The Node host with the runner's connectors, and how to load those a run uses before it runs. */
export function runnerHost(options: NodeHostOptions = {}): { readonly host: Host; readonly load: RunnerConnectors["load"] } {
  const { connectors, load } = runnerConnectors();
  return { host: nodeHostOf(connectors, options), load };
}
