/** `eddy/execution` in Node: the engine's execution API with Node's host services registered. */

import type { FileInputConfig } from "../../engine/configs/inputs.js";
import type { FileOutputConfig } from "../../engine/configs/outputs.js";
import type { FileRecoveryConfig } from "../../engine/configs/recovery.js";
import { registerInputAdapter, registerOutputAdapter } from "../../engine/connectors/adapters.js";
import { registerRecoveryStore } from "../../engine/recovery/registry.js";
import { configureHost } from "../../engine/runtime/host.js";
import { createFileReader } from "../connectors/fileInput.js";
import { createFileWriter } from "../connectors/fileOutput.js";
import { writeNodeStdout } from "../host/nodeStdout.js";
import { fileRecoveryStore } from "../recovery/fileStore.js";

configureHost({ writeStdout: writeNodeStdout });
registerRecoveryStore("file", (config) => fileRecoveryStore((config as FileRecoveryConfig).dbDir));
registerInputAdapter("file", (config, ctx) => createFileReader(config as FileInputConfig, ctx));
registerOutputAdapter("file", (config, ctx) => createFileWriter(config as FileOutputConfig, ctx));

export * from "../../engine/api/execution.js";
