/**
 * The recovery stores a behaviour is checked on, as configs a user would pass: memory, and files
 * (LMDB) in a fresh temporary directory. Importing this registers Node's stores, as
 * `eddy/execution` does in Node.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileRecoveryConfig, MemoryRecoveryConfig, type RecoveryConfig } from "../../engine/configs/recovery.js";
import "../../node-runner/entries/execution.js";

export interface StoreKind {
  readonly name: string;
  /** A fresh, empty store; `cleanup` removes what it left on disk. */
  fresh(): { config: RecoveryConfig; cleanup(): void };
}

export const STORE_KINDS: readonly StoreKind[] = [
  { name: "memory", fresh: () => ({ config: new MemoryRecoveryConfig(), cleanup: () => {} }) },
  {
    name: "file",
    fresh() {
      const dir = mkdtempSync(join(tmpdir(), "eddy-recovery-"));
      return { config: new FileRecoveryConfig(join(dir, "state")), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
