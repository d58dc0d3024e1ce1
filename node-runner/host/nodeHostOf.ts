/**
 * The Node host built from its connectors: the engine's host (engine/host/engineHost.ts) with
 * standard output on `process.stdout` (with back-pressure), flow functions compiled in a `node:vm`
 * context, and the Node connectors as table entries: `file` and `kafka` inputs, `file` and `kafka`
 * outputs, and the `file` (LMDB) and `kafka` (compacted topic) recovery stores. The connectors are
 * given: nodeHost.ts gives them all, imported with it (`eddy/execution` in Node); the runner gives
 * ones whose code it imports only when a run uses them (runnerConnectors.ts). Either way the
 * tables have the same entries.
 *
 * ```ts
 * const host = nodeHostOf(connectors, { log: (text) => void process.stderr.write(text) });
 * ```
 */

import type { FileInputConfig, FileOutputConfig, FileRecoveryConfig, Host, InputReader, KafkaInputConfig, KafkaOutputConfig, KafkaRecoveryConfig, InputContext, OutputContext, RecoveryStore, SinkWriter } from "../../engine/host/index.js";
import { engineHost, extendHost } from "../../engine/host/index.js";
import { createFileReader } from "../connectors/fileInput.js";
import { createFileWriter } from "../connectors/fileOutput.js";
import { createVmCompilers } from "../functions/vmCompiler.js";
import type { NativeGuard } from "../threads/nativeFence.js";
import { writeNodeStdout } from "./nodeStdout.js";

export interface NodeHostOptions {
  /** Where `console` in flow functions writes (default: standard error). */
  readonly log?: (text: string) => void;
  /** Runs the file store's native calls (a runner thread's fence; none by default). */
  readonly guard?: NativeGuard;
}

/** The connectors of the Node host that are not always needed (Kafka's and the recovery stores'); the file input and output are always there. */
export interface NodeConnectors {
  readonly kafkaReader: (config: KafkaInputConfig, ctx: InputContext) => InputReader;
  readonly kafkaWriter: (config: KafkaOutputConfig, ctx: OutputContext) => SinkWriter;
  readonly fileStore: (config: FileRecoveryConfig, guard: NativeGuard | undefined) => RecoveryStore;
  readonly kafkaStore: (config: KafkaRecoveryConfig) => RecoveryStore;
}

export function nodeHostOf(connectors: NodeConnectors, options: NodeHostOptions = {}): Host {
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  const compilers = createVmCompilers({ log });
  return extendHost(engineHost(), {
    writeStdout: writeNodeStdout,
    log,
    compileFunction: compilers.compile,
    generateFunction: compilers.generate,
    inputs: {
      file: (config: FileInputConfig, ctx) => createFileReader(config, ctx),
      kafka: (config: KafkaInputConfig, ctx) => connectors.kafkaReader(config, ctx),
    },
    outputs: {
      file: (config: FileOutputConfig, ctx) => createFileWriter(config, ctx),
      kafka: (config: KafkaOutputConfig, ctx) => connectors.kafkaWriter(config, ctx),
    },
    recoveryStores: {
      file: (config: FileRecoveryConfig) => connectors.fileStore(config, options.guard),
      kafka: (config: KafkaRecoveryConfig) => connectors.kafkaStore(config),
    },
  });
}
