/**
 * The frames of the panels around the canvas: each side panel can be collapsed to a strip (and
 * opened again) and resized by dragging its inner edge or with the arrow keys on it; the run panel
 * is resized by its top edge. The choices are kept in this browser (layoutStore.ts).
 */

import { useRef, type KeyboardEvent, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import { resizeRun, resizeSide, toggleSide, type SidePanelName } from "../state/panels.js";
import { changePanels, usePanelChoices } from "./layoutStore.js";

/** Pixels an arrow key moves a splitter. */
const KEY_STEP = 16;

interface SplitterProps {
  /** Which edge of its panel it is on: dragging away from the panel grows it. */
  edge: "left" | "right" | "top";
  label: string;
  /** The panel's size now (width, or height for the top edge). */
  size: number;
  onResize: (size: number) => void;
  testId: string;
}

/** A handle on a panel's edge (role separator): drag it, or focus it and use the arrow keys. */
function Splitter({ edge, label, size, onResize, testId }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const along = (event: { clientX: number; clientY: number }) => (edge === "top" ? event.clientY : event.clientX);
  /** +1 when moving the pointer right (or down) grows the panel. */
  const grows = edge === "right" ? 1 : -1;
  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { start: along(event), size };
    event.preventDefault();
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const state = drag.current;
    if (state) onResize(state.size + grows * (along(event) - state.start));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, number> = edge === "top" ? { ArrowUp: 1, ArrowDown: -1 } : { ArrowRight: grows, ArrowLeft: -grows };
    const direction = keys[event.key];
    if (direction === undefined) return;
    event.preventDefault();
    onResize(size + direction * KEY_STEP);
  };
  return (
    <div
      className={`splitter splitter-${edge}`}
      role="separator"
      aria-orientation={edge === "top" ? "horizontal" : "vertical"}
      aria-label={label}
      aria-valuenow={Math.round(size)}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onKeyDown={onKeyDown}
    />
  );
}

const TITLES: Record<SidePanelName, string> = { palette: "the step palette", side: "the properties panel" };

/** The palette's or the properties panel's frame: the panel, its hide button and its splitter; or, collapsed, a strip that opens it. */
export function SidePanelFrame({ name, width, children }: { name: SidePanelName; width: number; children: ReactNode }) {
  const { choices } = usePanelChoices();
  const collapsed = choices[name].collapsed;
  const toggle = () => changePanels((current) => toggleSide(current, name));
  const inward = name === "palette" ? "«" : "»";
  const outward = name === "palette" ? "»" : "«";
  if (collapsed) {
    return (
      <div className={`panel-frame ${name}-frame collapsed`}>
        <button type="button" className="panel-strip" onClick={toggle} aria-expanded={false} aria-label={`Show ${TITLES[name]}`} title={`Show ${TITLES[name]}`} data-testid={`toggle-${name}`}>
          {outward}
          <span>{name === "palette" ? "Steps" : "Properties"}</span>
        </button>
      </div>
    );
  }
  return (
    <div className={`panel-frame ${name}-frame`}>
      {children}
      <button type="button" className="panel-hide" onClick={toggle} aria-expanded={true} aria-label={`Hide ${TITLES[name]}`} title={`Hide ${TITLES[name]}`} data-testid={`toggle-${name}`}>
        {inward}
      </button>
      <Splitter
        edge={name === "palette" ? "right" : "left"}
        label={`Resize ${TITLES[name]}`}
        size={width}
        onResize={(size) => changePanels((current) => resizeSide(current, name, size))}
        testId={`resize-${name}`}
      />
    </div>
  );
}

/** The run panel's frame, resized by its top edge. */
export function RunPanelFrame({ height, children }: { height: number; children: ReactNode }) {
  return (
    <div className="panel-frame run-frame">
      <Splitter edge="top" label="Resize the run panel" size={height} onResize={(size) => changePanels((current) => resizeRun(current, size))} testId="resize-run" />
      {children}
    </div>
  );
}
