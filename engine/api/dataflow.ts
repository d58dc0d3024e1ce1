/** `eddy/dataflow`: the dataflow builder (Bytewax's `bytewax.dataflow`). */

export { Dataflow, type WindowStepOptions } from "../dataflow/dataflow.js";
