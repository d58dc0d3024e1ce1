/**
 * The studio: loads the draft from IndexedDB (or opens the default example on a first visit),
 * then lays out the toolbar, palette, canvas, side panel and run panel around one editor store.
 */

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import type { FlowDefinition } from "../../engine/host/index.js";
import { autosave, loadDraft } from "../state/drafts.js";
import { buildExamples, defaultExampleName, type ExampleFlow } from "../state/examples.js";
import { importFlow } from "../state/exportFlow.js";
import { newFlow } from "../state/document.js";
import { createEditorStore, type EditorStore } from "../state/editorStore.js";
import { Announcer } from "./announcer.js";
import { Canvas } from "./Canvas.js";
import { ConnectMenu, type ConnectMenuProps } from "./ConnectMenu.js";
import { AboutDialog, ExamplesDialog, ShortcutsDialog } from "./Dialogs.js";
import { EditorContext, useEditor } from "./editorContext.js";
import { forgetRunOfPreviousFlow } from "./live.js";
import { downloadFlow } from "./files.js";
import { Palette } from "./Palette.js";
import { RunPanel } from "./RunPanel.js";
import { run } from "./runController.js";
import { SidePanel } from "./SidePanel.js";
import { SkipLinks } from "./SkipLinks.js";
import { applyColorMode, themeStore } from "./theme.js";
import { Toolbar } from "./Toolbar.js";
import { useShortcuts } from "./useShortcuts.js";
import { useOpenView } from "./openView.js";
import { RunPanelFrame, SidePanelFrame } from "./Panels.js";
import { usePanelChoices, useTrackWindowSize } from "./layoutStore.js";
import { TOOLBAR_HEIGHT, panelsFor } from "../state/panels.js";

const EXAMPLES: readonly ExampleFlow[] = buildExamples(import.meta.glob("../../examples/*.json", { eager: true, import: "default" }));

interface Boot {
  store: EditorStore;
  notice?: string;
}

async function boot(): Promise<Boot> {
  const draft = await loadDraft().catch(() => undefined);
  const example = EXAMPLES.find((candidate) => candidate.name === defaultExampleName) ?? EXAMPLES[0]!;
  const store = createEditorStore(draft?.doc ?? structuredClone(example.flow), { now: () => Date.now() });
  const notice = draft?.corrupt ? "The saved draft could not be read; the example opened instead." : undefined;
  return notice === undefined ? { store } : { store, notice };
}

function Studio({ store, notice }: Boot) {
  const [dialog, setDialog] = useState<"examples" | "help" | "about" | undefined>();
  const [connecting, setConnecting] = useState<Omit<ConnectMenuProps, "onClose"> | undefined>();
  /** Where the focus was when a dialog opened: it goes back there when the dialog closes. */
  const focusBefore = useRef<Element | null>(null);
  const openDialog = useCallback((which: "examples" | "help" | "about") => {
    focusBefore.current = document.activeElement;
    setDialog(which);
  }, []);
  const closeDialog = useCallback(() => {
    setDialog(undefined);
    const before = focusBefore.current;
    if (before instanceof HTMLElement || before instanceof SVGElement) requestAnimationFrame(() => before.isConnected && before.focus());
  }, []);
  const [draftState, setDraftState] = useState(notice ?? "draft saved in this browser");
  const fileInput = useRef<HTMLInputElement>(null);
  const stepCount = useEditor((state) => state.doc.steps.length);
  useTrackWindowSize();
  const { choices, window: windowSize } = usePanelChoices();
  const sizes = panelsFor(choices, windowSize);
  const grid = { gridTemplateColumns: `${sizes.palette}px minmax(0, 1fr) ${sizes.side}px`, gridTemplateRows: `${TOOLBAR_HEIGHT}px minmax(0, 1fr) ${sizes.runHeight}px` };

  useEffect(() => autosave(store, { delayMs: 300, onSaved: () => setDraftState("draft saved in this browser"), onError: (error) => setDraftState(`draft not saved: ${error.message}`) }), [store]);

  // Leaving a field ends its undo group: the next edit, even a second later, is a new undo step.
  useEffect(() => {
    const endGroup = () => store.getState().endEditGroup();
    document.addEventListener("focusout", endGroup);
    return () => document.removeEventListener("focusout", endGroup);
  }, [store]);

  const openView = useOpenView();
  const fit = useCallback(() => setTimeout(() => openView(200), 50), [openView]);
  const open = useCallback(
    (doc: FlowDefinition) => {
      store.getState().load(doc);
      forgetRunOfPreviousFlow();
      fit();
    },
    [store, fit],
  );
  const importChosenFile = useCallback(
    async (input: HTMLInputElement) => {
      const file = input.files?.[0];
      input.value = "";
      if (!file) return;
      const result = importFlow(await file.text());
      if (result.ok) open(result.doc);
      else alert(`${file.name} is not a flow file:\n${result.problems.map((problem) => `${problem.path || "/"}: ${problem.message}`).join("\n")}`);
    },
    [open],
  );
  const actions = useMemo(
    () => ({
      run: () => void run.start(store.getState().doc),
      exportFile: () => {
        downloadFlow(store.getState().doc);
        store.getState().markSaved();
      },
      importFile: () => fileInput.current?.click(),
      showHelp: () => openDialog("help"),
      openConnectMenu: (stepId: string, direction: "downstream" | "upstream") => setConnecting({ stepId, direction }),
    }),
    [store, openDialog],
  );
  useShortcuts(store, actions);

  return (
    <div className="studio" data-testid="studio" data-steps={stepCount} style={grid}>
      <SkipLinks />
      <Toolbar
        onExamples={() => openDialog("examples")}
        onImport={actions.importFile}
        onExport={actions.exportFile}
        onNew={() => open(newFlow("untitled"))}
        onHelp={actions.showHelp}
        onAbout={() => openDialog("about")}
        draftState={draftState}
      />
      <SidePanelFrame name="palette" width={sizes.palette}>
        <Palette />
      </SidePanelFrame>
      <Canvas />
      <SidePanelFrame name="side" width={sizes.side}>
        <SidePanel />
      </SidePanelFrame>
      <RunPanelFrame height={sizes.runHeight}>
        <RunPanel />
      </RunPanelFrame>
      <input ref={fileInput} type="file" accept=".json,application/json" style={{ display: "none" }} data-testid="import-file" onChange={(event) => void importChosenFile(event.currentTarget)} />
      {dialog === "examples" && (
        <ExamplesDialog
          examples={EXAMPLES}
          onClose={closeDialog}
          onOpen={(example) => {
            setDialog(undefined);
            open(structuredClone(example.flow));
          }}
        />
      )}
      {dialog === "help" && <ShortcutsDialog onClose={closeDialog} />}
      {dialog === "about" && <AboutDialog onClose={closeDialog} />}
      {connecting && <ConnectMenu {...connecting} onClose={() => setConnecting(undefined)} />}
      <Announcer />
    </div>
  );
}

export function App() {
  const [booted, setBooted] = useState<Boot | undefined>();
  useEffect(() => {
    applyColorMode(themeStore.getState().mode);
    void boot().then(setBooted);
  }, []);
  if (!booted) return <div style={{ padding: 20 }}>Loading the studio…</div>;
  return (
    <EditorContext.Provider value={booted.store}>
      <ReactFlowProvider>
        <Studio {...booted} />
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}
