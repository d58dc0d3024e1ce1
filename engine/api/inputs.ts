/** `eddy/inputs`: input configs (Bytewax's `bytewax.inputs`). */

export { InputConfig, ManualInputConfig, ItemBatch, TestingInputConfig, KafkaInputConfig, FileInputConfig, distribute, type InputBuilder, type KafkaInputOptions, type KafkaDecode } from "../configs/inputs.js";
