/** Drafts in IndexedDB (fake-indexeddb in Node). */

import "fake-indexeddb/auto";
import { openDB } from "idb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { newFlow } from "../../../studio/state/document.js";
import { autosave, clearDraft, CURRENT_DRAFT_KEY, DRAFTS_DB_NAME, DRAFTS_STORE, loadDraft, saveDraft } from "../../../studio/state/drafts.js";
import { createEditorStore } from "../../../studio/state/editorStore.js";

async function putRaw(value: unknown): Promise<void> {
  const db = await openDB(DRAFTS_DB_NAME, 1, { upgrade: (d) => void d.createObjectStore(DRAFTS_STORE) });
  await db.put(DRAFTS_STORE, value, CURRENT_DRAFT_KEY);
  db.close();
}

afterEach(async () => {
  vi.useRealTimers();
  await clearDraft();
});

describe("drafts", () => {
  it("saves and loads the draft; no draft is undefined", async () => {
    expect(await loadDraft()).toBeUndefined();
    const doc = newFlow("draft");
    await saveDraft(doc);
    expect(await loadDraft()).toEqual({ corrupt: false, doc });
  });

  it("reports a corrupt draft instead of throwing", async () => {
    for (const value of ["garbage", 42, { format: "other" }, { format: "eddy.flow", steps: "nope" }, { format: "eddy.flow", version: 9, steps: [] }]) {
      await putRaw(value);
      const loaded = await loadDraft();
      expect(loaded).toMatchObject({ corrupt: true, reason: expect.any(String), value });
      expect(loaded?.doc).toBeUndefined();
    }
  });

  it("autosaves the store's document after edits pause", async () => {
    vi.useFakeTimers();
    const store = createEditorStore(newFlow("t"));
    const saved: string[] = [];
    const onSaved = vi.fn();
    const stop = autosave(store, { delayMs: 500, save: async (doc) => void saved.push(doc.name!), onSaved });
    store.getState().setFlowField("name", "a");
    await vi.advanceTimersByTimeAsync(300);
    store.getState().setFlowField("name", "ab");
    await vi.advanceTimersByTimeAsync(300);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(saved).toEqual(["ab"]);
    expect(onSaved).toHaveBeenCalledTimes(1);
    store.getState().select(["source"]); // not a document change
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual(["ab"]);
    store.getState().setFlowField("name", "abc");
    await stop.flush();
    expect(saved).toEqual(["ab", "abc"]);
    stop();
    store.getState().setFlowField("name", "gone");
    await vi.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual(["ab", "abc"]);
  });

  it("autosaves to IndexedDB by default and reports failed writes", async () => {
    const store = createEditorStore(newFlow("t"));
    const stop = autosave(store, { delayMs: 10 });
    store.getState().setFlowField("name", "persisted");
    await stop.flush();
    expect((await loadDraft())?.doc?.name).toBe("persisted");
    stop.dispose();
    const errors: Error[] = [];
    const failing = autosave(store, { delayMs: 10, save: () => Promise.reject("disk full"), onError: (error) => errors.push(error) });
    store.getState().setFlowField("name", "again");
    await failing.flush();
    expect(errors.map((error) => error.message)).toEqual(["disk full"]);
    failing();
  });
});
