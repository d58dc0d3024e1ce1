/**
 * The host the engine brings itself, on any JavaScript runtime: the system clock, the console, and
 * the built-in types as table entries: `testing` and `manual` inputs; `testing`, `testing_epoch`,
 * `manual`, `manual_epoch` and `stdout` outputs; the `memory` recovery store; the `in-process`
 * transport. Node and browser hosts extend it (node-runner/host/nodeHost.ts, studio/host/browserHost.ts).
 *
 * ```ts
 * const host = engineHost();
 * host.inputs.testing !== undefined; // true
 * ```
 */

import type { ManualInputConfig, TestingInputConfig } from "../configs/inputs.js";
import type { ManualEpochOutputConfig, ManualOutputConfig, TestingEpochOutputConfig, TestingOutputConfig } from "../configs/outputs.js";
import type { MemoryRecoveryConfig } from "../configs/recovery.js";
import { createManualReader } from "../connectors/manualInput.js";
import { ArraySink, HandlerSink, StdoutSink } from "../connectors/sinks.js";
import { createTestingReader } from "../connectors/testingInput.js";
import { EddyError } from "../errors.js";
import { defaultFunctionCompiler } from "../flow/compileChecked.js";
import { systemClock } from "../ports/clock.js";
import type { SinkWriter } from "../ports/sink.js";
import { InMemoryTransport } from "../ports/transport.js";
import { preview } from "../preview.js";
import { memoryRecoveryStore } from "../recovery/memoryStore.js";
import { defaultFunctionGenerator } from "../runtime/generatedCode.js";
import type { Host, OutputContext } from "./host.js";

/** Whether this runtime lets code be generated (a Content Security Policy may forbid it). */
function codeGenerationAllowed(): boolean {
  try {
    return new Function("return true")() === true;
  } catch {
    return false;
  }
}

function handlerSink(config: ManualOutputConfig | ManualEpochOutputConfig, ctx: OutputContext): SinkWriter {
  const handler: unknown = config.outputBuilder(ctx.workerIndex, ctx.workerCount);
  if (typeof handler !== "function") {
    throw new EddyError("CONFIG_INVALID", `Step "${ctx.stepId}" (capture): the output builder must return a function; got \`${preview(handler)}\` instead`);
  }
  return new HandlerSink(handler as (value: unknown) => unknown, config.type === "manual_epoch", ctx.failedOn);
}

/** A new engine host (each call a fresh value; nothing is shared between hosts). */
export function engineHost(): Host {
  return {
    clock: systemClock,
    writeStdout(text) {
      console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
    },
    log(text) {
      console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
    },
    compileFunction: defaultFunctionCompiler,
    codeGeneration: codeGenerationAllowed(),
    generateFunction: defaultFunctionGenerator,
    plainItems: false,
    inputs: {
      testing: (config: TestingInputConfig, ctx) => createTestingReader(config.iterable, ctx.workerIndex, ctx.workerCount, ctx.resumeState),
      manual: (config: ManualInputConfig, ctx) =>
        createManualReader(config.inputBuilder(ctx.workerIndex, ctx.workerCount, ctx.resumeState), ctx.resumeState, {
          stepId: ctx.stepId,
          wake: ctx.wake,
          prefetch: ctx.testingEpochs ? 1 : 1024,
        }),
    },
    outputs: {
      testing: (config: TestingOutputConfig) => new ArraySink(config.array, false),
      testing_epoch: (config: TestingEpochOutputConfig) => new ArraySink(config.array, true),
      manual: handlerSink,
      manual_epoch: handlerSink,
      stdout: (_config, ctx) => new StdoutSink(ctx.stepId, ctx.writeStdout),
    },
    recoveryStores: {
      memory: (config: MemoryRecoveryConfig) => memoryRecoveryStore(config),
    },
    transports: {
      "in-process": (workerCount) => new InMemoryTransport(workerCount),
    },
  };
}
