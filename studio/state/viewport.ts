/**
 * The view a flow opens at: readable first. Step text must be at least READABLE_TEXT_PX on screen,
 * so the opening zoom is never below READABLE_ZOOM (the smallest step font, STEP_FONT_MIN_PX in
 * styles.css, times the zoom). When the whole flow fits at a readable zoom it is centred; when it
 * does not, the view starts where the flow starts (its top-left, where the inputs are) and the rest
 * is a pan away.
 */

import { NODE_HEIGHT, NODE_WIDTH, type XY } from "./geometry.js";

/** The smallest font size of text on a step node, in CSS pixels (styles.css `.step-node`). */
export const STEP_FONT_MIN_PX = 12;
/** The smallest effective size of step text at the opening zoom. */
export const READABLE_TEXT_PX = 12;
/** The zoom below which step text is smaller than READABLE_TEXT_PX. */
export const READABLE_ZOOM = READABLE_TEXT_PX / STEP_FONT_MIN_PX;
/** The largest opening zoom (a small flow is not blown up). */
export const OPENING_MAX_ZOOM = 1;
/** Space kept between the flow and the canvas's edges, in screen pixels. */
export const VIEW_PADDING = 24;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** The rectangle around steps at these top-left corners (each NODE_WIDTH × NODE_HEIGHT); undefined for none. */
export function stepBounds(positions: readonly XY[]): Rect | undefined {
  if (positions.length === 0) return undefined;
  const left = Math.min(...positions.map((p) => p.x));
  const top = Math.min(...positions.map((p) => p.y));
  const right = Math.max(...positions.map((p) => p.x + NODE_WIDTH));
  const bottom = Math.max(...positions.map((p) => p.y + NODE_HEIGHT));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The viewport (React Flow's: screen = flow × zoom + x) that shows `bounds` on a canvas of `size`
 * at a readable zoom: as large as fits, between `minZoom` and `maxZoom`; centred on each axis where
 * it fits, else aligned to its start (left, top).
 *
 * @example
 * readableViewport({ x: 0, y: 0, width: 2000, height: 90 }, { width: 600, height: 400 });
 * // { x: 24, y: 155, zoom: 1 }: too wide to fit readable, so its left end shows, centred vertically
 */
export function readableViewport(
  bounds: Rect,
  size: { readonly width: number; readonly height: number },
  options: { minZoom?: number; maxZoom?: number; padding?: number } = {},
): Viewport {
  const minZoom = options.minZoom ?? READABLE_ZOOM;
  const maxZoom = Math.max(minZoom, options.maxZoom ?? OPENING_MAX_ZOOM);
  const padding = options.padding ?? VIEW_PADDING;
  const room = { width: Math.max(1, size.width - 2 * padding), height: Math.max(1, size.height - 2 * padding) };
  const fit = Math.min(room.width / Math.max(1, bounds.width), room.height / Math.max(1, bounds.height));
  const zoom = Math.min(maxZoom, Math.max(minZoom, fit));
  const axis = (start: number, extent: number, screen: number): number => {
    const shown = extent * zoom;
    return shown <= screen - 2 * padding ? (screen - shown) / 2 - start * zoom : padding - start * zoom;
  };
  return { x: axis(bounds.x, bounds.width, size.width), y: axis(bounds.y, bounds.height, size.height), zoom };
}
