/**
 * The canvas derived from the flow document: React Flow nodes (one per step, id = step key) and
 * edges (one per `after` entry naming a known step). Nothing here is ever written back: the
 * document is the single source of truth, the canvas is a view of it.
 *
 * Node `data` is only `{ stepId, op }`, so that node objects stay stable; live stats and problems
 * are looked up by step id in their own stores. A step without a stored position gets a fallback:
 * its column is its depth (longest path from an input), its row the first free one in that column.
 * Passing the previous canvas reuses the node and edge objects that did not change, so React Flow
 * re-renders only what moved or changed. A connection that runs back to the left (a chain wrapped
 * onto a second row) is drawn in right angles (`smoothstep`) instead of a curve across the canvas.
 */

import type { Edge, Node } from "@xyflow/react";
import type { FlowDefinition, FlowProblem } from "../../engine/host/index.js";
import { COLUMN_GAP, NODE_HEIGHT, NODE_WIDTH, ROW_GAP, isPosition, overlaps, type XY } from "./geometry.js";
import { afterOf, edgesOf, isObject, opOf, stepKeys, stepsOf } from "./steps.js";

export type StepNodeData = { stepId: string; op: string };
export type StepNode = Node<StepNodeData, "step">;
export type FlowEdge = Edge;

export interface Canvas {
  readonly nodes: StepNode[];
  readonly edges: FlowEdge[];
}

export interface CanvasOptions {
  /** Step keys to mark `selected` (React Flow in controlled mode takes selection from the nodes). */
  readonly selected?: Iterable<string>;
  /** The canvas derived last time: unchanged nodes and edges are reused as they are. */
  readonly previous?: Canvas;
}

/** The class name of a node whose step has problems (in `problemsByStep`). */
export const INVALID_NODE_CLASS = "eddy-step--invalid";

/** The positions stored in `ui.positions`, by step key (only well-formed ones). */
export function storedPositions(doc: FlowDefinition): Readonly<Record<string, XY>> {
  const positions = isObject(doc.ui) && isObject(doc.ui.positions) ? doc.ui.positions : {};
  const result: Record<string, XY> = {};
  for (const [key, value] of Object.entries(positions)) if (isPosition(value)) result[key] = { x: value.x, y: value.y };
  return result;
}

/** The depth of each step key: 0 for steps with no known upstream, else 1 + the deepest upstream. */
export function depths(doc: FlowDefinition): ReadonlyMap<string, number> {
  const upstream = new Map<string, string[]>();
  for (const key of stepKeys(doc)) upstream.set(key, []);
  for (const [from, to] of edgesOf(doc)) upstream.get(to)!.push(from);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    if (visiting.has(key)) return 0; // a cycle: the validator reports it; any depth will do
    visiting.add(key);
    let d = 0;
    for (const from of upstream.get(key) ?? []) d = Math.max(d, visit(from) + 1);
    visiting.delete(key);
    depth.set(key, d);
    return d;
  };
  for (const key of stepKeys(doc)) visit(key);
  return depth;
}

const positionCache = new WeakMap<FlowDefinition, Readonly<Record<string, XY>>>();

/** The position of every step: stored, or a fallback that overlaps no other step. Memoized per document. */
export function positionsOf(doc: FlowDefinition): Readonly<Record<string, XY>> {
  const cached = positionCache.get(doc);
  if (cached) return cached;
  const stored = storedPositions(doc);
  const result: Record<string, XY> = {};
  const placed: XY[] = [];
  for (const key of stepKeys(doc)) {
    const position = stored[key];
    if (position) {
      result[key] = position;
      placed.push(position);
    }
  }
  const depth = depths(doc);
  for (const key of stepKeys(doc)) {
    if (result[key]) continue;
    const x = (depth.get(key) ?? 0) * (NODE_WIDTH + COLUMN_GAP);
    let y = 0;
    while (placed.some((other) => overlaps(other, { x, y }))) y += NODE_HEIGHT + ROW_GAP;
    result[key] = { x, y };
    placed.push(result[key]);
  }
  positionCache.set(doc, result);
  return result;
}

/** Whether every step has a stored position. */
export function hasAllPositions(doc: FlowDefinition): boolean {
  const stored = storedPositions(doc);
  return stepKeys(doc).every((key) => stored[key] !== undefined);
}

/**
 * The document with every step's position stored (fallbacks written into `ui.positions`), so that
 * later edits never move steps the user has not moved. Returns `doc` itself when nothing is missing.
 */
export function pinPositions(doc: FlowDefinition): FlowDefinition {
  if (hasAllPositions(doc)) return doc;
  const ui = isObject(doc.ui) ? doc.ui : {};
  const positions = isObject(ui.positions) ? ui.positions : {};
  return { ...doc, ui: { ...ui, positions: { ...positions, ...positionsOf(doc) } } as FlowDefinition["ui"] };
}

/** The React Flow nodes and edges for `doc`. */
export function flowToCanvas(
  doc: FlowDefinition,
  problemsByStep?: ReadonlyMap<string, readonly FlowProblem[]>,
  options: CanvasOptions = {},
): Canvas {
  const positions = positionsOf(doc);
  const selected = new Set(options.selected ?? []);
  const previousNodes = new Map((options.previous?.nodes ?? []).map((node) => [node.id, node]));
  const previousEdges = new Map((options.previous?.edges ?? []).map((edge) => [edge.id, edge]));
  const steps = stepsOf(doc);
  const nodes = stepKeys(doc).map((key, index): StepNode => {
    const op = opOf(steps[index]);
    const position = positions[key]!;
    const invalid = (problemsByStep?.get(key)?.length ?? 0) > 0;
    const isSelected = selected.has(key);
    const old = previousNodes.get(key);
    if (
      old &&
      old.data.op === op &&
      old.position.x === position.x &&
      old.position.y === position.y &&
      (old.selected ?? false) === isSelected &&
      (old.className === INVALID_NODE_CLASS) === invalid
    ) {
      return old;
    }
    return {
      id: key,
      type: "step",
      position: { x: position.x, y: position.y },
      data: { stepId: key, op },
      ...(isSelected && { selected: true }),
      ...(invalid && { className: INVALID_NODE_CLASS }),
    };
  });
  const sideLabels = joinSideLabels(doc);
  const edges = edgesOf(doc).map(([from, to, output]): FlowEdge => {
    const late = output === "late";
    // A window step's late items leave from its "late" handle, labelled (and with the side, into a join).
    const id = edgeId(late ? `${from}:late` : from, to);
    const back = isBackEdge(positions[from]!, positions[to]!);
    const side = sideLabels.get(id);
    const label = late ? (side === undefined ? "late" : `late, ${side}`) : side;
    const old = previousEdges.get(id);
    if (old && (old.type === BACK_EDGE_TYPE) === back && old.label === label) return old;
    return {
      id,
      source: from,
      target: to,
      ...(late && { sourceHandle: "late", className: "late-edge" }),
      ...(back && { type: BACK_EDGE_TYPE }),
      ...(label !== undefined && { label }),
    };
  });
  return { nodes, edges };
}

/** How a connection that runs back to the left is drawn: in right angles, along the gap between rows, not across the canvas. */
export const BACK_EDGE_TYPE = "smoothstep";

/**
 * Whether a connection between steps at these top-left corners runs back: its target's input (left
 * side) is left of its source's output (right side), as when a long chain wraps to a new row.
 */
export function isBackEdge(source: XY, target: XY): boolean {
  return target.x < source.x + NODE_WIDTH;
}

/** "side N" for each edge into a join or join_window step, by edge id: which side of the join it feeds (a side may be "ID:late"). */
function joinSideLabels(doc: FlowDefinition): Map<string, string> {
  const labels = new Map<string, string>();
  const keys = stepKeys(doc);
  stepsOf(doc).forEach((step, index) => {
    const op = opOf(step);
    if (op !== "join" && op !== "join_window") return;
    afterOf(step).forEach((from, side) => labels.set(edgeId(from, keys[index]!), `side ${side}`));
  });
  return labels;
}

/** The id of the edge from `from` (an `after` entry: a step id, or "ID:late") to `to`. */
export function edgeId(from: string, to: string): string {
  return `${from}->${to}`;
}
