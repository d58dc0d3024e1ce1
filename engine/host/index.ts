/**
 * The host door: what a host (the Node runner, the studio, a test harness) needs from the engine
 * beyond the public entries (`eddy/*`). Hosts import the engine from here or from engine/api/
 * only; test/architecture/layering.test.ts holds them to it.
 *
 * Only `export *` here, of the files that define what they export (no named re-exports, no
 * barrels): the runner's build (node-runner/bin/runnerBuild.js) splits its code into files loaded
 * when used, file by file, and a file that re-exports by name ties whatever it re-exports to
 * everything that imports through it: `eddy run` would load the flow schema (zod) with the first
 * error class it uses.
 */

export * from "./host.js";
export * from "./engineHost.js";
export * from "./dispatch.js";

// What hosts use of the engine's inside: configs, steps, errors, flow files, ports, recovery, runs.
export * from "../configs/epochs.js";
export * from "../configs/inputs.js";
export * from "../configs/kafkaProperties.js";
export * from "../configs/outputs.js";
export * from "../configs/recovery.js";
export * from "../connectors/jsonLine.js";
export * from "../dataflow/returnRules.js";
export * from "../dataflow/steps.js";
export * from "../errorCodes.js";
export * from "../errors.js";
export * from "../exchange/creditWindow.js";
export * from "../exchange/frame.js";
export * from "../flow/afterRef.js";
export * from "../flow/compile.js";
export * from "../flow/envReferences.js";
export * from "../flow/flowTerms.js";
export * from "../flow/functionFrame.js";
export * from "../flow/functionProblems.js";
export * from "../flow/graphProblems.js";
export * from "../flow/format.js";
export * from "../flow/functionSource.js";
export * from "../flow/migrateFlow.js";
export * from "../flow/jsonSchema.js";
export * from "../flow/parseFlowText.js";
export * from "../flow/problems.js";
export * from "../flow/schema.js";
export * from "../flow/stepHelp.js";
export * from "../flow/stepActivity.js";
export * from "../flow/validateFlow.js";
export * from "../flow/validateContext.js";
export * from "../ports/clock.js";
export * from "../ports/sink.js";
export * from "../ports/source.js";
export * from "../ports/transport.js";
export * from "../preview.js";
export * from "../recovery/protocol.js";
export * from "../recovery/store.js";
export * from "../runtime/callTracking.js";
export * from "../runtime/execute.js";
export * from "../runtime/generatedCode.js";
export * from "../runtime/plainData.js";
export * from "../runtime/recoveryStart.js";
export * from "../runtime/scheduler.js";
export * from "../runtime/stuckCalls.js";
export * from "../runtime/workerHost.js";
export type { StepMetrics, WorkerMetrics } from "../runtime/workerMetrics.js";
export * from "../runtime/runPart.js";
export * from "../recovery/summaries.js";
export * from "../cluster/flowFingerprint.js";
