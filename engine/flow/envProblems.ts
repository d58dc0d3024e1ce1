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
  // Each object once: a flow built in code may share objects or hold cycles (JSON never does).
  const seen = new WeakSet<object>();
  const walk = (path: readonly Segment[], value: unknown, depth: number): void => walkValue(context, seen, path, value, depth);
  context.steps?.forEach((step, index) => {
    if (!isObject(step)) return;
    for (const block of ["input", "sample"] as const) {
      const value = step[block];
      if (isObject(value) && value.type === "list" && Array.isArray(value.items)) walk(["steps", index, block, "items"], value.items, 0);
    }
  });
  if (isObject(context.json) && "ui" in context.json) walk(["ui"], context.json.ui, 0);
}

function walkValue(context: Context, seen: WeakSet<object>, path: readonly Segment[], value: unknown, depth: number): void {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => walkValue(context, seen, [...path, index], item, depth + 1));
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
  for (const [key, item] of Object.entries(value)) walkValue(context, seen, [...path, key], item, depth + 1);
}
