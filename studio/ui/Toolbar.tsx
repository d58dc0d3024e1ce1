/** The top bar: file actions, undo/redo, layout, view and theme. */

import { useReactFlow } from "@xyflow/react";
import { tidyUp } from "./canvasView.js";
import { useEditor, useEditorStore } from "./editorContext.js";
import { cycleColorMode, useColorMode } from "./theme.js";

export interface ToolbarProps {
  onExamples: () => void;
  onImport: () => void;
  onExport: () => void;
  onNew: () => void;
  onHelp: () => void;
  onAbout: () => void;
  draftState: string;
}

export function Toolbar({ onExamples, onImport, onExport, onNew, onHelp, onAbout, draftState }: ToolbarProps) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const name = useEditor((state) => state.doc.name ?? "untitled");
  const canUndo = useEditor((state) => state.canUndo);
  const canRedo = useEditor((state) => state.canRedo);
  const dirty = useEditor((state) => state.dirty);
  const mode = useColorMode();
  return (
    <header className="toolbar">
      <span className="title">Eddy Studio</span>
      <span className="flow-name" data-testid="flow-name">
        {name}
        {dirty ? " •" : ""}
      </span>
      <button type="button" onClick={onNew} data-testid="new-flow" title="A new, small flow">
        New
      </button>
      <button type="button" onClick={onExamples} data-testid="open-examples">
        Examples
      </button>
      <button type="button" onClick={onImport} data-testid="import" title="Import a flow file (Ctrl+O)">
        Import
      </button>
      <button type="button" onClick={onExport} data-testid="export" title="Export the flow file for `eddy run` (Ctrl+S)">
        Export
      </button>
      <span style={{ width: 10 }} />
      <button type="button" onClick={() => store.getState().undo()} disabled={!canUndo} data-testid="undo" title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={() => store.getState().redo()} disabled={!canRedo} data-testid="redo" title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button type="button" onClick={() => tidyUp(store, flow)} data-testid="layout" title="Auto-layout, then fit the view (Shift+Alt+T)">
        Tidy up
      </button>
      <button type="button" onClick={() => void flow.fitView({ duration: 300 })} data-testid="fit-view" title="Fit view (Shift+1)">
        Fit
      </button>
      <span className="spacer" />
      <span className="draft-state" data-testid="draft-state">
        {draftState}
      </span>
      <button type="button" onClick={cycleColorMode} data-testid="theme" title="Light, dark or the system's theme">
        {mode === "light" ? "☀ light" : mode === "dark" ? "☾ dark" : "◐ system"}
      </button>
      <button type="button" onClick={onHelp} title="Keyboard shortcuts (?)">
        ?
      </button>
      <button type="button" onClick={onAbout} data-testid="about" title="About Eddy Studio, and what it is built with">
        About
      </button>
    </header>
  );
}
