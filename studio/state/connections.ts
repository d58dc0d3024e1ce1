/**
 * Connecting steps: `connect` and `disconnect` edit the target's `after`, and `canConnect` says
 * whether a connection is allowed BEFORE it is made, and why not: it is the one decision behind
 * React Flow's `isValidConnection`, the reason shown on the canvas while the user drags, and the
 * keyboard's connect menu (connectChoices.ts). `describeConnection` says a connection in words.
 *
 * canConnect does not restate the graph rules: it makes the connection on a copy and runs the
 * validator's own graph pass (engine/flow/graphProblems.ts) on it; a connection is refused when it
 * adds a graph problem (a self loop, a repeat in `after`, an `after` on an input, a cycle). Only the
 * wording of the reason is the studio's. A capture passes its items on, so it may feed other steps.
 */

import type { FlowDefinition, FlowProblem, FlowProblemCode } from "../../engine/host/index.js";
import { graphProblems } from "../../engine/host/index.js";
import { Context } from "../../engine/host/index.js";
import { setIn } from "./immutable.js";
import { parseAfterRef } from "../../engine/host/index.js";
import { afterOf, edgesOf, indexOfStep, isObject, stepsOf } from "./steps.js";

export type CanConnect = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly code?: FlowProblemCode };

/** The graph problems of a document (the validator's pass 2 alone). */
function graphProblemsOf(doc: unknown): FlowProblem[] {
  const problems: FlowProblem[] = [];
  graphProblems(new Context(doc, problems));
  return problems;
}

const baselineCache = new WeakMap<FlowDefinition, ReadonlySet<string>>();

function problemKey(problem: FlowProblem): string {
  return `${problem.code}\u0000${problem.path}\u0000${problem.message}`;
}

function baseline(doc: FlowDefinition): ReadonlySet<string> {
  let keys = baselineCache.get(doc);
  if (!keys) {
    keys = new Set(graphProblemsOf(doc).map(problemKey));
    baselineCache.set(doc, keys);
  }
  return keys;
}

/**
 * Whether `from` (a step id, or "ID:late" for a window step's late items) may feed `to`; when not,
 * why, in words for the canvas.
 *
 * @example
 * // source → transform → out
 * canConnect(doc, "out", "transform"); // { ok: false, code: "FLOW_CYCLE", reason: 'This would make a cycle: "out" → "transform" → "out"' }
 */
export function canConnect(doc: FlowDefinition, from: string, to: string): CanConnect {
  const fromIndex = indexOfStep(doc, parseAfterRef(from).id);
  const toIndex = indexOfStep(doc, to);
  if (fromIndex < 0) return { ok: false, reason: `There is no step ${JSON.stringify(from)}` };
  if (toIndex < 0) return { ok: false, reason: `There is no step ${JSON.stringify(to)}` };
  if (from.startsWith("#")) return { ok: false, reason: "Give this step a unique id before connecting it to other steps" };
  const before = baseline(doc);
  const added = graphProblemsOf(appendAfter(doc, toIndex, from)).filter((problem) => !before.has(problemKey(problem)));
  const problem = added[0];
  if (!problem) return { ok: true };
  return { ok: false, reason: reasonFor(doc, problem, from, to), code: problem.code };
}

function reasonFor(doc: FlowDefinition, problem: FlowProblem, from: string, to: string): string {
  switch (problem.code) {
    case "FLOW_CYCLE": {
      const source = parseAfterRef(from).id;
      if (source === to) return "A step cannot feed itself";
      const path = pathBetween(doc, to, source);
      return path ? `This would make a cycle: ${[from, ...path].map((name) => JSON.stringify(name)).join(" → ")}` : `This would make a cycle: ${JSON.stringify(to)} already feeds ${JSON.stringify(from)}`;
    }
    case "FLOW_DUPLICATE_AFTER":
      return `${JSON.stringify(from)} already feeds ${JSON.stringify(to)}`;
    case "FLOW_INPUT_AFTER":
      return `${JSON.stringify(to)} is an input: inputs start streams and take no upstream step`;
    default:
      return problem.message;
  }
}

/** The shortest chain of connections from `start` down to `end` (both included), or undefined. */
function pathBetween(doc: FlowDefinition, start: string, end: string): string[] | undefined {
  const downstream = new Map<string, string[]>();
  for (const [a, b] of edgesOf(doc)) downstream.set(a, [...(downstream.get(a) ?? []), b]);
  const cameFrom = new Map<string, string>([[start, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const key = queue.shift()!;
    if (key === end) {
      const path = [key];
      while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
      return path;
    }
    for (const next of downstream.get(key) ?? []) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, key);
      queue.push(next);
    }
  }
  return undefined;
}

/** The document with `from` appended to the `after` of the step at `toIndex`, unchecked. */
function appendAfter(doc: FlowDefinition, toIndex: number, from: string): FlowDefinition {
  const step: unknown = stepsOf(doc)[toIndex];
  const after = isObject(step) && Array.isArray(step.after) ? step.after : [];
  return setIn(doc, ["steps", toIndex, "after"], [...after, from]);
}

/** `doc` with `from` feeding `to`; `doc` itself when the connection is refused (see canConnect). */
export function connect(doc: FlowDefinition, from: string, to: string): FlowDefinition {
  if (!canConnect(doc, from, to).ok) return doc;
  return appendAfter(doc, indexOfStep(doc, to), from);
}

/** `doc` without `from` in the `after` of `to` (an `after` left empty is removed); `doc` when not connected. */
export function disconnect(doc: FlowDefinition, from: string, to: string): FlowDefinition {
  const toIndex = indexOfStep(doc, to);
  const step: unknown = stepsOf(doc)[toIndex];
  if (toIndex < 0 || !isObject(step) || !afterOf(step).includes(from)) return doc;
  const after = (step.after as unknown[]).filter((name) => name !== from);
  return setIn(doc, ["steps", toIndex, "after"], after.length > 0 ? after : undefined);
}

/**
 * A connection in words, for announcements and screen readers: `from` is an `after` entry, so a
 * window step's late items ("ID:late") are named as such. `removed` says it no longer holds.
 *
 * @example
 * describeConnection("count", "out"); // "count feeds out"
 * describeConnection("count:late", "late_out"); // "the late items of count feed late_out"
 * describeConnection("count:late", "late_out", { removed: true }); // "the late items of count no longer feed late_out"
 */
export function describeConnection(from: string, to: string, options: { readonly removed?: boolean } = {}): string {
  const { id, output } = parseAfterRef(from);
  const late = output === "late";
  const verb = late ? "feed" : "feeds";
  return `${late ? `the late items of ${id}` : from} ${options.removed === true ? `no longer ${verb}` : verb} ${to}`;
}
