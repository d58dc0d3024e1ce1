/**
 * The Node host: the engine's host (engine/host/engineHost.ts) with standard output on
 * `process.stdout` (with back-pressure), flow functions compiled in a `node:vm` context, and the
 * Node connectors as table entries: `file` and `kafka` inputs, `file` and `kafka` outputs, and the
 * `file` (LMDB) and `kafka` (compacted topic) recovery stores.
 * `eddy/execution` in Node runs with it; the runner's threads extend it further.
 *
 * ```ts
 * const host = nodeHost();
 * await execute(flow, { workerCount: 2, errors: "wrapped", host });
 * ```
 */

import type { FileInputConfig, KafkaInputConfig } from "../../engine/host/index.js";
import type { FileOutputConfig, KafkaOutputConfig } from "../../engine/host/index.js";
import type { FileRecoveryConfig, KafkaRecoveryConfig } from "../../engine/host/index.js";
import { engineHost, extendHost, type Host } from "../../engine/host/index.js";
import { createFileReader } from "../connectors/fileInput.js";
import { createFileWriter } from "../connectors/fileOutput.js";
import { createKafkaReader } from "../connectors/kafkaInput.js";
import { createKafkaWriter } from "../connectors/kafkaOutput.js";
import { createVmCompilers } from "../functions/vmCompiler.js";
import { fileRecoveryStore } from "../recovery/fileStore.js";
import { kafkaRecoveryStore } from "../recovery/kafkaStore.js";
import type { NativeGuard } from "../threads/nativeFence.js";
import { writeNodeStdout } from "./nodeStdout.js";

export interface NodeHostOptions {
  /** Where `console` in flow functions writes (default: standard error). */
  readonly log?: (text: string) => void;
  /** Runs the file store's native calls (a runner thread's fence; none by default). */
  readonly guard?: NativeGuard;
}

export function nodeHost(options: NodeHostOptions = {}): Host {
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  return extendHost(engineHost(), {
    writeStdout: writeNodeStdout,
    log,
    compileFunction: createVmCompilers({ log }).compile,
    inputs: {
      file: (config: FileInputConfig, ctx) => createFileReader(config, ctx),
      kafka: (config: KafkaInputConfig, ctx) => createKafkaReader(config, ctx),
    },
    outputs: {
      file: (config: FileOutputConfig, ctx) => createFileWriter(config, ctx),
      kafka: (config: KafkaOutputConfig, ctx) => createKafkaWriter(config, ctx),
    },
    recoveryStores: {
      file: (config: FileRecoveryConfig) => fileRecoveryStore(config.dbDir, { guard: options.guard }),
      kafka: (config: KafkaRecoveryConfig) => kafkaRecoveryStore(config),
    },
  });
}
