/**
 * Inserting a new step into the chain: after a step (it takes over what that step fed) or into a
 * connection (it goes between the two steps). The new step follows its upstream step in the file
 * and sits one column to its right; the steps downstream move right when it would crowd them, so
 * that the chain stays a readable line. One edit each: the store records it as one undo step.
 *
 *     source → out     insertStepAfter(doc, "map", "source")     source → map_1 → out
 */

import { parseAfterRef, type FlowDefinition, type FlowStepOp } from "../../engine/host/index.js";
import { positionsOf } from "./canvas.js";
import { defaultStep } from "./defaults.js";
import { carryPositions, moveSteps } from "./edits.js";
import { COLUMN_GAP, NODE_HEIGHT, NODE_WIDTH, ROW_GAP, overlaps, type XY } from "./geometry.js";
import { setIn } from "./immutable.js";
import { afterOf, edgesOf, freshId, indexOfStep, stepKeys, stepsOf, usedIds } from "./steps.js";

export interface Inserted {
  readonly doc: FlowDefinition;
  /** The new step's id. */
  readonly id: string;
}

/**
 * `doc` with a new step of kind `op` fed by `upstream` and feeding every step `upstream` fed.
 * Undefined when that cannot be: an input takes no upstream step, and `upstream` must be a step
 * with an id.
 *
 * @example
 * // source → out
 * insertStepAfter(doc, "map", "source"); // { id: "map_1", doc: source → map_1 → out }
 */
export function insertStepAfter(doc: FlowDefinition, op: FlowStepOp, upstream: string): Inserted | undefined {
  if (op === "input" || upstream.startsWith("#") || indexOfStep(doc, upstream) < 0) return undefined;
  // What the step's items fed (its late items, if any, still go where they went).
  const downstream = edgesOf(doc)
    .filter(([from, , output]) => from === upstream && output === "main")
    .map(([, to]) => to);
  return insertBetween(doc, op, upstream, downstream);
}

/**
 * `doc` with a new step of kind `op` between `from` (an `after` entry: a step id, or "ID:late" for
 * a window step's late items) and `to`, which `from` fed. Undefined when `from` does not feed `to`,
 * or `op` is an input.
 *
 * @example
 * // source → transform → out
 * insertIntoConnection(doc, "filter", "transform", "out"); // source → transform → filter_1 → out
 * insertIntoConnection(doc, "map", "count:late", "late_out"); // count:late → map_1 → late_out
 */
export function insertIntoConnection(doc: FlowDefinition, op: FlowStepOp, from: string, to: string): Inserted | undefined {
  const { id: source, output } = parseAfterRef(from);
  const wanted = output === "late" ? "late" : "main";
  if (op === "input" || from.startsWith("#") || (output !== undefined && output !== "late")) return undefined;
  if (!edgesOf(doc).some(([a, b, drawn]) => a === source && b === to && drawn === wanted)) return undefined;
  return insertBetween(doc, op, from, [to]);
}

/** Whether two steps at these corners are closer than the layout's spacing. */
function crowds(a: XY, b: XY): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH + COLUMN_GAP && Math.abs(a.y - b.y) < NODE_HEIGHT + ROW_GAP;
}

/** The steps reachable downstream from `start` (included), `upstream` excluded. */
function downstreamClosure(doc: FlowDefinition, start: readonly string[], upstream: string): Set<string> {
  const edges = edgesOf(doc);
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (key === upstream || seen.has(key)) continue;
    seen.add(key);
    for (const [from, to] of edges) if (from === key) stack.push(to);
  }
  return seen;
}

/** `upstreamEntry` is the `after` entry the new step takes: the upstream step's id, or "ID:late". */
function insertBetween(doc: FlowDefinition, op: FlowStepOp, upstreamEntry: string, downstream: readonly string[]): Inserted {
  const upstream = parseAfterRef(upstreamEntry).id;
  const id = freshId(op, usedIds(doc));
  const keys = stepKeys(doc);
  const upstreamIndex = indexOfStep(doc, upstream);
  const rewired = new Set(downstream);
  const steps = stepsOf(doc).map((step, index) =>
    rewired.has(keys[index]!) ? setIn(step, ["after"], afterOf(step).map((name) => (name === upstreamEntry ? id : name))) : step,
  );
  steps.splice(upstreamIndex + 1, 0, defaultStep(op, id, [upstreamEntry]));
  const indexMap = keys.map((_, index) => (index <= upstreamIndex ? index : index + 1));
  const inserted = carryPositions(doc, { ...doc, steps }, indexMap);
  const newKeys = stepKeys(inserted);
  const newKeyOf = (key: string) => newKeys[indexMap[indexOfStep(doc, key)]!]!;

  // One column right of the upstream step; what it would crowd downstream moves right.
  const old = positionsOf(doc);
  const from = old[upstream]!;
  const spot = { x: from.x + NODE_WIDTH + COLUMN_GAP, y: from.y };
  const closure = downstreamClosure(doc, downstream, upstream);
  const crowded = [...closure].filter((key) => crowds(old[key]!, spot));
  const moves: Record<string, XY> = {};
  const shift = crowded.length === 0 ? 0 : spot.x + NODE_WIDTH + COLUMN_GAP - Math.min(...crowded.map((key) => old[key]!.x));
  if (shift > 0) for (const key of closure) moves[newKeyOf(key)] = { x: old[key]!.x + shift, y: old[key]!.y };
  const placed = keys.map((key) => moves[newKeyOf(key)] ?? old[key]!);
  let y = spot.y;
  while (placed.some((other) => overlaps(other, { x: spot.x, y }))) y += NODE_HEIGHT + ROW_GAP;
  moves[id] = { x: spot.x, y };
  return { doc: moveSteps(inserted, moves), id };
}
