/**
 * The recovery stores a behaviour is checked on, as configs a user would pass: memory, files (LMDB)
 * in a fresh temporary directory, and IndexedDB (fake-indexeddb, a full implementation of the spec
 * in Node; the real one is checked in Chromium by the conformance suite). The runs of
 * test/helpers/host.ts serve all three.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "fake-indexeddb/auto";
import { FileRecoveryConfig, IndexedDbRecoveryConfig, MemoryRecoveryConfig, type RecoveryConfig } from "../../engine/configs/recovery.js";

let databases = 0;

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
  { name: "indexeddb", fresh: () => ({ config: new IndexedDbRecoveryConfig(`eddy-test-${process.pid}-${++databases}`), cleanup: () => {} }) },
];
