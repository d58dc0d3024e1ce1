/**
 * Writing flow files: pretty-printed (two spaces, a final newline) with a stable key order, so
 * that git diffs stay small. Fields come in the schema's order (`id`, `op`, `after`, ... in a
 * step), fields the schema does not know after them in alphabetical order, and the entries of maps
 * (`ui.positions`, `additionalProperties`) alphabetically. Array order and the values of list
 * items are kept as they are.
 */

import { alternative, defOf, shapeOf, unwrap } from "./schemaWalk.js";
import { flowSchema } from "./schema.js";

/** The text of a flow file for `flow`. */
export function formatFlow(flow: unknown): string {
  return `${JSON.stringify(ordered(flow, flowSchema), null, 2)}\n`;
}

function ordered(value: unknown, schema: unknown): unknown {
  if (Array.isArray(value)) {
    const def = defOf(unwrap(alternative(unwrap(schema), value, 0)));
    return value.map((element) => (def?.type === "array" ? ordered(element, def.element) : element));
  }
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const chosen = unwrap(alternative(unwrap(schema), value, ""));
  const def = defOf(chosen);
  if (def?.type === "record") {
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, ordered(record[key], def.valueType)]));
  }
  const shape = def?.type === "object" ? (shapeOf(chosen) ?? {}) : undefined;
  if (!shape) return value; // data (list items): as it is
  const known = Object.keys(shape).filter((key) => Object.prototype.hasOwnProperty.call(record, key));
  const others = Object.keys(record).filter((key) => !Object.prototype.hasOwnProperty.call(shape, key)).sort();
  return Object.fromEntries([...known.map((key) => [key, ordered(record[key], shape[key])]), ...others.map((key) => [key, record[key]])]);
}
