/** `eddy/dataflow`: the dataflow builder (Bytewax's `bytewax.dataflow`). */

export { Dataflow } from "../dataflow/dataflow.js";
