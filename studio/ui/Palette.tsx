/**
 * The palette: every step kind from the engine's metadata (STEP_KINDS), in the flow format's
 * order. Drag one onto the canvas (pointer events, so mouse, pen and touch all work), or click it
 * to add it after the selected step.
 */

import { useCallback, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import { useReactFlow } from "@xyflow/react";
import { STEP_KINDS, type StepOp } from "../../engine/host/index.js";
import { FLOW_STEP_OPS } from "../../engine/host/index.js";
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

export function Palette() {
  const store = useEditorStore();
  const flow = useReactFlow();
  const drag = useRef<DragState | null>(null);
  const [ghost, setGhost] = useState<{ op: StepOp; x: number; y: number } | null>(null);

  const addAt = useCallback(
    (op: StepOp, clientX: number, clientY: number) => {
      const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
      if (!canvas || clientX < canvas.left || clientX > canvas.right || clientY < canvas.top || clientY > canvas.bottom) return;
      const position = flow.screenToFlowPosition({ x: clientX, y: clientY });
      store.getState().addStep(op, { x: Math.round(position.x - 110), y: Math.round(position.y - 30) });
    },
    [flow, store],
  );

  const onPointerDown = (op: StepOp) => (event: ReactPointerEvent<HTMLButtonElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { op, startX: event.clientX, startY: event.clientY, dragging: false };
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLButtonElement>) => {
    const state = drag.current;
    if (!state) return;
    if (!state.dragging && Math.hypot(event.clientX - state.startX, event.clientY - state.startY) < DRAG_THRESHOLD) return;
    state.dragging = true;
    setGhost({ op: state.op, x: event.clientX, y: event.clientY });
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLButtonElement>) => {
    const state = drag.current;
    drag.current = null;
    setGhost(null);
    if (!state) return;
    if (state.dragging) addAt(state.op, event.clientX, event.clientY);
    else store.getState().addStepAfterSelection(state.op);
  };
  const onPointerCancel = () => {
    drag.current = null;
    setGhost(null);
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
          >
            {op}
            <small>{kind.summary}</small>
          </button>
        );
      })}
      {ghost && (
        <div className="drag-ghost" style={{ left: ghost.x + 8, top: ghost.y + 8 }}>
          {ghost.op}
        </div>
      )}
    </aside>
  );
}
