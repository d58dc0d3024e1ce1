/**
 * The studio's keyboard shortcuts and clipboard. Keys typed into a field or a code editor are left
 * alone (Ctrl+Z there undoes the text). Copy and paste use the browser's own copy/paste events, so
 * the system clipboard holds flow-file JSON that pastes into another tab, a text file or an issue.
 */

import { useEffect } from "react";
import { useReactFlow } from "@xyflow/react";
import type { EditorStore } from "../state/editorStore.js";
import { selectedConnections } from "./Canvas.js";

export interface ShortcutActions {
  run: () => void;
  exportFile: () => void;
  importFile: () => void;
  showHelp: () => void;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, .cm-editor") !== null;
}

export function useShortcuts(store: EditorStore, actions: ShortcutActions): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isEditable(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const state = store.getState();
      let handled = true;
      if (mod && key === "z" && !event.shiftKey) state.undo();
      else if (mod && ((key === "z" && event.shiftKey) || key === "y")) state.redo();
      else if (mod && key === "a") state.select(state.doc.steps.map((step) => step.id));
      else if ((event.key === "Delete" || event.key === "Backspace") && !mod) {
        state.removeStepsAndEdges(state.selection, selectedConnections.current);
        selectedConnections.current = [];
      } else if (mod && key === "enter") actions.run();
      else if (mod && key === "s") actions.exportFile();
      else if (mod && key === "o") actions.importFile();
      else if (event.shiftKey && event.altKey && event.code === "KeyT") state.layout();
      else if (event.shiftKey && event.code === "Digit1" && !mod) void flow.fitView({ duration: 300 });
      else if (key === "d" && !mod && !event.altKey && !event.shiftKey && state.selection.length > 0) state.toggleDisabled();
      else if (event.key === "?") actions.showHelp();
      else handled = false;
      if (handled) event.preventDefault();
    };
    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (isEditable(event.target) || store.getState().selection.length === 0) return;
      event.clipboardData?.setData("text/plain", store.getState().copy());
      event.preventDefault();
      if (cut) store.getState().removeStepsAndEdges(store.getState().selection, []);
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isEditable(event.target)) return;
      const text = event.clipboardData?.getData("text/plain");
      if (!text) return;
      event.preventDefault();
      const result = store.getState().paste(text);
      if (!result.ok) alert(`Nothing pasted: ${result.error}`);
    };
    const copy = (event: ClipboardEvent) => onCopy(event, false);
    const cut = (event: ClipboardEvent) => onCopy(event, true);
    window.addEventListener("keydown", onKeyDown);
    document.addEventListener("copy", copy);
    document.addEventListener("cut", cut);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("copy", copy);
      document.removeEventListener("cut", cut);
      document.removeEventListener("paste", onPaste);
    };
  }, [store, actions, flow]);
}
