/**
 * Copy and paste of steps as flow-file text: a copy is a small flow file (`format`, `version`,
 * `name`, the selected steps, their positions), so it can be pasted into another tab, into an issue
 * or into a file. Only the `after` references inside the selection are kept.
 *
 * Paste re-ids steps whose id is taken (map_1 → map_2 ...), rewrites `after` among the pasted
 * steps (references to steps outside the fragment are dropped), and shifts the fragment so that
 * it lands at `at` (or just below-right of where it was copied from); when that spot is taken, it
 * cascades further, so pasting again and again never stacks steps on top of each other.
 */

import { afterRefText, parseAfterRef } from "../../engine/host/index.js";
import { FLOW_FORMAT, FLOW_FORMAT_VERSION, STEP_ID_PATTERN, formatFlow, migrateFlow, parseFlow, type FlowDefinition, type FlowStep } from "../../engine/host/index.js";
import { positionsOf } from "./canvas.js";
import { PASTE_OFFSET, type XY } from "./geometry.js";
import { setIn } from "./immutable.js";
import { freshId, indexOfStep, isObject, stepKeys, stepsOf, usedIds, type JsonObject } from "./steps.js";

/** The flow-file text holding the steps with these keys (document order), or undefined when none. */
export function copySteps(doc: FlowDefinition, keys: Iterable<string>): string | undefined {
  const indices = [...new Set([...keys].map((key) => indexOfStep(doc, key)).filter((index) => index >= 0))].sort((a, b) => a - b);
  const allKeys = stepKeys(doc);
  const positions = positionsOf(doc);
  const picked = indices
    .map((index) => ({ step: stepsOf(doc)[index] as unknown, key: allKeys[index]! }))
    .filter((entry): entry is { step: JsonObject & { id: string }; key: string } => isObject(entry.step) && typeof entry.step.id === "string");
  if (picked.length === 0) return undefined;
  const inside = new Set(picked.map(({ step }) => step.id));
  const steps = picked.map(({ step }) => {
    if (!Array.isArray(step.after)) return step;
    const after = step.after.filter((name) => typeof name === "string" && inside.has(parseAfterRef(name).id));
    return after.length === step.after.length ? step : setIn(step, ["after"], after.length > 0 ? after : undefined);
  });
  const fragmentPositions = Object.fromEntries(picked.map(({ step, key }) => [step.id, positions[key]!]));
  const fragment = {
    format: FLOW_FORMAT,
    version: FLOW_FORMAT_VERSION,
    ...(typeof doc.name === "string" && { name: doc.name }),
    steps,
    ui: { positions: fragmentPositions },
  };
  return formatFlow(fragment);
}

export type PasteResult =
  | { readonly ok: true; readonly doc: FlowDefinition; readonly pastedIds: readonly string[] }
  | { readonly ok: false; readonly error: string };

const NOT_STEPS = "The clipboard does not hold Eddy steps";

/** Reads a copied fragment: a flow file whose steps are objects with a string id and op. */
function readFragment(text: string): { ok: true; fragment: FlowDefinition } | { ok: false; error: string } {
  const parsed = parseFlow(text);
  if (!parsed.ok) return { ok: false, error: `${NOT_STEPS}: ${parsed.problems[0]?.message ?? "it is not JSON"}` };
  let value: unknown;
  try {
    value = migrateFlow(parsed.value);
  } catch (error) {
    return { ok: false, error: `${NOT_STEPS}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isObject(value) || value.format !== FLOW_FORMAT) return { ok: false, error: `${NOT_STEPS}: expected a flow (an object with "format": "${FLOW_FORMAT}")` };
  if (!Array.isArray(value.steps) || value.steps.length === 0) return { ok: false, error: `${NOT_STEPS}: the flow has no steps` };
  const bad = value.steps.findIndex((step: unknown) => !isObject(step) || typeof step.id !== "string" || typeof step.op !== "string");
  if (bad >= 0) return { ok: false, error: `${NOT_STEPS}: step ${bad + 1} should be an object with a string "id" and "op"` };
  return { ok: true, fragment: value as FlowDefinition };
}

/** A valid id made from `id` (invalid characters become "_"). */
function sanitizeId(id: string, fallback: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^[_-]+/, "");
  return STEP_ID_PATTERN.test(cleaned) ? cleaned : fallback;
}

/** Pastes copied text into `doc` at `at` (the fragment's top-left corner); see the module comment. */
export function pasteSteps(doc: FlowDefinition, text: string, at?: XY): PasteResult {
  const read = readFragment(text);
  if (!read.ok) return read;
  const fragment = read.fragment;
  const fragmentSteps = stepsOf(fragment) as unknown as (JsonObject & { id: string; op: string })[];

  // New ids: kept when free, else the next free one; `renamed` maps each old id to its first copy.
  const used = new Set(usedIds(doc));
  const renamed = new Map<string, string>();
  const newIds = fragmentSteps.map((step) => {
    const wanted = sanitizeId(step.id, sanitizeId(step.op, "step"));
    const id = STEP_ID_PATTERN.test(step.id) && !used.has(step.id) ? step.id : freshId(wanted, used, !used.has(wanted));
    used.add(id);
    if (!renamed.has(step.id)) renamed.set(step.id, id);
    return id;
  });
  const pasted = fragmentSteps.map((step, i) => {
    let next: JsonObject = { ...step, id: newIds[i]! };
    if (Array.isArray(step.after)) {
      const after = step.after.flatMap((name) => {
        if (typeof name !== "string") return [];
        const { id, output } = parseAfterRef(name);
        return renamed.has(id) ? [afterRefText(renamed.get(id)!, output)] : [];
      });
      next = setIn(next, ["after"], after.length > 0 ? after : undefined);
    }
    return next as FlowStep;
  });

  // Positions: the fragment's own (or fallbacks), moved to `at`, cascading past occupied spots.
  const fragmentKeys = stepKeys(fragment);
  const source = positionsOf(fragment);
  const original = fragmentKeys.map((key) => source[key]!);
  const origin = { x: Math.min(...original.map((p) => p.x)), y: Math.min(...original.map((p) => p.y)) };
  const target = at ?? { x: origin.x + PASTE_OFFSET, y: origin.y + PASTE_OFFSET };
  const occupied = Object.values(positionsOf(doc));
  const taken = (p: XY) => occupied.some((q) => Math.abs(q.x - p.x) < PASTE_OFFSET / 2 && Math.abs(q.y - p.y) < PASTE_OFFSET / 2);
  let dx = target.x - origin.x;
  let dy = target.y - origin.y;
  for (let tries = 0; tries < 1000 && original.some((p) => taken({ x: p.x + dx, y: p.y + dy })); tries++) {
    dx += PASTE_OFFSET;
    dy += PASTE_OFFSET;
  }
  const ui = isObject(doc.ui) ? doc.ui : {};
  const positions = { ...(isObject(ui.positions) ? ui.positions : {}) };
  newIds.forEach((id, i) => (positions[id] = { x: original[i]!.x + dx, y: original[i]!.y + dy }));
  const next: FlowDefinition = { ...doc, steps: [...stepsOf(doc), ...pasted], ui: { ...ui, positions } as FlowDefinition["ui"] };
  return { ok: true, doc: next, pastedIds: newIds };
}
