/**
 * Validation, pass 4: `{ "$env": NAME }` only where the compiler resolves it (the string fields of
 * blocks: paths, brokers, topics, Kafka properties, recovery names). Inside free-form values (a
 * `list` input's items, a sample's items, `ui`) it would be passed on as it is, an object where the
 * author meant the variable's value: refused, with its path.
 */

import { Context, isObject, type Segment } from "./validateContext.js";

/** Nesting deeper than this is not walked (the schema pass does not limit depth either; this keeps the walk bounded). */
const MAX_DEPTH = 64;

export function envProblems(context: Context): void {
  context.steps?.forEach((step, index) => {
    if (!isObject(step)) return;
    for (const block of ["input", "sample"] as const) {
      const value = step[block];
      if (isObject(value) && value.type === "list" && Array.isArray(value.items)) walk(context, ["steps", index, block, "items"], value.items, 0);
    }
  });
  if (isObject(context.json) && "ui" in context.json) walk(context, ["ui"], context.json.ui, 0);
}

function walk(context: Context, path: readonly Segment[], value: unknown, depth: number): void {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(context, [...path, index], item, depth + 1));
    return;
  }
  if (Object.hasOwn(value, "$env")) {
    const { owner, field } = context.where(path);
    context.add(
      "FLOW_ENV_UNRESOLVED",
      path,
      `${owner}: \`${field}\` is a { "$env": ... } reference where none is resolved (only string fields of blocks, such as a file path, read the environment); it would be passed on as an object`,
    );
    return;
  }
  for (const [key, item] of Object.entries(value)) walk(context, [...path, key], item, depth + 1);
}
