/** Validation, pass 1: the zod schema's issues as problems with stable codes. */

import { alternative, defOf, literalValuesOf, shapeOf, unwrap, type AnySchema, type SchemaDef } from "./schemaWalk.js";
import { expectations, flowSchema } from "./schema.js";
import { Context, isObject, has, stepIndexOf, fieldName, shown, type Segment, type JsonObject } from "./validateContext.js";

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

// ---------------------------------------------------------------------------------------------
// 1. The schema

/** Paths that the graph pass owns: step ids and `after`, checked there for every step, whatever its kind. */
function ownedByGraph(path: readonly Segment[]): boolean {
  return stepIndexOf(path) !== undefined && path.length >= 3 && (path[2] === "id" || path[2] === "after");
}

export function schemaProblems(context: Context, json: JsonObject): void {
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
export function describe(schema: unknown): string {
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

