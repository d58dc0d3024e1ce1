/**
 * The RecoveryStore conformance suite (storeConformance.ts) in Node, against every store Node can
 * run: the memory store, the LMDB file store, and the IndexedDB store on fake-indexeddb. Each case
 * x store is its own test, named "[store] behaviour".
 */
// idb recognises IndexedDB objects by the global constructors (IDBRequest, IDBDatabase, ...) and
// the store builds key ranges with the global IDBKeyRange: install fake-indexeddb's as globals.
import "fake-indexeddb/auto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory } from "fake-indexeddb";
import { describe, it } from "vitest";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { memoryRecoveryStore } from "../../engine/recovery/memoryStore.js";
import type { RecoveryStore } from "../../engine/recovery/store.js";
import { fileRecoveryStore } from "../../node-runner/recovery/fileStore.js";
import { indexedDbRecoveryStore } from "../../studio/recovery/indexedDbStore.js";
import { STORE_CONFORMANCE } from "./storeConformance.js";

interface Backing {
  makeStore(): RecoveryStore;
  dispose(): void;
}

const STORES: ReadonlyArray<{ readonly label: string; backing(): Backing }> = [
  {
    label: "memory",
    backing() {
      const config = new MemoryRecoveryConfig();
      return { makeStore: () => memoryRecoveryStore(config), dispose() {} };
    },
  },
  {
    label: "file",
    backing() {
      const dir = mkdtempSync(join(tmpdir(), "eddy-conformance-"));
      return { makeStore: () => fileRecoveryStore(dir), dispose: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    label: "indexeddb (fake-indexeddb)",
    backing() {
      // A fresh factory is a fresh, empty IndexedDB: nothing is shared between cases.
      const factory = new IDBFactory();
      return { makeStore: () => indexedDbRecoveryStore("eddy-conformance", factory), dispose() {} };
    },
  },
];

describe.each(STORES)("RecoveryStore conformance: $label", ({ label, backing }) => {
  for (const conformance of STORE_CONFORMANCE) {
    const name = `[${label}] ${conformance.name}`;
    it(name, async () => {
      const { makeStore, dispose } = backing();
      try {
        await conformance.run(makeStore);
      } finally {
        dispose();
      }
    });
  }
});
