/**
 * The canvas: React Flow over the document. Nodes live in React Flow's local state while the user
 * drags (smooth at any size); positions go to the document when a drag ends (one undo step), and
 * every document change (edits, undo, import) re-derives the nodes, keeping selection and sizes.
 *
 * For the keyboard: steps are read out with what feeds them and what they feed; a step that gets
 * the focus from the keyboard is selected and brought into view; connections leave the Tab order
 * to the steps first (useShortcuts.ts walks them after the steps). A connection refused while it is
 * drawn says why (ConnectionFeedback.tsx); released anywhere on a step it may reach, it is made.
 *
 * It opens at a readable zoom (openView.ts); the minimap and zoom controls are CanvasOverlays.
 */

import { useCallback, useEffect, useMemo, useState, type FocusEvent } from "react";
import {
  Background,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useStore as useFlowStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { afterEntryOf, canConnect, describeConnection, flowToCanvas, stepKeys } from "../state/document.js";
import { describeStep } from "../state/navigation.js";
import { announce } from "./announcer.js";
import { revealStep } from "./canvasView.js";
import { ConnectionFeedback, drawnConnection, type ReleasedRefusal } from "./ConnectionFeedback.js";
import { CanvasOverlays } from "./CanvasOverlays.js";
import { useEditor, useEditorStore } from "./editorContext.js";
import { useOpenView } from "./openView.js";
import { StepNode, type StepNodeType } from "./StepNode.js";
import { useColorMode } from "./theme.js";

const NODE_TYPES = { step: StepNode };
/** Shift, Ctrl or Cmd + click adds a step to the selection (Shift + drag still draws a selection box). */
const MULTI_SELECT_KEYS = ["Shift", "Control", "Meta"];

/** The connections selected on the canvas (steps are selected in the editor store); Delete removes both. */
export const selectedConnections: { current: { from: string; to: string }[] } = { current: [] };

/** How long the reason for a refused connection stays after release. */
const REFUSAL_SHOWN_MS = 4000;

export function Canvas() {
  const store = useEditorStore();
  const doc = useEditor((state) => state.doc);
  const selection = useEditor((state) => state.selection);
  const colorMode = useColorMode();
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  const container = useFlowStore((state) => state.domNode);
  const derived = useMemo(() => flowToCanvas(doc), [doc]);
  const labels = useMemo(() => new Map(stepKeys(doc).map((key) => [key, describeStep(doc, key)])), [doc]);
  const derivedEdges = useMemo(
    () => derived.edges.map((edge): Edge => ({ ...edge, ariaLabel: `Connection: ${describeConnection(afterEntryOf(edge.source, edge.sourceHandle), edge.target)}`, domAttributes: { tabIndex: -1 } })),
    [derived],
  );
  const [nodes, setNodes] = useState<StepNodeType[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [released, setReleased] = useState<ReleasedRefusal | undefined>();
  const openView = useOpenView();

  useEffect(() => {
    setNodes((current) => {
      const previous = new Map(current.map((node) => [node.id, node]));
      const selected = new Set(selection);
      return (derived.nodes as StepNodeType[]).map((node) => {
        const old = previous.get(node.id);
        const isSelected = selected.has(node.id);
        const label = labels.get(node.id);
        if (old && old.position.x === node.position.x && old.position.y === node.position.y && old.data.op === node.data.op && old.selected === isSelected && old.ariaLabel === label) return old;
        return { ...node, selected: isSelected, ...(label !== undefined && { ariaLabel: label }), ...(old?.measured && { measured: old.measured }) };
      });
    });
    setEdges((current) => {
      const selected = new Set(current.filter((edge) => edge.selected).map((edge) => edge.id));
      return derivedEdges.map((edge) => (selected.has(edge.id) ? { ...edge, selected: true } : edge));
    });
  }, [derived, derivedEdges, labels, selection]);

  useEffect(() => {
    if (!released) return;
    const timer = setTimeout(() => setReleased(undefined), REFUSAL_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [released]);

  /**
   * Selecting steps on the canvas (click, Shift+click, a selection box, a click on the background)
   * comes as `select` changes: the store's selection follows them, the last selected last.
   * Selection the store sets (keyboard, palette) reaches React Flow through the nodes' props, never
   * as changes, so a late echo cannot undo a newer selection.
   */
  const onNodesChange = useCallback(
    (changes: NodeChange<StepNodeType>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const selects = changes.filter((change) => change.type === "select");
      if (selects.length === 0) return;
      let selection = [...store.getState().selection];
      for (const change of selects) {
        selection = selection.filter((id) => id !== change.id);
        if (change.selected) selection.push(change.id);
      }
      store.getState().select(selection);
    },
    [store],
  );
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setEdges((current) => applyEdgeChanges(changes, current));
  }, []);
  const onNodeDragStop = useCallback(
    (_event: unknown, _node: StepNodeType, dragged: StepNodeType[]) => {
      store.getState().moveSteps(Object.fromEntries(dragged.map((node) => [node.id, { x: Math.round(node.position.x), y: Math.round(node.position.y) }])), { final: true });
    },
    [store],
  );
  const onSelectionChange = useCallback(({ edges: selectedEdges }: OnSelectionChangeParams) => {
    selectedConnections.current = selectedEdges.map((edge) => ({ from: afterEntryOf(edge.source, edge.sourceHandle), to: edge.target }));
  }, []);
  const onConnect = useCallback((connection: Connection) => store.getState().connect(afterEntryOf(connection.source, connection.sourceHandle), connection.target), [store]);
  /** Not made by React Flow (no handle near, or refused): made when released anywhere on a step it may reach, else why not. */
  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid === true || !state.pointer) return;
      const drawn = drawnConnection(store.getState().doc, state, container);
      if (!drawn) return;
      if (drawn.ok) {
        store.getState().connect(drawn.from, drawn.to);
        announce(`Connected: ${describeConnection(drawn.from, drawn.to)}`);
        return;
      }
      setReleased({ refusal: drawn, x: state.pointer.x, y: state.pointer.y });
      announce(`Not connected: ${drawn.reason ?? ""}`);
    },
    [store, container],
  );
  /** A step or connection focused from the keyboard is selected (and a step brought into view). */
  const onFocus = useCallback(
    (event: FocusEvent<HTMLDivElement>) => {
      const target = event.target as Element;
      if (!target.matches(":focus-visible")) return;
      if (target.classList.contains("react-flow__node")) {
        const id = (target as HTMLElement).dataset.id!;
        const state = store.getState();
        if (state.selection.length !== 1 || state.selection[0] !== id) state.select([id]);
        revealStep(flow, state.doc, id);
      } else if (target.classList.contains("react-flow__edge")) {
        const id = target.getAttribute("data-id");
        if (id !== null) flowStore.getState().addSelectedEdges([id]);
      }
    },
    [store, flow, flowStore],
  );
  const isValidConnection = useCallback(
    (connection: Connection | Edge) => canConnect(store.getState().doc, afterEntryOf(connection.source, connection.sourceHandle), connection.target).ok,
    [store],
  );

  return (
    <div className="canvas" data-testid="canvas" tabIndex={-1} aria-label="Canvas" onFocus={onFocus}>
      <ReactFlow<StepNodeType, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        onConnectStart={() => setReleased(undefined)}
        onConnectEnd={onConnectEnd}
        autoPanOnNodeFocus={false}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        colorMode={colorMode}
        onInit={() => openView()}
        minZoom={0.1}
        // React Flow's link stays on the canvas, as its authors ask of projects without React Flow
        // Pro (hiding it logs a warning at every load in development), top right, clear of the
        // minimap and the controls; the About box and the README credit it too.
        attributionPosition="top-right"
      >
        <Background />
        <CanvasOverlays />
        <ConnectionFeedback released={released} />
      </ReactFlow>
    </div>
  );
}
