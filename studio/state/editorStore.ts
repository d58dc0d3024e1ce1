/**
 * The editor's state: a zustand vanilla store (testable without React; the UI binds it with
 * `useStore(store, selector)`). It holds the flow document (the single source of truth), the
 * selection (step keys; not part of history), the undo history, the problems derived from the
 * document (recomputed on every change) and whether the document differs from the last one saved
 * or exported. Every action goes through the pure functions of document.ts, clipboard.ts and
 * layout.ts; every document change is one history record (merged for keystrokes and drags).
 *
 * Documents are pinned on creation and load: steps without a stored position get their fallback
 * position written into `ui.positions`, so that later edits never move them.
 */

import { createStore, type StoreApi } from "zustand/vanilla";
import type { FlowDefinition, FlowStepOp } from "../../engine/host/index.js";
import { pinPositions } from "./canvas.js";
import { copySteps, pasteSteps, type PasteResult } from "./clipboard.js";
import { canConnect, connect, disconnect, type CanConnect } from "./connections.js";
import { toggleDisabled } from "./disable.js";
import { addStep, addStepAfter, moveSteps, removeSteps, renameStep, setExecution, updateStepField, type RenameResult } from "./edits.js";
import type { XY } from "./geometry.js";
import { canRedo, canUndo, createHistory, record, redo, seal, undo, type History } from "./history.js";
import { setIn, type PathSegment } from "./immutable.js";
import { autoLayout } from "./layout.js";
import { insertIntoConnection, insertStepAfter } from "./insert.js";
import { spotInView, type ViewArea } from "./placement.js";
import { indexOfStep } from "./steps.js";
import { problemsByStep, type ProblemIndex } from "./validation.js";

export interface EditorState {
  readonly doc: FlowDefinition;
  /** Selected step keys, in the order they were selected. */
  readonly selection: readonly string[];
  readonly history: History;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The validator's problems for `doc`, by step and for the flow. */
  readonly problems: ProblemIndex;
  /** The document last saved or exported (`markSaved`), and whether `doc` differs from it. */
  readonly savedDoc: FlowDefinition;
  readonly dirty: boolean;

  /** Adds a step of kind `op` at `position`, selects it and returns its id. */
  addStep(op: FlowStepOp, position: XY, options?: { readonly after?: readonly string[] }): string;
  /**
   * Adds a step of kind `op` after the (last) selected step, inserted into its chain (see
   * insert.ts); without a selected step (or for an input), at a free spot inside `view` (below the
   * flow when no view is given). Selects the new step and returns its id; one undo step.
   */
  addStepAfterSelection(op: FlowStepOp, view?: ViewArea): string;
  /** Inserts a step of kind `op` into the connection `from` → `to`, selects it and returns its id (undefined when it cannot). */
  insertIntoConnection(op: FlowStepOp, from: string, to: string): string | undefined;
  removeSteps(keys: Iterable<string>): void;
  /** Removes steps and connections in one undo step (React Flow's onDelete gives both). */
  removeStepsAndEdges(keys: Iterable<string>, edges: readonly { readonly from: string; readonly to: string }[]): void;
  removeSelected(): void;
  /** Connects `from` to `to` when allowed; returns the verdict either way. */
  connect(from: string, to: string): CanConnect;
  disconnect(from: string, to: string): void;
  /** Moves steps; call it during a drag, with `final: true` on the drop: the whole drag is one undo step. */
  moveSteps(positions: Readonly<Record<string, XY>>, options?: { readonly final?: boolean }): void;
  /** Sets a field of a step; keystrokes in one field within a second are one undo step. */
  updateStepField(key: string, path: readonly PathSegment[], value: unknown): void;
  renameStep(key: string, id: string): RenameResult;
  /** Disables these steps (the selection when absent), or enables them when all are disabled; one undo step. */
  toggleDisabled(keys?: readonly string[]): void;
  setExecution(path: readonly PathSegment[], value: unknown): void;
  /** Sets the flow's `name` or `description` (undefined removes it). */
  setFlowField(field: "name" | "description", value: string | undefined): void;
  select(keys: readonly string[]): void;
  /** Ends the current undo group (the user left the field, or ran the flow): the next edit is a new step. */
  endEditGroup(): void;
  undo(): void;
  redo(): void;
  /** The selection as flow-file text ("" when nothing is selected). */
  copy(): string;
  /** Pastes copied text at `at` and selects the pasted steps. */
  paste(text: string, at?: XY): PasteResult;
  /** Auto-layout of the given steps, or of the whole flow. */
  layout(keys?: readonly string[]): void;
  /** Replaces the document (import, examples); undoable. `saved: true` when it is a file as saved. */
  load(doc: FlowDefinition, options?: { readonly saved?: boolean }): void;
  /** The current document is saved or exported: no longer dirty. */
  markSaved(): void;
}

export type EditorStore = StoreApi<EditorState>;

export interface EditorStoreOptions {
  /** The clock for grouping edits into undo steps (milliseconds). */
  readonly now?: () => number;
  /** The most undo steps kept. */
  readonly historyLimit?: number;
}

interface CommitOptions {
  readonly group?: string;
  readonly mergeWindowMs?: number;
  readonly seal?: boolean;
  readonly selection?: readonly string[];
}

export function createEditorStore(initialDoc: FlowDefinition, options: EditorStoreOptions = {}): EditorStore {
  const now = options.now ?? (() => Date.now());
  const first = pinPositions(initialDoc);

  return createStore<EditorState>()((set, get) => {
    /** The selection without keys that no longer name a step. */
    const validSelection = (doc: FlowDefinition, selection: readonly string[]) => {
      const kept = selection.filter((key) => indexOfStep(doc, key) >= 0);
      return kept.length === selection.length ? selection : kept;
    };

    const show = (history: History, selection: readonly string[], savedDoc = get().savedDoc) => {
      const doc = history.present;
      set({
        doc,
        history,
        selection: validSelection(doc, selection),
        canUndo: canUndo(history),
        canRedo: canRedo(history),
        problems: problemsByStep(doc),
        savedDoc,
        dirty: doc !== savedDoc,
      });
    };

    /** Records `next` as an edit (nothing for the same document, apart from sealing its group). */
    const commit = (next: FlowDefinition, commitOptions: CommitOptions = {}) => {
      const state = get();
      const history = record(state.history, next, {
        at: now(),
        ...(commitOptions.group !== undefined && { group: commitOptions.group }),
        ...(commitOptions.mergeWindowMs !== undefined && { mergeWindowMs: commitOptions.mergeWindowMs }),
        ...(commitOptions.seal !== undefined && { seal: commitOptions.seal }),
      });
      if (history === state.history && commitOptions.selection === undefined) return;
      show(history, commitOptions.selection ?? state.selection);
    };

    return {
      doc: first,
      selection: [],
      history: createHistory(first, options.historyLimit !== undefined ? { limit: options.historyLimit } : {}),
      canUndo: false,
      canRedo: false,
      problems: problemsByStep(first),
      savedDoc: first,
      dirty: false,

      addStep(op, position, addOptions = {}) {
        const { doc, id } = addStep(get().doc, op, position, addOptions.after ? { after: addOptions.after } : {});
        commit(doc, { selection: [id] });
        return id;
      },
      addStepAfterSelection(op, view) {
        const upstream = get().selection[get().selection.length - 1];
        const inserted = upstream === undefined ? undefined : insertStepAfter(get().doc, op, upstream);
        const { doc, id } = inserted ?? (view ? addStep(get().doc, op, spotInView(get().doc, view)) : addStepAfter(get().doc, op));
        commit(doc, { selection: [id] });
        return id;
      },
      insertIntoConnection(op, from, to) {
        const inserted = insertIntoConnection(get().doc, op, from, to);
        if (inserted) commit(inserted.doc, { selection: [inserted.id] });
        return inserted?.id;
      },
      removeStepsAndEdges(keys, edges) {
        const disconnected = edges.reduce((doc, edge) => disconnect(doc, edge.from, edge.to), get().doc);
        commit(removeSteps(disconnected, keys));
      },
      removeSteps(keys) {
        commit(removeSteps(get().doc, keys));
      },
      removeSelected() {
        commit(removeSteps(get().doc, get().selection), { selection: [] });
      },
      connect(from, to) {
        const verdict = canConnect(get().doc, from, to);
        if (verdict.ok) commit(connect(get().doc, from, to));
        return verdict;
      },
      disconnect(from, to) {
        commit(disconnect(get().doc, from, to));
      },
      moveSteps(positions, moveOptions = {}) {
        commit(moveSteps(get().doc, positions), { group: "move", mergeWindowMs: Infinity, seal: moveOptions.final ?? false });
      },
      updateStepField(key, path, value) {
        commit(updateStepField(get().doc, key, path, value), { group: `${key}/${path.join("/")}` });
      },
      renameStep(key, id) {
        const result = renameStep(get().doc, key, id);
        if (result.ok) commit(result.doc, { selection: get().selection.map((selected) => (selected === key ? id : selected)) });
        return result;
      },
      toggleDisabled(keys) {
        commit(toggleDisabled(get().doc, keys ?? get().selection));
      },
      setExecution(path, value) {
        commit(setExecution(get().doc, path, value), { group: `execution/${path.join("/")}` });
      },
      setFlowField(field, value) {
        commit(setIn(get().doc, [field], value), { group: `flow/${field}` });
      },
      select(keys) {
        const state = get();
        const selection = validSelection(state.doc, [...new Set(keys)]);
        const same = selection.length === state.selection.length && selection.every((key, i) => key === state.selection[i]);
        if (!same) set({ selection, history: seal(state.history) });
      },
      endEditGroup() {
        const history = seal(get().history);
        if (history !== get().history) set({ history });
      },
      undo() {
        const state = get();
        show(undo(seal(state.history)), state.selection);
      },
      redo() {
        const state = get();
        show(redo(state.history), state.selection);
      },
      copy() {
        return copySteps(get().doc, get().selection) ?? "";
      },
      paste(text, at) {
        const result = pasteSteps(get().doc, text, at);
        if (result.ok) commit(result.doc, { selection: result.pastedIds });
        return result;
      },
      layout(keys) {
        commit(autoLayout(get().doc, keys));
      },
      load(doc, loadOptions = {}) {
        const pinned = pinPositions(doc);
        const state = get();
        const history = record(state.history, pinned, { at: now() });
        show(history, [], loadOptions.saved ? pinned : state.savedDoc);
      },
      markSaved() {
        const { doc, savedDoc } = get();
        if (doc !== savedDoc) set({ savedDoc: doc, dirty: false });
      },
    };
  });
}
