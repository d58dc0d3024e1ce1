/** `eddy/dataflow`: the dataflow builder (Bytewax's `bytewax.dataflow`), with streams for branches, merges and joins. */

export { Dataflow, type JoinOptions, type StepOptions, type WindowStepOptions } from "../dataflow/dataflow.js";
export { Stream } from "../dataflow/stream.js";
export type { JoinEmitMode, JoinInsertMode } from "../dataflow/steps.js";
