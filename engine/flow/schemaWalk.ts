/**
 * Reading the zod schema as data: its internal definitions (zod 4 keeps them on `_zod.def`), so
 * that validation can say what a path expects and formatting can order keys as the schema does.
 */

/** Zod's internal definition, read structurally (zod 4 keeps it on `_zod.def`). */
export interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, unknown>;
  readonly element?: unknown;
  readonly valueType?: unknown;
  readonly options?: readonly unknown[];
  readonly discriminator?: string;
  readonly innerType?: unknown;
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
  readonly format?: string;
}

export type AnySchema = { readonly _zod: { readonly def: SchemaDef } };

export function defOf(schema: unknown): SchemaDef | undefined {
  const def = (schema as Partial<AnySchema> | undefined)?._zod?.def;
  return def && typeof def.type === "string" ? def : undefined;
}

export function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(current);
    if (def && (def.type === "optional" || def.type === "nullable" || def.type === "default" || def.type === "readonly") && def.innerType) current = def.innerType;
    else return current;
  }
  return current;
}

/** Of a union, the alternative that fits `value` (by discriminator, or by being an object or an array). */
export function alternative(schema: unknown, value: unknown, next: string | number): unknown {
  const def = defOf(schema);
  if (!def || def.type !== "union" || !def.options) return schema;
  if (def.discriminator !== undefined) {
    const tag = isObject(value) ? value[def.discriminator] : undefined;
    const match = def.options.find((option) => literalValuesOf(shapeOf(option)?.[def.discriminator!]).includes(tag));
    return match ?? schema;
  }
  const wanted = typeof next === "number" ? "array" : "object";
  const match = def.options.find((option) => {
    const type = defOf(unwrap(option))?.type;
    return wanted === "array" ? type === "array" : type === "object" || type === "record" || (type === "union" && defOf(unwrap(option))?.discriminator !== undefined);
  });
  return match ?? schema;
}

export function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const def = defOf(unwrap(schema));
  return def?.type === "object" ? def.shape : undefined;
}

export function literalValuesOf(schema: unknown): unknown[] {
  const def = defOf(unwrap(schema));
  return def?.type === "literal" && def.values ? [...def.values] : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
