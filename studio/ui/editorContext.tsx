/**
 * The editor store in React: one store per studio page, created once the draft (or the default
 * example) is loaded, handed down by context; components select only what they render.
 */

import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { EditorState, EditorStore } from "../state/editorStore.js";

export const EditorContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (store === null) throw new Error("useEditorStore: no EditorContext provider");
  return store;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}
