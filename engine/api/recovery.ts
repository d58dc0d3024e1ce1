/** `eddy/recovery`: recovery configs (Bytewax's `bytewax.recovery`). */

export { RecoveryConfig, MemoryRecoveryConfig, FileRecoveryConfig, IndexedDbRecoveryConfig, KafkaRecoveryConfig } from "../configs/recovery.js";
