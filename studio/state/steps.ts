/**
 * Naming the steps of a flow document on the canvas. A step's key (its node id) is its `id`; a
 * step that has no string id, or repeats an id used by an earlier step, is keyed by its index as
 * `#N` (never a valid step id), so that even an imported, invalid flow shows every step and the user
 * can fix it. `after` names the FIRST step with an id, as the validator does (graphProblems.ts).
 * Keys are memoized on the identity of the steps array.
 */

import { afterRefText, parseAfterRef } from "../../engine/host/index.js";
import type { FlowDefinition, FlowStep } from "../../engine/host/index.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The steps of a document, always an array (an imported document may be far from a flow). */
export function stepsOf(doc: FlowDefinition): readonly FlowStep[] {
  return Array.isArray(doc.steps) ? doc.steps : [];
}

/** The key of a step that has no usable id: `#` and its index. */
export function indexKey(index: number): string {
  return `#${index}`;
}

interface KeyIndex {
  readonly keys: readonly string[];
  readonly byKey: ReadonlyMap<string, number>;
}

const keyCache = new WeakMap<readonly unknown[], KeyIndex>();

function keyIndex(doc: FlowDefinition): KeyIndex {
  const steps = stepsOf(doc);
  const cached = keyCache.get(steps);
  if (cached) return cached;
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  steps.forEach((step: unknown, index) => {
    const id = isObject(step) && typeof step.id === "string" ? step.id : undefined;
    const key = id !== undefined && !byKey.has(id) ? id : indexKey(index);
    keys.push(key);
    byKey.set(key, index);
  });
  const built = { keys, byKey };
  keyCache.set(steps, built);
  return built;
}

/** The key of every step, in document order. */
export function stepKeys(doc: FlowDefinition): readonly string[] {
  return keyIndex(doc).keys;
}

/** The index of the step with this key (an id or `#N`), or -1. */
export function indexOfStep(doc: FlowDefinition, key: string): number {
  return keyIndex(doc).byKey.get(key) ?? -1;
}

/** The step with this key, as a plain object (undefined when absent or not an object). */
export function stepByKey(doc: FlowDefinition, key: string): JsonObject | undefined {
  const index = indexOfStep(doc, key);
  const step: unknown = index < 0 ? undefined : stepsOf(doc)[index];
  return isObject(step) ? step : undefined;
}

/** The op of a step as a string ("?" when it has none). */
export function opOf(step: unknown): string {
  return isObject(step) && typeof step.op === "string" ? step.op : "?";
}

/** The string entries of a step's `after` (whatever else it holds is the validator's business). */
export function afterOf(step: unknown): readonly string[] {
  if (!isObject(step) || !Array.isArray(step.after)) return [];
  return step.after.filter((name): name is string => typeof name === "string");
}

/**
 * The upstream edges of the document as [fromKey, toKey, output] triples, deduplicated, known steps
 * only; `output` is "late" for an `after` entry "ID:late" (a window step's late items), else "main".
 */
export function edgesOf(doc: FlowDefinition): readonly (readonly [from: string, to: string, output: "main" | "late"])[] {
  const { keys, byKey } = keyIndex(doc);
  const edges: [string, string, "main" | "late"][] = [];
  stepsOf(doc).forEach((step, index) => {
    const to = keys[index]!;
    const seen = new Set<string>();
    for (const name of afterOf(step)) {
      const { id: from, output } = parseAfterRef(name);
      if (seen.has(name) || !byKey.has(from) || from === to || (output !== undefined && output !== "late")) continue;
      seen.add(name);
      edges.push([from, to, output === "late" ? "late" : "main"]);
    }
  });
  return edges;
}

/**
 * The `after` entry an edge from `source` stands for: the step's id, or "ID:late" from its late handle.
 *
 * @example
 * afterEntryOf("count", "late"); // "count:late"
 */
export function afterEntryOf(source: string, sourceHandle: string | null | undefined): string {
  return afterRefText(source, sourceHandle === "late" ? "late" : undefined);
}

/** The step ids used in the document (string ids only), for making fresh ones. */
export function usedIds(doc: FlowDefinition): ReadonlySet<string> {
  return new Set(stepsOf(doc).flatMap((step: unknown) => (isObject(step) && typeof step.id === "string" ? [step.id] : [])));
}

/**
 * A step id not in `used`: `base` itself when free and `preferBase`, else `stem_N` with the
 * smallest N from 1 (or the number after the stem's own trailing `_N`, for pasted copies).
 */
export function freshId(base: string, used: ReadonlySet<string>, preferBase = false): string {
  if (preferBase && !used.has(base)) return base;
  const match = /^(.*?)_(\d+)$/.exec(base);
  const stem = match ? match[1]! : base;
  let n = match ? Number(match[2]) + 1 : 1;
  while (used.has(`${stem}_${n}`)) n += 1;
  return `${stem}_${n}`;
}
