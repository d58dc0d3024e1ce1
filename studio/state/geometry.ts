/**
 * Sizes and spacing of step nodes on the canvas, shared by the fallback placement of steps without
 * a stored position (canvas.ts), auto-layout (layout.ts) and paste offsets (clipboard.ts).
 */

/** The size the layout reserves for a step node (the UI should draw nodes about this size). */
export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 90;

/** Space between columns (depths) and between rows of nodes. */
export const COLUMN_GAP = 80;
export const ROW_GAP = 40;

/** How far each successive paste is shifted from the one before. */
export const PASTE_OFFSET = 40;

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** Whether two nodes at these top-left corners would overlap. */
export function overlaps(a: XY, b: XY): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT;
}

/** Whether a value is a usable position ({x, y} finite numbers). */
export function isPosition(value: unknown): value is XY {
  if (typeof value !== "object" || value === null) return false;
  const { x, y } = value as { x?: unknown; y?: unknown };
  return typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y);
}
