/**
 * The canvas: React Flow over the document. Nodes live in React Flow's local state while the user
 * drags (smooth at any size); positions go to the document when a drag ends (one undo step), and
 * every document change (edits, undo, import) re-derives the nodes, keeping selection and sizes.
 * It opens at a readable zoom (openView.ts); the minimap and zoom controls are CanvasOverlays.
 */

import { useCallback, useEffect, useMemo, useState } from "react";
import {
  Background,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { canConnect, flowToCanvas } from "../state/document.js";
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

export function Canvas() {
  const store = useEditorStore();
  const doc = useEditor((state) => state.doc);
  const selection = useEditor((state) => state.selection);
  const colorMode = useColorMode();
  const derived = useMemo(() => flowToCanvas(doc), [doc]);
  const [nodes, setNodes] = useState<StepNodeType[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const openView = useOpenView();

  useEffect(() => {
    setNodes((current) => {
      const previous = new Map(current.map((node) => [node.id, node]));
      const selected = new Set(selection);
      return (derived.nodes as StepNodeType[]).map((node) => {
        const old = previous.get(node.id);
        const isSelected = selected.has(node.id);
        if (old && old.position.x === node.position.x && old.position.y === node.position.y && old.data.op === node.data.op && old.selected === isSelected) return old;
        return { ...node, selected: isSelected, ...(old?.measured && { measured: old.measured }) };
      });
    });
    setEdges((current) => {
      const selected = new Set(current.filter((edge) => edge.selected).map((edge) => edge.id));
      return derived.edges.map((edge) => (selected.has(edge.id) ? { ...edge, selected: true } : edge));
    });
  }, [derived, selection]);

  const onNodesChange = useCallback((changes: NodeChange<StepNodeType>[]) => {
    setNodes((current) => applyNodeChanges(changes, current));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setEdges((current) => applyEdgeChanges(changes, current));
  }, []);
  const onNodeDragStop = useCallback(
    (_event: unknown, _node: StepNodeType, dragged: StepNodeType[]) => {
      store.getState().moveSteps(Object.fromEntries(dragged.map((node) => [node.id, { x: Math.round(node.position.x), y: Math.round(node.position.y) }])), { final: true });
    },
    [store],
  );
  const onSelectionChange = useCallback(
    ({ nodes: selectedNodes, edges: selectedEdges }: OnSelectionChangeParams) => {
      selectedConnections.current = selectedEdges.map((edge) => ({ from: edge.source, to: edge.target }));
      const ids = selectedNodes.map((node) => node.id);
      const current = store.getState().selection;
      if (ids.length !== current.length || ids.some((id, index) => id !== current[index])) store.getState().select(ids);
    },
    [store],
  );
  const onConnect = useCallback((connection: Connection) => store.getState().connect(connection.source, connection.target), [store]);
  const isValidConnection = useCallback(
    (connection: Connection | Edge) => canConnect(store.getState().doc, connection.source, connection.target).ok,
    [store],
  );

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow<StepNodeType, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        colorMode={colorMode}
        onInit={() => openView()}
        minZoom={0.1}
        // React Flow is credited in the About box and the README, as its MIT licence allows.
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <CanvasOverlays />
      </ReactFlow>
    </div>
  );
}
