/**
 * Form fields derived from the flow schema itself (engine/flow/schema.ts), so the side panel can
 * never offer a field the runner refuses or miss one it accepts: each block type (input, output,
 * clock, window, sample, epoch, recovery) lists its fields with a kind that picks the widget.
 */

import {
  durations,
  functionSourceSchema,
  instantSchema,
  jsonSchemaMetadata,
  stringOrEnvSchema,
} from "../../../engine/host/index.js";

export type FieldKind = "function" | "stringOrEnv" | "instant" | "duration" | "number" | "boolean" | "enum" | "items" | "json" | "stringList";

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly optional: boolean;
  readonly options?: readonly string[];
  readonly description?: string;
}

export interface BlockVariant {
  readonly type: string;
  readonly fields: readonly FieldSpec[];
  readonly description?: string;
}

interface ZodLike {
  _zod: { def: { type: string; [key: string]: unknown } };
}

function defOf(schema: unknown): ZodLike["_zod"]["def"] {
  return (schema as ZodLike)._zod.def;
}

function describe(schema: unknown): string | undefined {
  return jsonSchemaMetadata.get(schema as never)?.description;
}

function fieldKind(schema: unknown): { kind: FieldKind; options?: string[] } {
  if (schema === functionSourceSchema) return { kind: "function" };
  if (schema === stringOrEnvSchema) return { kind: "stringOrEnv" };
  if (schema === instantSchema) return { kind: "instant" };
  if (durations.has(schema as never)) return { kind: "duration" };
  const def = defOf(schema);
  switch (def.type) {
    case "number":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "enum":
      return { kind: "enum", options: Object.values(def.entries as Record<string, string>) };
    case "array":
      return defOf(def.element).type === "unknown" ? { kind: "items" } : { kind: "stringList" };
    default:
      return { kind: "json" };
  }
}

/** The variants of a block schema (a discriminated union on `type`), with their fields. */
export function blockVariants(blockSchema: unknown): BlockVariant[] {
  const options = defOf(blockSchema).options as unknown[];
  return options.map((option) => {
    const shape = defOf(option).shape as Record<string, unknown>;
    const type = (defOf(shape.type).values as string[])[0]!;
    const fields: FieldSpec[] = [];
    for (const [name, raw] of Object.entries(shape)) {
      if (name === "type") continue;
      const optional = defOf(raw).type === "optional";
      const inner = optional ? defOf(raw).innerType : raw;
      const description = describe(inner) ?? describe(raw);
      fields.push({ name, optional, ...fieldKind(inner), ...(description !== undefined && { description }) });
    }
    const description = describe(option);
    return { type, fields, ...(description !== undefined && { description }) };
  });
}
