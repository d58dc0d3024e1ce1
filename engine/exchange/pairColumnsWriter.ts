/**
 * Writes a frame's items as pair columns (pairColumns.ts) when they all fit the first item's
 * schema. The rows of a record schema are written by code generated for it where the host allows
 * (`v["word"]`, `v["t"]`: constant keys, which the JIT turns into direct loads), by a loop over
 * the fields otherwise. Writing stops at the first item that does not fit: the caller then writes
 * the frame again with the general encoding.
 */

import { COLUMN, isPair, MAX_FIELDS, RecordCheck, schemaId, schemaOf, type PairSchema } from "./pairColumns.js";
import type { ValueWriter } from "./valueWriter.js";

/** Writes the rows of one record schema; false at the first item that does not fit. */
type RowsWriter = (writer: ValueWriter, items: readonly unknown[], check: RecordCheck, fields: readonly string[]) => boolean;

/** Generated row writers kept per encoder, at most this many schemas. */
const MAX_SCHEMAS = 256;

export class PairColumnsWriter {
  private readonly rowWriters = new Map<string, RowsWriter>();
  private readonly check = new RecordCheck();

  constructor(private readonly generateCode: boolean) {}

  /** Writes the schema and the rows of `items` (at least one); false when some item does not fit (bytes were written: the frame must be started again). */
  write(w: ValueWriter, items: readonly unknown[]): boolean {
    const schema = schemaOf(items[0]);
    if (schema === undefined) return false;
    w.byte(schema.value);
    if (schema.value !== COLUMN.RECORD) return scalarRows(w, items, schema.value);
    w.varint(schema.fields.length);
    for (let i = 0; i < schema.fields.length; i++) {
      w.stringEntry(schema.fields[i]!);
      w.byte(schema.kinds[i]!);
    }
    const generated = this.generateCode ? this.rowsWriterOf(schema) : undefined;
    return generated !== undefined ? generated(w, items, this.check, schema.fields) : recordRows(w, items, schema, this.check);
  }

  private rowsWriterOf(schema: PairSchema): RowsWriter | undefined {
    const id = schemaId(schema);
    let writer = this.rowWriters.get(id);
    if (writer === undefined && this.rowWriters.size < MAX_SCHEMAS && schema.fields.length <= MAX_FIELDS) {
      writer = generateRowsWriter(schema);
      this.rowWriters.set(id, writer);
    }
    return writer;
  }
}

/** Rows whose values are all numbers (NUMBER) or all strings (STRING). */
function scalarRows(w: ValueWriter, items: readonly unknown[], kind: number): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPair(item)) return false;
    const value = item[1];
    if (typeof value === "number" && kind === COLUMN.NUMBER) {
      w.stringEntry(item[0]);
      w.float(value);
    } else if (typeof value === "string" && kind === COLUMN.STRING) {
      w.stringEntry(item[0]);
      w.stringEntry(value);
    } else {
      return false;
    }
  }
  return true;
}

/** Record rows without generated code: the fields by name, in the schema's order. */
function recordRows(w: ValueWriter, items: readonly unknown[], schema: PairSchema, check: RecordCheck): boolean {
  const { fields, kinds } = schema;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPair(item) || !check.fits(item[1], fields)) return false;
    const value = item[1] as Record<string, unknown>;
    w.stringEntry(item[0]);
    // A field of the wrong kind stops the writing (what was written is dropped).
    for (let f = 0; f < fields.length; f++) {
      const field = value[fields[f]!];
      if (kinds[f] === COLUMN.NUMBER) {
        if (typeof field !== "number") return false;
        w.float(field);
      } else {
        if (typeof field !== "string") return false;
        w.stringEntry(field);
      }
    }
  }
  return true;
}

/**
 * The rows of one record schema as code: each field read once with a constant key, checked, then
 * the row written; a string field equal to the key (W3's `[x.word, x]`) is written as the key's
 * table entry without looking it up again. Keys enter the code only through JSON.stringify.
 */
function generateRowsWriter(schema: PairSchema): RowsWriter {
  const { fields, kinds } = schema;
  const reads = fields.map((field, f) => `const f${f} = value[${JSON.stringify(field)}];`);
  const checks = kinds.map((kind, f) => `typeof f${f} !== "${kind === COLUMN.NUMBER ? "number" : "string"}"`);
  const writes = kinds.map((kind, f) => (kind === COLUMN.NUMBER ? `writer.float(f${f});` : `if (f${f} === key && k >= 0) writer.varint(k + 1); else writer.stringEntry(f${f});`));
  const body = [
    "for (let i = 0; i < items.length; i++) {",
    "  const item = items[i];",
    '  if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== "string") return false;',
    "  const key = item[0];",
    "  const value = item[1];",
    "  if (!check.fits(value, fields)) return false;",
    `  ${reads.join(" ")}`,
    `  if (${checks.join(" || ")}) return false;`,
    "  const k = writer.stringEntry(key);",
    `  ${writes.join(" ")}`,
    "}",
    "return true;",
  ];
  return new Function("writer", "items", "check", "fields", body.join("\n")) as RowsWriter;
}
