/**
 * The JSON Schema of the flow format, generated from the zod schema (the single source of truth)
 * for editors. `schema/eddy-flow.schema.json` holds `flowJsonSchemaText()`; a test keeps it current.
 */

import * as z from "zod";
import { flowSchema, jsonSchemaMetadata } from "./schema.js";

/** The JSON Schema (draft 2020-12) of flow definitions, as a fresh object. */
export function flowJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(flowSchema, { target: "draft-2020-12", metadata: jsonSchemaMetadata, reused: "ref" }) as Record<string, unknown>;
  const { $schema, $defs, ...rest } = generated;
  const defs = ($defs ?? {}) as Record<string, unknown>;
  return {
    $schema,
    $comment: "Generated from engine/flow/schema.ts by scripts/write-flow-schema.ts; do not edit by hand.",
    ...rest,
    $defs: Object.fromEntries(Object.keys(defs).sort().map((name) => [name, defs[name]])),
  };
}

/** The text of `schema/eddy-flow.schema.json`: pretty-printed, two spaces, a final newline. */
export function flowJsonSchemaText(): string {
  return `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
}
