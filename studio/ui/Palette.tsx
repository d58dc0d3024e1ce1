/**
 * The palette: every step kind from the engine's metadata (STEP_KINDS), in the flow format's
 * order. Drag one onto the canvas (pointer events, so mouse, pen and touch all work); dropped on a
 * connection, it is inserted into it. Click it, or press Enter or Space on it, to insert it after
 * the selected step (into its chain), into the selected connection, or, with nothing selected, at
 * a free spot in view. The view follows a new step that lands outside it.
 */

import { useCallback, useRef, useState, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from "react";
import { useReactFlow } from "@xyflow/react";
import { STEP_KINDS, type StepOp } from "../../engine/host/index.js";
import { FLOW_STEP_OPS } from "../../engine/host/index.js";
import { afterEntryOf } from "../state/steps.js";
import { describeStep } from "../state/navigation.js";
import { announce } from "./announcer.js";
import { selectedConnections } from "./Canvas.js";
import { measureViewArea, revealStep } from "./canvasView.js";
import { useEditorStore } from "./editorContext.js";
import { paletteTooltip } from "./helpText.js";

/** Pixels the pointer must move before a press becomes a drag (a shorter press is a click). */
const DRAG_THRESHOLD = 4;

interface DragState {
  op: StepOp;
  startX: number;
  startY: number;
  dragging: boolean;
}

interface ConnectionUnder {
  readonly element: Element;
  readonly from: string;
  readonly to: string;
}

const DROP_TARGET_CLASS = "drop-target";

export function Palette() {
  const store = useEditorStore();
  const flow = useReactFlow();
  const drag = useRef<DragState | null>(null);
  /** The last press was handled by the pointer handlers: the click that follows it adds nothing more. */
  const byPointer = useRef(false);
  const [ghost, setGhost] = useState<{ op: StepOp; x: number; y: number; into?: ConnectionUnder } | null>(null);
  const highlighted = useRef<Element | null>(null);

  const added = useCallback(
    (id: string, where: string) => {
      const doc = store.getState().doc;
      revealStep(flow, doc, id);
      announce(`Added ${describeStep(doc, id)}${where}`);
    },
    [flow, store],
  );

  /** The connection under a point of the page, if any. */
  const connectionAt = useCallback(
    (clientX: number, clientY: number): ConnectionUnder | undefined => {
      for (const element of document.elementsFromPoint(clientX, clientY)) {
        const connection = element.closest(".canvas .react-flow__edge");
        const edge = connection && flow.getEdge(connection.getAttribute("data-id") ?? "");
        if (connection && edge) return { element: connection, from: afterEntryOf(edge.source, edge.sourceHandle), to: edge.target };
      }
      return undefined;
    },
    [flow],
  );

  const highlight = (element: Element | undefined) => {
    if (highlighted.current === element) return;
    highlighted.current?.classList.remove(DROP_TARGET_CLASS);
    element?.classList.add(DROP_TARGET_CLASS);
    highlighted.current = element ?? null;
  };

  const addAt = useCallback(
    (op: StepOp, clientX: number, clientY: number) => {
      const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
      if (!canvas || clientX < canvas.left || clientX > canvas.right || clientY < canvas.top || clientY > canvas.bottom) return;
      const into = connectionAt(clientX, clientY);
      const inserted = into && store.getState().insertIntoConnection(op, into.from, into.to);
      if (inserted !== undefined) return added(inserted, ` between ${into!.from} and ${into!.to}`);
      const position = flow.screenToFlowPosition({ x: clientX, y: clientY });
      added(store.getState().addStep(op, { x: Math.round(position.x - 110), y: Math.round(position.y - 30) }), "");
    },
    [flow, store, connectionAt, added],
  );

  /** A click or Enter: after the selected step, into the selected connection, or in view. */
  const addAfterSelection = useCallback(
    (op: StepOp) => {
      const state = store.getState();
      const connection = state.selection.length === 0 && selectedConnections.current.length === 1 ? selectedConnections.current[0] : undefined;
      const inserted = connection && state.insertIntoConnection(op, connection.from, connection.to);
      if (inserted !== undefined) return added(inserted, ` between ${connection!.from} and ${connection!.to}`);
      const upstream = state.selection[state.selection.length - 1];
      const id = state.addStepAfterSelection(op, measureViewArea(flow));
      added(id, upstream !== undefined && op !== "input" ? "" : ", in view");
    },
    [flow, store, added],
  );

  const onPointerDown = (op: StepOp) => (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { op, startX: event.clientX, startY: event.clientY, dragging: false };
    byPointer.current = false;
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLButtonElement>) => {
    const state = drag.current;
    if (!state) return;
    if (!state.dragging && Math.hypot(event.clientX - state.startX, event.clientY - state.startY) < DRAG_THRESHOLD) return;
    state.dragging = true;
    const into = state.op === "input" ? undefined : connectionAt(event.clientX, event.clientY); // an input takes no upstream step
    highlight(into?.element);
    setGhost({ op: state.op, x: event.clientX, y: event.clientY, ...(into && { into }) });
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLButtonElement>) => {
    const state = drag.current;
    drag.current = null;
    setGhost(null);
    highlight(undefined);
    if (!state) return;
    byPointer.current = true;
    if (state.dragging) addAt(state.op, event.clientX, event.clientY);
    else addAfterSelection(state.op);
  };
  const onPointerCancel = () => {
    drag.current = null;
    setGhost(null);
    highlight(undefined);
  };
  /** Enter or Space (a click with no pointer before it): the same as a click. */
  const onClick = (op: StepOp) => (event: ReactMouseEvent<HTMLButtonElement>) => {
    const handled = byPointer.current && event.detail !== 0;
    byPointer.current = false;
    if (!handled) addAfterSelection(op);
  };

  return (
    <aside className="palette" aria-label="Step palette">
      <h3>Steps</h3>
      {FLOW_STEP_OPS.map((op) => {
        const kind = STEP_KINDS[op];
        return (
          <button
            key={op}
            type="button"
            className={`palette-item role-${kind.role}`}
            data-testid={`palette-${op}`}
            title={paletteTooltip(op)}
            onPointerDown={onPointerDown(op)}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerCancel}
            onClick={onClick(op)}
          >
            {op}
            <small>{kind.summary}</small>
          </button>
        );
      })}
      {ghost && (
        <div className="drag-ghost" style={{ left: ghost.x + 8, top: ghost.y + 8 }}>
          {ghost.op}
          {ghost.into && <small> → between {ghost.into.from} and {ghost.into.to}</small>}
        </div>
      )}
    </aside>
  );
}
