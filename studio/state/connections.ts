/**
 * Connecting steps: `connect` and `disconnect` edit the target's `after`, and `canConnect` says
 * whether a connection is allowed BEFORE it is made (React Flow's `isValidConnection`).
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
import { afterOf, indexOfStep, isObject, stepsOf } from "./steps.js";

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

/** Whether `from` (a step id, or "ID:late" for a window step's late items) may feed `to`; when not, why (in words for a tooltip). */
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
  return { ok: false, reason: reasonFor(problem, from, to), code: problem.code };
}

function reasonFor(problem: FlowProblem, from: string, to: string): string {
  switch (problem.code) {
    case "FLOW_CYCLE":
      return from === to ? "A step cannot feed itself" : `This would make a cycle: ${JSON.stringify(to)} already feeds ${JSON.stringify(from)}`;
    case "FLOW_DUPLICATE_AFTER":
      return `${JSON.stringify(from)} already feeds ${JSON.stringify(to)}`;
    case "FLOW_INPUT_AFTER":
      return `${JSON.stringify(to)} is an input: inputs start streams and take no upstream step`;
    default:
      return problem.message;
  }
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
