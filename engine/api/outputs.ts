/** `eddy/outputs`: output configs (Bytewax's `bytewax.outputs`). */

export {
  OutputConfig,
  ManualOutputConfig,
  ManualEpochOutputConfig,
  StdOutputConfig,
  TestingOutputConfig,
  TestingEpochOutputConfig,
  KafkaOutputConfig,
  FileOutputConfig,
  type ItemHandler,
  type EpochItemHandler,
  type KafkaOutputOptions,
} from "../configs/outputs.js";
