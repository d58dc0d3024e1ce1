/**
 * Validation of flow definitions: every problem, each with its JSON Pointer, its step id and a
 * message that says what was expected, what was found and where. Never throws.
 *
 * Three passes, over whatever the value is (even far from a flow):
 * 1. the zod schema (`schema.ts`), whose issues become problems with stable codes;
 * 2. the graph: step ids (format, duplicates), `after` (types, unknown ids, repeats, inputs with
 *    `after`), cycles, and at least one input and one capture;
 * 3. functions: each must parse (acorn) as one JavaScript function expression.
 * Problems come sorted by where their path appears in the document.
 */

import { getLineInfo, parseExpressionAt, tokTypes, tokenizer, type Expression } from "acorn";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { jsonPointer, type FlowProblem, type FlowProblemCode } from "./problems.js";
import { alternative, defOf, literalValuesOf, shapeOf, unwrap, type AnySchema, type SchemaDef } from "./schemaWalk.js";
import {
  FLOW_FORMAT,
  FLOW_FORMAT_VERSION,
  FLOW_STEP_OPS,
  STEP_FUNCTION_FIELDS,
  STEP_ID_PATTERN,
  expectations,
  flowSchema,
  stepIdSchema,
  type FlowStepOp,
} from "./schema.js";

type Segment = string | number;
type JsonObject = Record<string, unknown>;

/** The few fields of zod issues that validation reads. */
interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly ZodIssueLike[])[];
  readonly discriminator?: string;
  readonly options?: readonly unknown[];
  readonly message?: string;
}

/** Every problem of `json` as a flow definition, sorted by where they are. Never throws. */
export function validateFlow(json: unknown): FlowProblem[] {
  const problems: FlowProblem[] = [];
  try {
    const context = new Context(json, problems);
    if (!isObject(json)) {
      context.add("FLOW_WRONG_TYPE", [], `The flow should be ${describe(flowSchema)}; got ${shown(json)}`);
      return problems;
    }
    if (refusedVersion(context, json)) return problems;
    schemaProblems(context, json);
    graphProblems(context);
    functionProblems(context);
    return sortProblems(json, dedupe(problems));
  } catch (error) {
    problems.push({ code: "FLOW_INTERNAL_ERROR", path: "", message: `Validation failed unexpectedly: ${describeThrown(error)}` });
    return problems;
  }
}

/**
 * Brings a flow of an older format version to the current one. Version 1 is the only version, so
 * this returns `json` itself; a newer version is refused (`FLOW_VERSION_NEWER`).
 */
export function migrateFlow(json: unknown): unknown {
  if (isObject(json) && isNewerVersion(json.version)) {
    throw new EddyError("FLOW_VERSION_NEWER", newerVersionMessage(json.version));
  }
  return json;
}

function isNewerVersion(version: unknown): version is number {
  return typeof version === "number" && Number.isInteger(version) && version > FLOW_FORMAT_VERSION;
}

function newerVersionMessage(version: number): string {
  return `The flow: \`version\` is ${version}, but this Eddy reads flow format ${FLOW_FORMAT_VERSION} and older; use a newer Eddy to open it`;
}

/** A newer version is refused outright: its fields are not ours to judge. */
function refusedVersion(context: Context, json: JsonObject): boolean {
  if (!isNewerVersion(json.version)) return false;
  if (has(json, "format") && json.format !== FLOW_FORMAT) {
    context.add("FLOW_WRONG_FORMAT", ["format"], `The flow: \`format\` should be ${JSON.stringify(FLOW_FORMAT)}; got ${shown(json.format)}`);
  }
  context.add("FLOW_VERSION_NEWER", ["version"], newerVersionMessage(json.version));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Context: locating paths in the document and naming them in messages

class Context {
  readonly steps: readonly unknown[] | undefined;
  constructor(
    readonly json: unknown,
    private readonly problems: FlowProblem[],
  ) {
    this.steps = isObject(json) && Array.isArray(json.steps) ? json.steps : undefined;
  }

  add(code: FlowProblemCode, path: readonly Segment[], message: string, extra: { line?: number; column?: number } = {}): void {
    const stepId = this.stepIdAt(path);
    this.problems.push({ code, path: jsonPointer(path), ...(stepId !== undefined && { stepId }), message, ...extra });
  }

  /** The id of the step that `path` is in, when that step has a string id. */
  stepIdAt(path: readonly Segment[]): string | undefined {
    const index = stepIndexOf(path);
    if (index === undefined) return undefined;
    const step = this.steps?.[index];
    return isObject(step) && typeof step.id === "string" ? step.id : undefined;
  }

  /** "Step "x" (map)", "The step at /steps/2", or "The flow": who a path belongs to. */
  owner(path: readonly Segment[]): string {
    const index = stepIndexOf(path);
    if (index === undefined || !this.steps) return "The flow";
    return stepName(index, this.steps[index]);
  }

  /** `owner: ` plus the field, relative to its owner, in backquotes (nothing for the owner itself). */
  where(path: readonly Segment[]): { owner: string; field: string } {
    const index = stepIndexOf(path);
    const relative = index === undefined || !this.steps ? path : path.slice(2);
    return { owner: this.owner(path), field: fieldName(relative) };
  }

  valueAt(path: readonly Segment[]): { found: boolean; value: unknown } {
    let value: unknown = this.json;
    for (const segment of path) {
      if (Array.isArray(value) && typeof segment === "number") {
        if (segment < 0 || segment >= value.length) return { found: false, value: undefined };
        value = value[segment];
      } else if (isObject(value) && !Array.isArray(value) && has(value, String(segment))) {
        value = value[String(segment)];
      } else {
        return { found: false, value: undefined };
      }
    }
    return { found: value !== undefined, value };
  }
}

function stepIndexOf(path: readonly Segment[]): number | undefined {
  return path[0] === "steps" && typeof path[1] === "number" ? path[1] : undefined;
}

function stepName(index: number, step: unknown): string {
  const op = isObject(step) ? knownOp(step.op) : undefined;
  const kind = op === undefined ? "" : ` (${op})`;
  if (isObject(step) && typeof step.id === "string" && step.id.length > 0) return `Step ${JSON.stringify(step.id)}${kind}`;
  return `The step at /steps/${index}${kind}`;
}

function knownOp(op: unknown): FlowStepOp | undefined {
  return typeof op === "string" && (FLOW_STEP_OPS as readonly string[]).includes(op) ? (op as FlowStepOp) : undefined;
}

/** `input.brokers[0]`, `after[1]`, `clock.fn`: a path relative to its owner, for messages. */
function fieldName(segments: readonly Segment[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function shown(value: unknown): string {
  return preview(value, 60);
}

// ---------------------------------------------------------------------------------------------
// 1. The schema

/** Paths that the graph pass owns: step ids and `after`, checked there for every step, whatever its kind. */
function ownedByGraph(path: readonly Segment[]): boolean {
  return stepIndexOf(path) !== undefined && path.length >= 3 && (path[2] === "id" || path[2] === "after");
}

function schemaProblems(context: Context, json: JsonObject): void {
  const result = flowSchema.safeParse(json);
  if (result.success) return;
  for (const issue of result.error.issues as unknown as ZodIssueLike[]) mapIssue(context, issue, []);
}

function mapIssue(context: Context, issue: ZodIssueLike, prefix: readonly Segment[]): void {
  const path = [...prefix, ...issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)))];
  if (issue.code === "unrecognized_keys") {
    for (const key of issue.keys ?? []) unknownField(context, [...path, key]);
    return;
  }
  if (ownedByGraph(path)) return;
  if (issue.code === "invalid_union" && issue.discriminator !== undefined) {
    unknownDiscriminator(context, path, issue);
    return;
  }
  if (issue.code === "invalid_union" && issue.errors) {
    // One alternative that got past the type check (an array of lines with a number in it, an
    // empty string where a string or $env goes): its own issues say more than "wrong type".
    const closer = issue.errors.filter((errors) => !errors.every((e) => e.path.length === 0 && e.code === "invalid_type"));
    if (closer.length === 1) {
      for (const inner of closer[0]!) mapIssue(context, inner, path);
      return;
    }
  }
  valueProblem(context, path);
}

function unknownField(context: Context, path: readonly Segment[]): void {
  if (ownedByGraph(path)) return; // `after` on an input: FLOW_INPUT_AFTER
  const { owner, field } = context.where(path);
  const parentPath = path.slice(0, -1);
  const parent = alternative(unwrap(schemaAt(context.json, parentPath)), context.valueAt(parentPath).value, "");
  const known = parent ? objectKeys(parent) : [];
  const expected = known.length > 0 ? `; expected one of: ${known.join(", ")}` : "";
  context.add("FLOW_UNKNOWN_FIELD", path, `${owner}: unknown field \`${field}\`${expected}`);
}

function unknownDiscriminator(context: Context, path: readonly Segment[], issue: ZodIssueLike): void {
  const { owner, field } = context.where(path);
  const { found, value } = context.valueAt(path);
  const options = (issue.options ?? []).map((option) => JSON.stringify(option));
  const alternatives = listOr(options);
  if (!found) {
    context.add("FLOW_MISSING_FIELD", path, `${owner}: \`${field}\` is missing; expected ${alternatives}`);
    return;
  }
  const isStepKind = issue.discriminator === "op" && stepIndexOf(path) !== undefined && path.length === 3;
  if (isStepKind) {
    context.add("FLOW_UNKNOWN_STEP_KIND", path, `${owner}: unknown step kind ${shown(value)}; expected one of: ${options.join(", ")}`);
    return;
  }
  const block = fieldName(relativeOf(path.slice(0, -1)));
  context.add("FLOW_UNKNOWN_BLOCK_TYPE", path, `${owner}: unknown \`${block}\` type ${shown(value)}; expected one of: ${options.join(", ")}`);
}

/** A path relative to its step, or the whole path outside steps. */
function relativeOf(path: readonly Segment[]): readonly Segment[] {
  return stepIndexOf(path) === undefined ? path : path.slice(2);
}

function valueProblem(context: Context, path: readonly Segment[]): void {
  const { owner, field } = context.where(path);
  const schema = schemaAt(context.json, path);
  const expected = schema ? describe(schema) : "something else";
  const { found, value } = context.valueAt(path);
  if (!found && path.length > 0) {
    context.add("FLOW_MISSING_FIELD", path, field === "" ? `${owner} is missing; expected ${expected}` : `${owner}: \`${field}\` is missing; expected ${expected}`);
    return;
  }
  const subject = field === "" ? owner : `${owner}: \`${field}\``;
  if (path.length === 1 && path[0] === "format") {
    context.add("FLOW_WRONG_FORMAT", path, `${subject} should be ${expected}; got ${shown(value)}`);
    return;
  }
  const code = schema && acceptsTypeOf(schema, value) ? "FLOW_INVALID_VALUE" : "FLOW_WRONG_TYPE";
  context.add(code, path, `${subject} should be ${expected}; got ${shown(value)}`);
}

// --- Walking the schema along a path of the document ---

/** The schema of the value at `path`, choosing union alternatives by what the document holds. */
function schemaAt(json: unknown, path: readonly Segment[]): unknown {
  let schema: unknown = flowSchema;
  let value: unknown = json;
  for (const segment of path) {
    schema = alternative(unwrap(schema), value, segment);
    const def = defOf(unwrap(schema));
    if (!def) return undefined;
    schema = unwrap(schema);
    if (def.type === "object" && typeof segment === "string") {
      if (!def.shape || !has(def.shape, segment)) return undefined;
      schema = def.shape[segment];
    } else if (def.type === "array") {
      schema = def.element;
    } else if (def.type === "record") {
      schema = def.valueType;
    } else if (def.type === "union" && def.discriminator !== undefined && typeof segment === "string" && segment === def.discriminator) {
      return discriminatorSchema(def);
    } else {
      return undefined;
    }
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[String(segment)] : undefined;
  }
  // At the end, a union stays whole: "a non-empty string or an $env reference" says more than either half.
  return schema;
}

/** A stand-in for "the discriminator of this union", described by its values. */
function discriminatorSchema(def: SchemaDef): unknown {
  const values = (def.options ?? []).flatMap((option) => literalValuesOf(shapeOf(option)?.[def.discriminator!]));
  return { _zod: { def: { type: "literal", values } } } satisfies AnySchema;
}

function objectKeys(schema: unknown): string[] {
  const shape = shapeOf(schema);
  return shape ? Object.keys(shape) : [];
}

/** "a string", "a non-empty array of step ids", ...: what a schema expects, for messages. */
function describe(schema: unknown): string {
  const inner = unwrap(schema);
  const registered = typeof inner === "object" && inner !== null && expectations.has(inner as never) ? expectations.get(inner as never)?.expected : undefined;
  if (registered) return registered;
  const def = defOf(inner);
  if (!def) return "something else";
  switch (def.type) {
    case "string":
      return "a string";
    case "number":
      return (inner as { isInt?: boolean }).isInt ? "an integer" : "a number";
    case "boolean":
      return "true or false";
    case "literal":
      return listOr((def.values ?? []).map((value) => JSON.stringify(value)));
    case "enum":
      return listOr(Object.values(def.entries ?? {}).map((value) => JSON.stringify(value)));
    case "array":
      return "an array";
    case "object":
    case "record":
      return "an object";
    case "unknown":
    case "any":
      return "any JSON value";
    case "union":
      if (def.discriminator !== undefined) {
        const values = (def.options ?? []).flatMap((option) => literalValuesOf(shapeOf(option)?.[def.discriminator!]));
        return `an object with "${def.discriminator}": ${listOr(values.map((value) => JSON.stringify(value)))}`;
      }
      return listOr((def.options ?? []).map(describe));
    default:
      return "something else";
  }
}

function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** Whether the value has a JSON type the schema takes (then the problem is its value, not its type). */
function acceptsTypeOf(schema: unknown, value: unknown): boolean {
  const def = defOf(unwrap(schema));
  if (!def) return false;
  switch (def.type) {
    case "string":
    case "number":
    case "boolean":
      return typeof value === def.type;
    case "literal":
      return (def.values ?? []).some((literal) => typeof literal === typeof value);
    case "enum":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
    case "record":
      return isObject(value);
    case "union":
      return (def.options ?? []).some((option) => acceptsTypeOf(option, value));
    case "unknown":
    case "any":
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The graph

interface StepEntry {
  readonly index: number;
  readonly step: JsonObject;
  readonly id: string | undefined;
  readonly op: unknown;
}

function graphProblems(context: Context): void {
  const steps = context.steps;
  if (!steps) return;
  const entries: StepEntry[] = [];
  steps.forEach((step, index) => {
    if (isObject(step)) entries.push({ index, step, id: typeof step.id === "string" ? step.id : undefined, op: step.op });
  });

  // Ids: present, strings, well formed, unique. The first step with an id is the one `after` finds.
  const byId = new Map<string, number>();
  for (const entry of entries) {
    const path = ["steps", entry.index, "id"];
    const { owner } = context.where(path);
    if (!has(entry.step, "id") || entry.step.id === undefined) {
      context.add("FLOW_MISSING_FIELD", path, `${owner}: \`id\` is missing; expected ${describe(stepIdSchema)}`);
    } else if (entry.id === undefined) {
      context.add("FLOW_WRONG_TYPE", path, `${owner}: \`id\` should be ${describe(stepIdSchema)}; got ${shown(entry.step.id)}`);
    } else {
      if (!STEP_ID_PATTERN.test(entry.id)) {
        context.add("FLOW_INVALID_STEP_ID", path, `${owner}: \`id\` should be ${describe(stepIdSchema)}; got ${shown(entry.id)}`);
      }
      const first = byId.get(entry.id);
      if (first === undefined) byId.set(entry.id, entry.index);
      else context.add("FLOW_DUPLICATE_STEP_ID", path, `${owner}: the id ${JSON.stringify(entry.id)} is already used by the step at /steps/${first}; step ids must be unique`);
    }
  }

  // `after`: edges from each upstream step to the step.
  const upstreamOf = new Map<number, number[]>();
  for (const entry of entries) {
    const path: Segment[] = ["steps", entry.index, "after"];
    const { owner } = context.where(path);
    const present = has(entry.step, "after") && entry.step.after !== undefined;
    if (entry.op === "input") {
      if (present) context.add("FLOW_INPUT_AFTER", path, `${owner}: an input starts a stream and takes no \`after\`; remove it, or use another step kind`);
      continue;
    }
    if (!present) {
      if (knownOp(entry.op) !== undefined) {
        context.add("FLOW_MISSING_FIELD", path, `${owner}: \`after\` is missing; expected a non-empty array of step ids (the steps that feed this one)`);
      }
      continue;
    }
    const after = entry.step.after;
    if (!Array.isArray(after)) {
      context.add("FLOW_WRONG_TYPE", path, `${owner}: \`after\` should be a non-empty array of step ids; got ${shown(after)}`);
      continue;
    }
    if (after.length === 0) {
      context.add("FLOW_INVALID_VALUE", path, `${owner}: \`after\` should be a non-empty array of step ids (the steps that feed this one); got []`);
      continue;
    }
    const upstream: number[] = [];
    const named = new Set<string>();
    after.forEach((name, k) => {
      const at = [...path, k];
      const ref = `\`after[${k}]\``;
      if (typeof name !== "string") {
        context.add("FLOW_WRONG_TYPE", at, `${owner}: ${ref} should be a step id (a string); got ${shown(name)}`);
      } else if (named.has(name)) {
        context.add("FLOW_DUPLICATE_AFTER", at, `${owner}: ${ref} names ${JSON.stringify(name)} again; list each upstream step once`);
      } else {
        named.add(name);
        const target = byId.get(name);
        if (target === entry.index) {
          context.add("FLOW_CYCLE", at, `${owner}: ${ref} names the step itself; a step cannot feed itself`);
        } else if (target === undefined) {
          const hint = closestId(name, [...byId.keys()]);
          context.add("FLOW_UNKNOWN_AFTER", at, `${owner}: ${ref} names ${JSON.stringify(name)}, but no step has that id${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`);
        } else {
          upstream.push(target);
        }
      }
    });
    upstreamOf.set(entry.index, upstream);
  }

  for (const cycle of findCycles(steps.length, upstreamOf)) {
    const first = cycle[0]!;
    const names = [...cycle, first].map((index) => idOrIndex(steps[index], index)).join(" → ");
    const path = ["steps", first, "after"];
    context.add("FLOW_CYCLE", path, `${context.owner(path)} is part of a cycle: ${names} (each feeds the next); steps must form a DAG`);
  }

  const kinds = new Set(entries.map((entry) => entry.op));
  if (!kinds.has("input")) context.add("FLOW_NO_INPUT", ["steps"], 'The flow has no input step; expected at least one step with "op": "input"');
  if (!kinds.has("capture")) context.add("FLOW_NO_CAPTURE", ["steps"], 'The flow has no capture step; expected at least one step with "op": "capture"');
}

function idOrIndex(step: unknown, index: number): string {
  return isObject(step) && typeof step.id === "string" ? JSON.stringify(step.id) : `/steps/${index}`;
}

/**
 * The cycles of the graph: one per strongly connected component with more than one step (steps
 * naming themselves are reported on their own), as the shortest cycle through the component's
 * first step in file order, in the direction items flow.
 */
function findCycles(count: number, upstreamOf: ReadonlyMap<number, readonly number[]>): number[][] {
  const downstream: number[][] = Array.from({ length: count }, () => []);
  for (const [step, ups] of upstreamOf) for (const up of ups) if (up !== step) downstream[up]!.push(step);
  for (const list of downstream) list.sort((a, b) => a - b);

  // Tarjan's algorithm, iteratively (flows may be long chains).
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, next: number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [node, next] = frame;
      const targets = downstream[node]!;
      if (next < targets.length) {
        frame[1] = next + 1;
        const target = targets[next]!;
        if (index[target] === -1) {
          index[target] = low[target] = counter++;
          stack.push(target);
          onStack[target] = true;
          work.push([target, 0]);
        } else if (onStack[target]) {
          low[node] = Math.min(low[node]!, index[target]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === index[node]) {
        const component: number[] = [];
        for (;;) {
          const member = stack.pop()!;
          onStack[member] = false;
          component.push(member);
          if (member === node) break;
        }
        if (component.length > 1) components.push(component.sort((a, b) => a - b));
      }
    }
  }
  components.sort((a, b) => a[0]! - b[0]!);
  return components.map((component) => shortestCycle(component, downstream));
}

function shortestCycle(component: readonly number[], downstream: readonly (readonly number[])[]): number[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of downstream[node]!) {
      if (!members.has(next)) continue;
      if (next === start) {
        const cycle = [node];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0]!)!);
        return cycle;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component];
}

/** The known id closest to a misspelt one (edit distance at most 2), for "did you mean". */
function closestId(name: string, ids: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const id of ids) {
    const distance = editDistance(name.toLowerCase(), id.toLowerCase());
    if (distance < bestDistance) {
      best = id;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// 3. Functions

function functionProblems(context: Context): void {
  const steps = context.steps;
  if (!steps) return;
  steps.forEach((step, index) => {
    if (!isObject(step)) return;
    const op = knownOp(step.op);
    if (op === undefined) return;
    for (const field of STEP_FUNCTION_FIELDS[op]) checkFunction(context, ["steps", index, field], step[field]);
    const block = (field: string): JsonObject | undefined => (isObject(step[field]) ? (step[field] as JsonObject) : undefined);
    const input = block("input");
    if (op === "input" && input?.type === "function") checkFunction(context, ["steps", index, "input", "fn"], input.fn);
    const output = block("output");
    if (op === "capture" && output?.type === "function") checkFunction(context, ["steps", index, "output", "fn"], output.fn);
    const clock = block("clock");
    if ((op === "reduce_window" || op === "fold_window") && clock?.type === "event") checkFunction(context, ["steps", index, "clock", "fn"], clock.fn);
  });
}

/** The source of a function field: a string, or lines joined with "\n"; undefined for other values. */
export function functionSourceText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("\n");
  return undefined;
}

export interface FunctionCheck {
  readonly ok: boolean;
  readonly code?: "FLOW_FUNCTION_SYNTAX" | "FLOW_NOT_A_FUNCTION";
  readonly message?: string;
  /** 1-based, inside the function's source. */
  readonly line?: number;
  readonly column?: number;
}

/** Functions run in strict mode (see `defaultFunctionCompiler`); module code is strict, so parse as a module. */
const PARSE_OPTIONS = { ecmaVersion: "latest", sourceType: "module", preserveParens: true } as const;

/** Whether `source` is exactly one JavaScript function expression (arrow or `function`), in strict mode. */
export function checkFunctionSource(source: string): FunctionCheck {
  let node: Expression;
  try {
    node = parseExpressionAt(source, 0, PARSE_OPTIONS);
  } catch (error) {
    return syntaxCheck(source, error, 0);
  }
  try {
    const rest = source.slice(node.end);
    const token = tokenizer(rest, PARSE_OPTIONS).getToken();
    if (token.type !== tokTypes.eof) {
      const { line, column } = getLineInfo(source, node.end + token.start);
      return { ok: false, code: "FLOW_FUNCTION_SYNTAX", message: `unexpected ${JSON.stringify(rest.slice(token.start, token.end))} after the end of the function`, line, column: column + 1 };
    }
  } catch (error) {
    return syntaxCheck(source, error, node.end);
  }
  while (node.type === "ParenthesizedExpression") node = node.expression;
  if (node.type !== "ArrowFunctionExpression" && node.type !== "FunctionExpression") {
    return { ok: false, code: "FLOW_NOT_A_FUNCTION", message: `got ${describeNode(node.type)}` };
  }
  return { ok: true };
}

function syntaxCheck(source: string, error: unknown, offset: number): FunctionCheck {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\s*\(\d+:\d+\)$/, "");
  const pos = typeof (error as { pos?: unknown }).pos === "number" ? (error as { pos: number }).pos : 0;
  const { line, column } = getLineInfo(source, Math.min(offset + pos, source.length));
  return { ok: false, code: "FLOW_FUNCTION_SYNTAX", message, line, column: column + 1 };
}

function describeNode(type: string): string {
  const names: Record<string, string> = {
    Literal: "a literal value",
    Identifier: "a name",
    MemberExpression: "a property access",
    CallExpression: "a function call",
    ObjectExpression: "an object",
    ArrayExpression: "an array",
    ClassExpression: "a class",
    SequenceExpression: "several expressions separated by commas",
    TemplateLiteral: "a template string",
  };
  return names[type] ?? `an expression (${type})`;
}

function checkFunction(context: Context, path: readonly Segment[], value: unknown): void {
  const source = functionSourceText(value);
  if (source === undefined) return; // a wrong type: the schema pass reports it
  const check = checkFunctionSource(source);
  if (check.ok) return;
  const { owner, field } = context.where(path);
  if (check.code === "FLOW_NOT_A_FUNCTION") {
    context.add("FLOW_NOT_A_FUNCTION", path, `${owner}: \`${field}\` should be a function expression such as "x => x" or "function (x) { return x; }"; ${check.message}: ${shown(source)}`);
    return;
  }
  context.add("FLOW_FUNCTION_SYNTAX", path, `${owner}: \`${field}\` does not parse: ${check.message} (line ${check.line}, column ${check.column} of the function)`, {
    line: check.line!,
    column: check.column!,
  });
}

// ---------------------------------------------------------------------------------------------
// Ordering

function dedupe(problems: readonly FlowProblem[]): FlowProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.code}\u0000${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sorts by where each path is in the document (fields in their order, missing fields after the present ones). */
function sortProblems(json: unknown, problems: FlowProblem[]): FlowProblem[] {
  const keyed = problems.map((problem, order) => ({ problem, order, key: positionKey(json, parsePointer(problem.path)) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key) || a.order - b.order);
  return keyed.map(({ problem }) => problem);
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function positionKey(json: unknown, segments: readonly string[]): number[] {
  const key: number[] = [];
  let value: unknown = json;
  for (const segment of segments) {
    if (Array.isArray(value)) {
      const index = Number(segment);
      key.push(Number.isInteger(index) && index >= 0 ? index : Number.MAX_SAFE_INTEGER);
      value = value[index];
    } else if (isObject(value)) {
      const keys = Object.keys(value);
      const position = keys.indexOf(segment);
      key.push(position >= 0 ? position : keys.length);
      value = position >= 0 ? value[segment] : undefined;
    } else {
      key.push(0);
      value = undefined;
    }
  }
  return key;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : preview(error);
  } catch {
    return "an unprintable error";
  }
}
