/**
 * Edits of the flow document. Each takes a document and returns a NEW one (structural sharing:
 * untouched steps keep their identity), or the same document when the edit changes nothing, so
 * that history can skip no-ops. Steps are named by their key (their id, or `#N`, see steps.ts).
 * Positions live in `ui.positions` by step key and follow steps through renames and removals.
 */

import { afterRefText, parseAfterRef } from "../../engine/host/index.js";
import { FLOW_FORMAT, FLOW_FORMAT_VERSION, STEP_ID_PATTERN, type FlowDefinition, type FlowStep, type FlowStepOp } from "../../engine/host/index.js";
import { blockKindOf, defaultBlock, defaultStep, isStepOp } from "./defaults.js";
import { positionsOf } from "./canvas.js";
import { COLUMN_GAP, NODE_HEIGHT, NODE_WIDTH, ROW_GAP, isPosition, overlaps, type XY } from "./geometry.js";
import { getIn, setIn, type PathSegment } from "./immutable.js";
import { afterOf, freshId, indexOfStep, isObject, stepKeys, stepsOf, usedIds, type JsonObject } from "./steps.js";

function positionsRecord(doc: FlowDefinition): JsonObject {
  return isObject(doc.ui) && isObject(doc.ui.positions) ? doc.ui.positions : {};
}

function withPositions(doc: FlowDefinition, positions: JsonObject): FlowDefinition {
  const ui = isObject(doc.ui) ? doc.ui : {};
  return { ...doc, ui: { ...ui, positions } as FlowDefinition["ui"] };
}

/**
 * `next` with the positions of `previous` carried over to the new keys of the same steps
 * (`indexMap[i]` is the new index of old step i, or -1 when it is gone). Keys that name no step are kept.
 */
export function carryPositions(previous: FlowDefinition, next: FlowDefinition, indexMap: readonly number[]): FlowDefinition {
  const oldKeys = stepKeys(previous);
  const newKeys = stepKeys(next);
  if (!isObject(previous.ui) || !isObject(previous.ui.positions)) return next;
  const old = previous.ui.positions;
  const oldKeySet = new Set(oldKeys);
  const positions: JsonObject = {};
  for (const [key, value] of Object.entries(old)) if (!oldKeySet.has(key)) positions[key] = value;
  let changed = false;
  oldKeys.forEach((oldKey, i) => {
    const j = indexMap[i] ?? -1;
    const newKey = j < 0 ? undefined : newKeys[j];
    if (newKey !== oldKey) changed = true;
    if (newKey !== undefined && Object.prototype.hasOwnProperty.call(old, oldKey)) positions[newKey] = old[oldKey];
  });
  if (!changed) return next;
  return withPositions(next, positions);
}

/** `doc` with a new step of kind `op` at `position`; returns the document and the new step's id. */
export function addStep(
  doc: FlowDefinition,
  op: FlowStepOp,
  position: XY,
  options: { readonly id?: string; readonly after?: readonly string[] } = {},
): { doc: FlowDefinition; id: string } {
  const used = usedIds(doc);
  const wanted = options.id !== undefined && STEP_ID_PATTERN.test(options.id) ? options.id : op;
  const id = freshId(wanted, used, options.id !== undefined);
  const step = defaultStep(op, id, options.after?.filter((name) => used.has(name)));
  const added: FlowDefinition = { ...doc, steps: [...stepsOf(doc), step] };
  return { doc: withPositions(added, { ...positionsRecord(doc), [id]: { x: position.x, y: position.y } }), id };
}

/** A free spot for a new node: `wanted`, or further down until it overlaps no step. */
export function freeSpot(doc: FlowDefinition, wanted: XY): XY {
  const taken = Object.values(positionsOf(doc));
  let spot = wanted;
  while (taken.some((other) => overlaps(other, spot))) spot = { x: spot.x, y: spot.y + NODE_HEIGHT + ROW_GAP };
  return spot;
}

/**
 * `doc` with a new step of kind `op` fed by the step `upstream` (when it can feed it), placed to
 * its right; without an upstream, below the flow. For a click on the palette.
 */
export function addStepAfter(doc: FlowDefinition, op: FlowStepOp, upstream?: string): { doc: FlowDefinition; id: string } {
  const positions = positionsOf(doc);
  const from = upstream !== undefined && !upstream.startsWith("#") ? positions[upstream] : undefined;
  if (from) {
    const spot = freeSpot(doc, { x: from.x + NODE_WIDTH + COLUMN_GAP, y: from.y });
    return addStep(doc, op, spot, op === "input" ? {} : { after: [upstream!] });
  }
  const all = Object.values(positions);
  const below = all.length === 0 ? 0 : Math.max(...all.map((p) => p.y)) + NODE_HEIGHT + ROW_GAP;
  const left = all.length === 0 ? 0 : Math.min(...all.map((p) => p.x));
  return addStep(doc, op, { x: left, y: below });
}

/** `doc` without the steps with these keys; they leave every `after` and `ui.positions`. */
export function removeSteps(doc: FlowDefinition, keys: Iterable<string>): FlowDefinition {
  const removed = new Set<number>();
  for (const key of keys) {
    const index = indexOfStep(doc, key);
    if (index >= 0) removed.add(index);
  }
  if (removed.size === 0) return doc;
  const steps = stepsOf(doc);
  const kept = steps.filter((_, index) => !removed.has(index));
  const remainingIds = new Set(kept.flatMap((step: unknown) => (isObject(step) && typeof step.id === "string" ? [step.id] : [])));
  const cleaned = kept.map((step: unknown) => {
    if (!isObject(step) || !Array.isArray(step.after)) return step;
    const after = step.after.filter((name) => typeof name !== "string" || remainingIds.has(parseAfterRef(name).id));
    if (after.length === step.after.length) return step;
    return setIn(step, ["after"], after.length > 0 ? after : undefined);
  }) as FlowStep[];
  let next = 0;
  const indexMap = steps.map((_, index) => (removed.has(index) ? -1 : next++));
  return carryPositions(doc, { ...doc, steps: cleaned }, indexMap);
}

/** `doc` with these steps at these positions (unknown keys are ignored). */
export function moveSteps(doc: FlowDefinition, positions: Readonly<Record<string, XY>>): FlowDefinition {
  const current = positionsRecord(doc);
  let next: JsonObject | undefined;
  for (const [key, position] of Object.entries(positions)) {
    if (indexOfStep(doc, key) < 0 || !isPosition(position)) continue;
    const old = current[key];
    if (isPosition(old) && old.x === position.x && old.y === position.y) continue;
    next ??= { ...current };
    next[key] = { x: position.x, y: position.y };
  }
  return next ? withPositions(doc, next) : doc;
}

export type RenameResult = { readonly ok: true; readonly doc: FlowDefinition } | { readonly ok: false; readonly reason: string };

/** Why `id` cannot be the new id of the step `key`, or undefined when it can. */
export function renameProblem(doc: FlowDefinition, key: string, id: string): string | undefined {
  const index = indexOfStep(doc, key);
  if (index < 0) return `There is no step ${JSON.stringify(key)}`;
  if (!STEP_ID_PATTERN.test(id)) return "A step id starts with a letter or digit, then letters, digits, _ or -";
  const taken = stepsOf(doc).some((step: unknown, i) => i !== index && isObject(step) && step.id === id);
  if (taken) return `Another step already has the id ${JSON.stringify(id)}`;
  return undefined;
}

/** `doc` with the step `key` renamed to `id`: `after` references and its position follow it. */
export function renameStep(doc: FlowDefinition, key: string, id: string): RenameResult {
  const reason = renameProblem(doc, key, id);
  if (reason !== undefined) return { ok: false, reason };
  const index = indexOfStep(doc, key);
  const step: unknown = stepsOf(doc)[index];
  if (isObject(step) && step.id === id) return { ok: true, doc };
  const referenced = key.startsWith("#") ? undefined : key; // `after` finds the first step with an id: this one
  const steps = stepsOf(doc).map((other: unknown, i) => {
    if (i === index) return setIn(other, ["id"], id);
    const names = (ref: unknown) => typeof ref === "string" && parseAfterRef(ref).id === referenced;
    if (referenced === undefined || !afterOf(other).some(names)) return other;
    // "ID" and "ID:late" both follow the rename.
    return setIn(other, ["after"], (other as JsonObject & { after: unknown[] }).after.map((name) => (names(name) ? afterRefText(id, parseAfterRef(name as string).output) : name)));
  }) as FlowStep[];
  const renamed = { ...doc, steps };
  return { ok: true, doc: carryPositions(doc, renamed, stepsOf(doc).map((_, i) => i)) };
}

/**
 * Sets a field of a block-holding object: `[kind, "type"]` for a block kind (input, clock, epoch,
 * ...) replaces the block with that type's defaults; anything else is set as given.
 */
function setField(owner: unknown, path: readonly PathSegment[], value: unknown): unknown {
  if (path.length === 2 && path[1] === "type" && typeof value === "string") {
    const kind = blockKindOf(String(path[0]));
    const block = kind && defaultBlock(kind, value);
    if (block) return getIn(owner, path) === value ? owner : setIn(owner, [path[0]!], block);
  }
  return setIn(owner, path, value);
}

/** The step `key` turned into a step of kind `op`, keeping its id, `after`, label, notes, `disabled` and shared fields. */
function changeKind(step: JsonObject, op: FlowStepOp): JsonObject {
  if (step.op === op) return step;
  const fresh = defaultStep(op, typeof step.id === "string" ? step.id : "step", op === "input" ? undefined : afterOf(step)) as JsonObject;
  const kept = Object.fromEntries(
    Object.keys(fresh)
      .filter((field) => field !== "op" && field !== "id" && field !== "after" && Object.prototype.hasOwnProperty.call(step, field))
      .filter((field) => typeof fresh[field] !== "object" || (isObject(step[field]) && isObject(fresh[field])))
      .map((field) => [field, step[field]]),
  );
  const extras = Object.fromEntries(["label", "notes", "disabled"].filter((field) => step[field] !== undefined).map((field) => [field, step[field]]));
  const { id: _placeholder, ...changed } = { ...fresh, ...kept, ...extras };
  return step.id === undefined ? changed : { id: step.id, ...changed };
}

/**
 * `doc` with the field at `path` of step `key` set to `value` (`undefined` removes the field).
 * `["input", "type"]` (any block's type) replaces the block with that type's defaults; `["op"]`
 * changes the step's kind (keeping what fits); `["id"]` renames (refused silently when invalid;
 * use renameStep for the reason); an empty `after` is removed.
 */
export function updateStepField(doc: FlowDefinition, key: string, path: readonly PathSegment[], value: unknown): FlowDefinition {
  const index = indexOfStep(doc, key);
  const step: unknown = index < 0 ? undefined : stepsOf(doc)[index];
  if (!isObject(step) || path.length === 0) return doc;
  if (path.length === 1 && path[0] === "id") {
    const renamed = typeof value === "string" ? renameStep(doc, key, value) : undefined;
    return renamed?.ok ? renamed.doc : doc;
  }
  let next: unknown;
  if (path.length === 1 && path[0] === "op") next = isStepOp(value) ? changeKind(step, value) : setIn(step, path, value);
  else if (path.length === 1 && path[0] === "after" && Array.isArray(value) && value.length === 0) next = setIn(step, path, undefined);
  else next = setField(step, path, value);
  if (next === step) return doc;
  return setIn(doc, ["steps", index], next);
}

/** `doc` with `execution` at `path` set (`["epoch", "type"]` gives that epoch type's defaults); an empty `execution` is removed. */
export function setExecution(doc: FlowDefinition, path: readonly PathSegment[], value: unknown): FlowDefinition {
  if (path.length === 0) return setIn(doc, ["execution"], value);
  const execution = isObject(doc.execution) ? doc.execution : {};
  const next = setField(execution, path, value);
  if (next === execution) return doc;
  return setIn(doc, ["execution"], isObject(next) && Object.keys(next).length === 0 ? undefined : next);
}

/** A small valid flow: a list input, a map and a capture to stdout, laid out left to right. */
export function newFlow(name: string): FlowDefinition {
  const step = NODE_WIDTH + COLUMN_GAP;
  return {
    format: FLOW_FORMAT,
    version: FLOW_FORMAT_VERSION,
    name,
    steps: [defaultStep("input", "source"), { id: "transform", op: "map", after: ["source"], fn: "item => item.toUpperCase()" }, defaultStep("capture", "out", ["transform"])],
    ui: { positions: { source: { x: 0, y: 0 }, transform: { x: step, y: 0 }, out: { x: 2 * step, y: 0 } } },
  };
}
