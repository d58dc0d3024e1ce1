/**
 * The studio's keyboard shortcuts and clipboard. Which command a key press means comes from the
 * one table in studio/state/shortcuts.ts (which the `?` help lists), given where the focus is;
 * this file only says what each command does. Keys are read before React Flow sees them (capture
 * phase), so the arrows move between steps instead of nudging them. Keys typed into a field or a
 * code editor are left alone (Ctrl+Z there undoes the text), apart from the properties panel's
 * Escape, which goes back to the step. Copy and paste use the browser's own copy/paste events, so
 * the system clipboard holds flow-file JSON that pastes into another tab, a text file or an issue.
 */

import { isDisabled } from "../state/disable.js";
import { useEffect } from "react";
import { useReactFlow } from "@xyflow/react";
import type { EditorStore } from "../state/editorStore.js";
import { neighbourStep, describeStep, type StepDirection } from "../state/navigation.js";
import { findShortcut, type ShortcutScope } from "../state/shortcuts.js";
import { positionsOf } from "../state/canvas.js";
import { describeConnection } from "../state/connections.js";
import { afterEntryOf } from "../state/steps.js";
import { announce } from "./announcer.js";
import { selectedConnections } from "./Canvas.js";
import { focusRegion, focusStep, openStepForm, tidyUp } from "./canvasView.js";

export interface ShortcutActions {
  run: () => void;
  exportFile: () => void;
  importFile: () => void;
  showHelp: () => void;
  /** Opens the connect menu for step `stepId`: choose what it feeds (downstream) or what feeds it (upstream). */
  openConnectMenu: (stepId: string, direction: "downstream" | "upstream") => void;
}

function isEditable(target: Element): boolean {
  return (target instanceof HTMLElement && target.isContentEditable) || target.closest("input, textarea, select, .cm-editor") !== null;
}

/** Where the focus is, as the table's scopes (most specific first); undefined inside dialogs, which handle their own keys. */
export function scopesOf(target: EventTarget | null): ShortcutScope[] | undefined {
  if (!(target instanceof Element)) return ["anywhere"];
  if (target.closest('[role="dialog"]')) return undefined;
  if (target.closest(".side")) return isEditable(target) ? ["properties"] : ["properties", "anywhere"];
  if (isEditable(target)) return [];
  if (target.classList.contains("react-flow__node")) return ["step", "anywhere"];
  if (target.classList.contains("react-flow__edge")) return ["connection", "anywhere"];
  if (target.closest(".palette")) return ["palette", "anywhere"];
  return ["anywhere"];
}

const MOVES: Readonly<Record<string, readonly [number, number]>> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const WHERE: Readonly<Record<StepDirection, string>> = { downstream: "downstream of", upstream: "upstream of", previous: "above", next: "below" };

/**
 * Tab on the canvas: the steps in order, then the connections, then on past the canvas. Returns
 * false to let the browser move the focus on (from the last step, which it takes as the start).
 */
function tabOnCanvas(from: Element, backwards: boolean): boolean {
  const steps = [...document.querySelectorAll<HTMLElement>(".canvas .react-flow__node")];
  const connections = [...document.querySelectorAll<SVGElement>(".canvas .react-flow__edge")];
  const order: (HTMLElement | SVGElement)[] = [...steps, ...connections];
  const at = order.indexOf(from as HTMLElement);
  const next = order[backwards ? at - 1 : at + 1];
  if (at < 0) return false;
  if (backwards && at === 0) return false; // before the first step: the browser goes back past the canvas
  if (next) {
    next.focus();
    return true;
  }
  steps[steps.length - 1]?.focus(); // after the last connection: on from the last step, past the canvas
  return false;
}

export function useShortcuts(store: EditorStore, actions: ShortcutActions): void {
  const flow = useReactFlow();
  useEffect(() => {
    /** The arrows: to the next step along connections (or among siblings), selected and read out. */
    const go = (direction: StepDirection) => (_event: KeyboardEvent, target: Element) => {
      const here = stepOf(target);
      const next = neighbourStep(store.getState().doc, here, direction);
      if (next === undefined) {
        announce(`No step ${WHERE[direction]} ${here}`);
        return;
      }
      store.getState().select([next]);
      focusStep(next);
      announce(describeStep(store.getState().doc, next));
    };
    /** What each command does; returns false when it did nothing (the key then goes on as usual). */
    const commands: Readonly<Record<string, (event: KeyboardEvent, target: Element) => boolean | void>> = {
      undo: () => store.getState().undo(),
      redo: () => store.getState().redo(),
      selectAll: () => store.getState().select(store.getState().doc.steps.map((step) => step.id)),
      toggleDisabled: () => {
        const state = store.getState();
        if (state.selection.length === 0) return false;
        state.toggleDisabled();
        announce(`${isDisabled(store.getState().doc, state.selection[0]!) ? "Disabled" : "Enabled"}: ${state.selection.join(", ")}`);
        return true;
      },
      delete: (_event, target) => {
        const state = store.getState();
        const focusedConnection = target.classList.contains("react-flow__edge") ? target.getAttribute("data-id") : null;
        const edge = focusedConnection === null ? undefined : flow.getEdge(focusedConnection);
        if (edge) {
          // A connection from a window step's late handle is the `after` entry "ID:late".
          const from = afterEntryOf(edge.source, edge.sourceHandle);
          state.disconnect(from, edge.target);
          announce(`Removed the connection: ${describeConnection(from, edge.target, { removed: true })}`);
          focusStep(edge.source);
          return;
        }
        // On a step, the focus goes on to a neighbour that stays (the keyboard is not left on nothing).
        const here = target.classList.contains("react-flow__node") ? stepOf(target) : undefined;
        const survivor = here === undefined ? undefined : (["upstream", "downstream", "previous", "next"] as const).map((direction) => neighbourStep(state.doc, here, direction)).find((key) => key !== undefined && !state.selection.includes(key));
        state.removeStepsAndEdges(state.selection, selectedConnections.current);
        selectedConnections.current = [];
        if (survivor !== undefined) focusStep(survivor);
      },
      tidyUp: () => tidyUp(store, flow),
      fitView: () => void flow.fitView({ duration: 300 }),
      run: () => actions.run(),
      exportFile: () => actions.exportFile(),
      importFile: () => actions.importFile(),
      help: () => actions.showHelp(),
      goPalette: () => focusRegion("palette", store),
      goCanvas: () => focusRegion("canvas", store),
      goRun: () => focusRegion("run", store),
      downstream: go("downstream"),
      upstream: go("upstream"),
      previousSibling: go("previous"),
      nextSibling: go("next"),
      openForm: (_event, target) => openStepForm(store, stepOf(target)),
      connectTo: (_event, target) => actions.openConnectMenu(stepOf(target), "downstream"),
      connectFrom: (_event, target) => actions.openConnectMenu(stepOf(target), "upstream"),
      clearSelection: () => store.getState().select([]),
      canvasTab: (event, target) => tabOnCanvas(target, event.shiftKey),
      connectionTab: (event, target) => tabOnCanvas(target, event.shiftKey),
      moveStep: (event, target) => {
        const state = store.getState();
        const keys = state.selection.length > 0 ? state.selection : [stepOf(target)];
        const [dx, dy] = MOVES[event.key]!;
        const distance = event.shiftKey ? 100 : 20;
        const positions = positionsOf(state.doc);
        state.moveSteps(Object.fromEntries(keys.filter((key) => positions[key]).map((key) => [key, { x: positions[key]!.x + dx * distance, y: positions[key]!.y + dy * distance }])), { final: true });
      },
      backToCanvas: () => focusRegion("canvas", store),
      paletteMove: (event, target) => {
        const entries = [...document.querySelectorAll<HTMLElement>(".palette .palette-item")];
        const at = entries.indexOf(target.closest<HTMLElement>(".palette-item")!);
        entries[Math.min(entries.length - 1, Math.max(0, at + (event.key === "ArrowUp" ? -1 : 1)))]?.focus();
      },
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : document.body;
      const scopes = scopesOf(target);
      if (!scopes || scopes.length === 0) return;
      const shortcut = findShortcut(event, scopes);
      const command = shortcut && commands[shortcut.id];
      if (!command) return;
      if (command(event, target) === false) return;
      event.preventDefault();
      event.stopPropagation();
    };
    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (!(event.target instanceof Element) || scopesOf(event.target)?.includes("anywhere") !== true || store.getState().selection.length === 0) return;
      event.clipboardData?.setData("text/plain", store.getState().copy());
      event.preventDefault();
      if (cut) store.getState().removeStepsAndEdges(store.getState().selection, []);
    };
    const onPaste = (event: ClipboardEvent) => {
      if (event.target instanceof Element && scopesOf(event.target)?.includes("anywhere") !== true) return;
      const text = event.clipboardData?.getData("text/plain");
      if (!text) return;
      event.preventDefault();
      const result = store.getState().paste(text);
      if (!result.ok) alert(`Nothing pasted: ${result.error}`);
    };
    const copy = (event: ClipboardEvent) => onCopy(event, false);
    const cut = (event: ClipboardEvent) => onCopy(event, true);
    window.addEventListener("keydown", onKeyDown, { capture: true });
    document.addEventListener("copy", copy);
    document.addEventListener("cut", cut);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKeyDown, { capture: true });
      document.removeEventListener("copy", copy);
      document.removeEventListener("cut", cut);
      document.removeEventListener("paste", onPaste);
    };
  }, [store, actions, flow]);
}

/** The step key of a focused step node. */
function stepOf(target: Element): string {
  return (target.closest<HTMLElement>(".react-flow__node")?.dataset.id ?? "") as string;
}
