/**
 * What the UI does to the canvas's view and focus: measures the visible part of the canvas (in
 * flow coordinates, with the minimap and zoom controls as covered corners) for placement.ts, pans
 * so that a step is shown, fits the view after a tidy-up, and moves the keyboard focus to a step,
 * the palette, the canvas or the Run button.
 */

import type { ReactFlowInstance } from "@xyflow/react";
import type { FlowDefinition } from "../../engine/host/index.js";
import { positionsOf } from "../state/canvas.js";
import { NODE_HEIGHT, NODE_WIDTH } from "../state/geometry.js";
import { panToShow, type Rect, type ViewArea } from "../state/placement.js";
import type { EditorStore } from "../state/editorStore.js";
import { announce } from "./announcer.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Flow = ReactFlowInstance<any, any>;

function flowElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>(".canvas .react-flow");
}

/** The visible canvas in flow coordinates (clipped to the window), and the overlays on it; undefined when it is not shown. */
export function measureViewArea(flow: Flow): ViewArea | undefined {
  const element = flowElement();
  if (!element) return undefined;
  const box = element.getBoundingClientRect();
  const left = Math.max(box.left, 0);
  const top = Math.max(box.top, 0);
  const right = Math.min(box.right, window.innerWidth);
  const bottom = Math.min(box.bottom, window.innerHeight);
  if (right - left < 1 || bottom - top < 1) return undefined;
  const toFlow = (l: number, t: number, r: number, b: number): Rect => {
    const a = flow.screenToFlowPosition({ x: l, y: t }, { snapToGrid: false });
    const z = flow.screenToFlowPosition({ x: r, y: b }, { snapToGrid: false });
    return { x: a.x, y: a.y, width: z.x - a.x, height: z.y - a.y };
  };
  const covered = [...element.querySelectorAll<HTMLElement>(".react-flow__panel")]
    .map((panel) => panel.getBoundingClientRect())
    .filter((rect) => rect.width > 0 && rect.height > 0)
    .map((rect) => toFlow(rect.left, rect.top, rect.right, rect.bottom));
  return { view: toFlow(left, top, right, bottom), covered };
}

/** Pans (keeping the zoom) so that step `id` is in view, clear of the minimap and controls. */
export function revealStep(flow: Flow, doc: FlowDefinition, id: string): void {
  const area = measureViewArea(flow);
  const position = positionsOf(doc)[id];
  if (!area || !position) return;
  const measured = flow.getInternalNode(id)?.measured;
  const rect = { x: position.x, y: position.y, width: Math.max(NODE_WIDTH, measured?.width ?? 0), height: Math.max(NODE_HEIGHT, measured?.height ?? 0) };
  const d = panToShow(rect, area);
  if (d.x === 0 && d.y === 0) return;
  const { x, y, zoom } = flow.getViewport();
  void flow.setViewport({ x: x - d.x * zoom, y: y - d.y * zoom, zoom }, { duration: 200 });
}

/** Runs `then` once React and React Flow have drawn the latest change (two animation frames). */
export function afterDraw(then: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(then));
}

/**
 * Tidy up: auto-layout of the selected steps (two or more) or of the whole flow, then fit the view
 * to it, once the canvas has drawn the new positions (a fit before that, on a busy machine, fits
 * the old ones); at most a second of frames, then it fits what there is.
 */
export function tidyUp(store: EditorStore, flow: Flow): void {
  const selection = store.getState().selection;
  store.getState().layout(selection.length > 1 ? selection : undefined);
  const laidOut = positionsOf(store.getState().doc);
  const drawn = () => flow.getNodes().every((node) => {
    const target = laidOut[node.id];
    return target === undefined || (node.position.x === target.x && node.position.y === target.y);
  });
  let frames = 60;
  const fit = () => {
    if (!drawn() && frames-- > 0) return afterDraw(fit);
    void flow.fitView({ duration: 200, maxZoom: 1, padding: 0.15 });
  };
  afterDraw(fit);
}

/** The node element of step `id` on the canvas, once drawn and measured (React Flow hides it until then). */
export function stepElement(id: string): HTMLElement | null {
  const element = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
  return element && element.style.visibility !== "hidden" ? element : null;
}

/** Moves the focus to step `id` on the canvas, waiting (a few frames at most) for it to be drawn. */
export function focusStep(id: string, frames = 60): void {
  const element = stepElement(id);
  if (element) element.focus();
  else if (frames > 0) requestAnimationFrame(() => focusStep(id, frames - 1));
}

/** Waits (a few frames at most) for an element, then focuses it. */
function focusWhenThere(find: () => HTMLElement | null | undefined, frames = 60): void {
  const element = find();
  if (element) element.focus();
  else if (frames > 0) requestAnimationFrame(() => focusWhenThere(find, frames - 1));
}

/** Opens step `id`'s form: selects it and focuses the form's first field once it is shown. */
export function openStepForm(store: EditorStore, id: string): void {
  store.getState().select([id]);
  focusWhenThere(() => {
    const idField = document.querySelector<HTMLInputElement>('.side [data-testid="step-form"] [data-testid="step-id"]');
    return idField && idField.value === id ? idField : undefined;
  });
}

export type Region = "palette" | "canvas" | "run";

/** Moves the focus to a region: the first palette entry, the selected (or first) step, or Run (Stop while a run goes on). */
export function focusRegion(region: Region, store: EditorStore): void {
  if (region === "palette") {
    document.querySelector<HTMLElement>(".palette .palette-item")?.focus();
  } else if (region === "run") {
    const run = document.querySelector<HTMLButtonElement>('[data-testid="run"]');
    (run && !run.disabled ? run : document.querySelector<HTMLElement>('[data-testid="stop"]'))?.focus();
  } else {
    const selection = store.getState().selection;
    const target = selection[selection.length - 1] ?? document.querySelector<HTMLElement>(".react-flow__node")?.dataset.id;
    if (target !== undefined) focusStep(target);
    else {
      document.querySelector<HTMLElement>(".canvas")?.focus();
      announce("The canvas is empty: add steps from the palette (Shift+Alt+P)");
    }
  }
}
