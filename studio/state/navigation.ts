/**
 * Moving between steps with the keyboard: along connections (downstream, upstream) and between
 * siblings (the steps fed by the same steps, or the steps that nothing feeds), in the order they
 * are drawn. Where no connection leads, the nearest step on the canvas in that direction, so that
 * every step, connected or not, can be reached with the arrow keys.
 */

import type { FlowDefinition } from "../../engine/host/index.js";
import { positionsOf } from "./canvas.js";
import type { XY } from "./geometry.js";
import { edgesOf, indexOfStep, opOf, stepKeys, stepsOf } from "./steps.js";

export type StepDirection = "downstream" | "upstream" | "previous" | "next";

/**
 * The step to go to from `key` in `direction`, or undefined when there is none.
 *
 * @example
 * // source → transform → out
 * neighbourStep(doc, "transform", "downstream"); // "out"
 * neighbourStep(doc, "transform", "upstream"); // "source"
 */
export function neighbourStep(doc: FlowDefinition, key: string, direction: StepDirection): string | undefined {
  if (indexOfStep(doc, key) < 0) return undefined;
  const positions = positionsOf(doc);
  const here = positions[key]!;
  const edges = edgesOf(doc);
  const byPosition = (a: string, b: string) => positions[a]!.y - positions[b]!.y || positions[a]!.x - positions[b]!.x;
  if (direction === "downstream" || direction === "upstream") {
    const linked = edges.filter(([from, to]) => (direction === "downstream" ? from === key : to === key)).map(([from, to]) => (direction === "downstream" ? to : from));
    const nearestInRow = [...linked].sort((a, b) => Math.abs(positions[a]!.y - here.y) - Math.abs(positions[b]!.y - here.y) || byPosition(a, b))[0];
    return nearestInRow ?? nearestOnCanvas(positions, key, direction === "downstream" ? "right" : "left");
  }
  const upstream = edges.filter(([, to]) => to === key).map(([from]) => from);
  const siblings = upstream.length > 0 ? new Set(edges.filter(([from]) => upstream.includes(from)).map(([, to]) => to)) : new Set(stepKeys(doc).filter((other) => !edges.some(([, to]) => to === other)));
  const ordered = [...siblings].sort(byPosition);
  const at = ordered.indexOf(key);
  const sibling = ordered[direction === "previous" ? at - 1 : at + 1];
  return sibling ?? nearestOnCanvas(positions, key, direction === "previous" ? "up" : "down");
}

/** The nearest step strictly on that side of `key` (distance across the direction counts double). */
function nearestOnCanvas(positions: Readonly<Record<string, XY>>, key: string, side: "left" | "right" | "up" | "down"): string | undefined {
  const here = positions[key]!;
  let best: { key: string; cost: number } | undefined;
  for (const [other, p] of Object.entries(positions)) {
    if (other === key) continue;
    const along = side === "right" ? p.x - here.x : side === "left" ? here.x - p.x : side === "down" ? p.y - here.y : here.y - p.y;
    const across = side === "left" || side === "right" ? Math.abs(p.y - here.y) : Math.abs(p.x - here.x);
    if (along <= 0) continue;
    const cost = along + 2 * across;
    if (!best || cost < best.cost) best = { key: other, cost };
  }
  return best?.key;
}

/**
 * A step in words, with what feeds it and what it feeds (a window step's late items named apart):
 * the label screen readers read on the canvas and the announcement after an arrow key.
 *
 * @example
 * describeStep(doc, "transform"); // 'transform, a map step, fed by source, feeds out'
 * describeStep(doc, "count"); // 'count, a count_window step, fed by inp, feeds out, its late items feed late_out'
 */
export function describeStep(doc: FlowDefinition, key: string): string {
  const index = indexOfStep(doc, key);
  if (index < 0) return key;
  const step = stepsOf(doc)[index] as { op?: unknown; label?: unknown };
  const name = typeof step.label === "string" && step.label !== "" ? `${step.label} (${key})` : key;
  const edges = edgesOf(doc);
  const fedBy = edges.filter(([, to]) => to === key).map(([from, , output]) => (output === "late" ? `the late items of ${from}` : from));
  const feeds = edges.filter(([from, , output]) => from === key && output === "main").map(([, to]) => to);
  const lateFeeds = edges.filter(([from, , output]) => from === key && output === "late").map(([, to]) => to);
  const op = opOf(step);
  const parts = [name, `${/^[aeiou]/.test(op) ? "an" : "a"} ${op} step`];
  if (fedBy.length > 0) parts.push(`fed by ${fedBy.join(" and ")}`);
  if (feeds.length > 0) parts.push(`feeds ${feeds.join(" and ")}`);
  if (lateFeeds.length > 0) parts.push(`its late items feed ${lateFeeds.join(" and ")}`);
  if (fedBy.length === 0 && feeds.length === 0 && lateFeeds.length === 0) parts.push("not connected");
  return parts.join(", ");
}
