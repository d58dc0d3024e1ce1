/**
 * Auto-layout with dagre: left to right, in columns by depth. Lays out the whole flow, or only the
 * given steps (then the laid-out group keeps the top-left corner it had, and the other steps stay
 * where they are). Returns a new document with the new positions in `ui.positions`; the store
 * records it as one undoable edit.
 */

import dagre from "@dagrejs/dagre";
import type { FlowDefinition } from "../../engine/host/index.js";
import { positionsOf } from "./canvas.js";
import { moveSteps } from "./edits.js";
import { COLUMN_GAP, NODE_HEIGHT, NODE_WIDTH, ROW_GAP, type XY } from "./geometry.js";
import { edgesOf, indexOfStep, stepKeys } from "./steps.js";

export { NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, ROW_GAP } from "./geometry.js";

/** New top-left positions for the steps with these keys (all steps when omitted), by key. */
export function layoutPositions(doc: FlowDefinition, keys?: Iterable<string>): Record<string, XY> {
  const chosen = keys === undefined ? [...stepKeys(doc)] : [...new Set(keys)].filter((key) => indexOfStep(doc, key) >= 0);
  if (chosen.length === 0) return {};
  const inside = new Set(chosen);
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: ROW_GAP, ranksep: COLUMN_GAP, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  // Document order, so that ties break the same way every time.
  for (const key of stepKeys(doc)) if (inside.has(key)) graph.setNode(key, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [from, to] of edgesOf(doc)) if (inside.has(from) && inside.has(to)) graph.setEdge(from, to);
  dagre.layout(graph);

  const laidOut = chosen.map((key) => {
    const node = graph.node(key) as { x: number; y: number };
    return { key, x: Math.round(node.x - NODE_WIDTH / 2), y: Math.round(node.y - NODE_HEIGHT / 2) };
  });
  // A partial layout keeps the group's top-left corner where it was; a full one starts at (0, 0).
  const current = positionsOf(doc);
  const anchor = keys === undefined ? { x: 0, y: 0 } : corner(chosen.map((key) => current[key]!));
  const from = corner(laidOut);
  return Object.fromEntries(laidOut.map(({ key, x, y }) => [key, { x: x - from.x + anchor.x, y: y - from.y + anchor.y }]));
}

function corner(points: readonly XY[]): XY {
  return { x: Math.min(...points.map((p) => p.x)), y: Math.min(...points.map((p) => p.y)) };
}

/** `doc` laid out (all steps, or only `keys`); the same document when nothing moves. */
export function autoLayout(doc: FlowDefinition, keys?: Iterable<string>): FlowDefinition {
  return moveSteps(doc, layoutPositions(doc, keys));
}
