/** `eddy/execution` in Node: the engine's execution API with Node's host services registered. */

import type { FileRecoveryConfig } from "../../engine/configs/recovery.js";
import { registerRecoveryStore } from "../../engine/recovery/registry.js";
import { configureHost } from "../../engine/runtime/host.js";
import { writeNodeStdout } from "../host/nodeStdout.js";
import { fileRecoveryStore } from "../recovery/fileStore.js";

configureHost({ writeStdout: writeNodeStdout });
registerRecoveryStore("file", (config) => fileRecoveryStore((config as FileRecoveryConfig).dbDir));

export * from "../../engine/api/execution.js";
