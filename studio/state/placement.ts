/**
 * Where a new step goes so that the user sees it: the visible part of the canvas (the view, in
 * flow coordinates) minus what covers it (the minimap, the zoom controls). `spotInView` finds a
 * free spot inside the view for a step that has no place of its own in the chain; `panToShow` says
 * how far to move the view so that a step placed elsewhere (right of the step it follows) comes
 * into view, clear of the covered corners. Pure: the UI measures the view and applies the result.
 */

import type { FlowDefinition } from "../../engine/host/index.js";
import { positionsOf } from "./canvas.js";
import { COLUMN_GAP, NODE_HEIGHT, NODE_WIDTH, ROW_GAP, overlaps, type XY } from "./geometry.js";

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The visible canvas and the parts of it that overlays cover, in flow coordinates. */
export interface ViewArea {
  readonly view: Rect;
  readonly covered: readonly Rect[];
}

/** Space kept between a revealed step and the edge of the view or an overlay (flow units). */
export const VIEW_MARGIN = 16;

/** The box of a step node whose top-left corner is at `p`. */
export function stepRect(p: XY): Rect {
  return { x: p.x, y: p.y, width: NODE_WIDTH, height: NODE_HEIGHT };
}

function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function shrink(rect: Rect, by: number): Rect {
  return { x: rect.x + by, y: rect.y + by, width: Math.max(0, rect.width - 2 * by), height: Math.max(0, rect.height - 2 * by) };
}

function grow(rect: Rect, by: number): Rect {
  return shrink(rect, -by);
}

function shifted(rect: Rect, d: XY): Rect {
  return { ...rect, x: rect.x + d.x, y: rect.y + d.y };
}

/** Whether a step at `p` is fully visible: inside the view and clear of every overlay. */
export function isInView(p: XY, area: ViewArea): boolean {
  const rect = stepRect(p);
  return inside(rect, area.view) && area.covered.every((cover) => !intersects(rect, cover));
}

/**
 * A spot for a new step inside the view, clear of overlays and of other steps, as near the
 * view's centre as there is one (searched outwards on a grid). When the view is full, its centre.
 *
 * @example
 * spotInView(doc, { view: { x: 0, y: 0, width: 800, height: 500 }, covered: [] }); // { x: 290, y: 205 } on an empty canvas
 */
export function spotInView(doc: FlowDefinition, area: ViewArea): XY {
  const taken = Object.values(positionsOf(doc));
  const usable = shrink(area.view, VIEW_MARGIN);
  const centre = { x: Math.round(area.view.x + area.view.width / 2 - NODE_WIDTH / 2), y: Math.round(area.view.y + area.view.height / 2 - NODE_HEIGHT / 2) };
  const stepX = (NODE_WIDTH + COLUMN_GAP) / 2;
  const stepY = (NODE_HEIGHT + ROW_GAP) / 2;
  const rings = Math.ceil(Math.max(area.view.width / stepX, area.view.height / stepY) / 2) + 1;
  for (let ring = 0; ring <= rings; ring++) {
    for (const [i, j] of ringCells(ring)) {
      const spot = { x: centre.x + i * stepX, y: centre.y + j * stepY };
      const rect = stepRect(spot);
      if (!inside(rect, usable) || area.covered.some((cover) => intersects(rect, grow(cover, VIEW_MARGIN)))) continue;
      if (taken.some((other) => overlaps(other, spot))) continue;
      return spot;
    }
  }
  return centre;
}

/** The grid cells at Chebyshev distance `ring` from (0, 0), nearest to the centre row first. */
function ringCells(ring: number): [number, number][] {
  if (ring === 0) return [[0, 0]];
  const cells: [number, number][] = [];
  for (let i = -ring; i <= ring; i++) for (let j = -ring; j <= ring; j++) if (Math.max(Math.abs(i), Math.abs(j)) === ring) cells.push([i, j]);
  return cells.sort((a, b) => Math.abs(a[1]) - Math.abs(b[1]) || Math.abs(a[0]) - Math.abs(b[0]));
}

/**
 * How far to move the view (in flow units; add it to the view's position) so that `rect` is
 * inside it with a margin and clear of the overlays, which move with the view. The smallest such
 * move; {0, 0} when it is already shown. A rect larger than the view gets its top-left corner shown.
 *
 * @example
 * panToShow({ x: 900, y: 100, width: 220, height: 90 }, { view: { x: 0, y: 0, width: 1000, height: 600 }, covered: [] }); // { x: 136, y: 0 }
 */
export function panToShow(rect: Rect, area: ViewArea): XY {
  const target = grow(rect, VIEW_MARGIN);
  const fit = (d: XY): XY => ({ x: d.x + fitAxis(target.x, target.width, area.view.x + d.x, area.view.width), y: d.y + fitAxis(target.y, target.height, area.view.y + d.y, area.view.height) });
  const clear = (d: XY) => inside(target, shifted(area.view, d)) && area.covered.every((cover) => !intersects(target, shifted(cover, d)));
  const base = fit({ x: 0, y: 0 });
  if (clear(base)) return base;
  // Try moving the view so that the rect sits just beside each overlay that covers it.
  const candidates: XY[] = [];
  for (const cover of area.covered) {
    const c = shifted(cover, base);
    if (!intersects(target, c)) continue;
    candidates.push(
      { x: base.x + (target.x + target.width - c.x), y: base.y }, // the rect left of the overlay
      { x: base.x - (c.x + c.width - target.x), y: base.y }, // right of it
      { x: base.x, y: base.y + (target.y + target.height - c.y) }, // above it
      { x: base.x, y: base.y - (c.y + c.height - target.y) }, // below it
    );
  }
  const distance = (d: XY) => Math.abs(d.x - base.x) + Math.abs(d.y - base.y);
  const best = candidates.filter(clear).sort((a, b) => distance(a) - distance(b))[0];
  return best ?? base;
}

/** The move along one axis that brings [start, start + size) inside [viewStart, viewStart + viewSize). */
function fitAxis(start: number, size: number, viewStart: number, viewSize: number): number {
  if (size > viewSize || start < viewStart) return start - viewStart;
  if (start + size > viewStart + viewSize) return start + size - (viewStart + viewSize);
  return 0;
}
