/**
 * Reads the items of a frame written as pair columns (pairColumns.ts): the schema, then `count`
 * rows, each made into a `[key, value]` array of this realm. The records of a schema are built by
 * code generated for it where the host allows (`[key, { "word": reader.stringEntry(), "t":
 * reader.float() }]`: one allocation with the final hidden class), field by field otherwise. A
 * schema that no writer makes (an unknown kind, no fields or too many, a "__proto__" field) is a
 * FrameError, as is every short or corrupt row (the reader's bounds checks).
 */

import { COLUMN, MAX_FIELDS, schemaId, type PairSchema } from "./pairColumns.js";
import { FrameError, type ValueReader } from "./valueReader.js";
import type { FunctionGenerator } from "../runtime/generatedCode.js";

/** Reads `count` rows of one record schema into `items`. */
type RowsReader = (reader: ValueReader, count: number, items: unknown[]) => void;

/** Generated row readers kept per decoder, at most this many schemas. */
const MAX_SCHEMAS = 256;

export class PairColumnsReader {
  private readonly rowReaders = new Map<string, RowsReader>();
  /** The generated readers of number and string columns, made at their first use. */
  private numberRows: RowsReader | undefined;
  private stringRows: RowsReader | undefined;

  /** `generate`: compiles the rows readers where the host generates code (Host.generateFunction); records are read by a loop otherwise. */
  constructor(private readonly generate: FunctionGenerator | undefined) {}

  /** The schema and `count` rows, as the frame's items. */
  read(r: ValueReader, count: number): unknown[] {
    const items: unknown[] = [];
    const kind = r.byte();
    if ((kind === COLUMN.NUMBER || kind === COLUMN.STRING) && this.generate !== undefined) {
      // Generated too, so that the pairs are made in the generator's realm, like the records below.
      const reader = kind === COLUMN.NUMBER ? (this.numberRows ??= scalarRowsReader("float", this.generate)) : (this.stringRows ??= scalarRowsReader("stringEntry", this.generate));
      reader(r, count, items);
      return items;
    }
    if (kind === COLUMN.NUMBER) {
      for (let i = 0; i < count; i++) {
        const key = r.stringEntry();
        items.push([key, r.float()]);
      }
      return items;
    }
    if (kind === COLUMN.STRING) {
      for (let i = 0; i < count; i++) {
        const key = r.stringEntry();
        items.push([key, r.stringEntry()]);
      }
      return items;
    }
    if (kind !== COLUMN.RECORD) throw new FrameError(`pair columns of the unknown kind ${kind}`);
    const schema = readSchema(r);
    const generated = this.generate !== undefined ? this.rowsReaderOf(schema, this.generate) : undefined;
    if (generated !== undefined) generated(r, count, items);
    else recordRows(r, count, items, schema);
    return items;
  }

  private rowsReaderOf(schema: PairSchema, generate: FunctionGenerator): RowsReader | undefined {
    const id = schemaId(schema);
    let reader = this.rowReaders.get(id);
    if (reader === undefined && this.rowReaders.size < MAX_SCHEMAS) {
      reader = generateRowsReader(schema, generate);
      this.rowReaders.set(id, reader);
    }
    return reader;
  }
}

function readSchema(r: ValueReader): PairSchema {
  const count = r.varint();
  if (count < 1 || count > MAX_FIELDS) throw new FrameError(`a record of ${count} fields in pair columns`);
  const fields: string[] = [];
  const kinds: number[] = [];
  for (let f = 0; f < count; f++) {
    const field = r.stringEntry();
    const kind = r.byte();
    if (field === "__proto__") throw new FrameError('a field "__proto__" in pair columns');
    if (kind !== COLUMN.NUMBER && kind !== COLUMN.STRING) throw new FrameError(`a field of the unknown kind ${kind} in pair columns`);
    fields.push(field);
    kinds.push(kind);
  }
  return { value: COLUMN.RECORD, fields, kinds };
}

/** Record rows without generated code: each record built field by field, in the schema's order. */
function recordRows(r: ValueReader, count: number, items: unknown[], schema: PairSchema): void {
  const { fields, kinds } = schema;
  for (let i = 0; i < count; i++) {
    const key = r.stringEntry();
    const record: Record<string, unknown> = {};
    for (let f = 0; f < fields.length; f++) record[fields[f]!] = kinds[f] === COLUMN.NUMBER ? r.float() : r.stringEntry();
    items.push([key, record]);
  }
}

/** The rows of a number (`float`) or string (`stringEntry`) column as code. */
function scalarRowsReader(read: "float" | "stringEntry", generate: FunctionGenerator): RowsReader {
  const body = ["for (let i = 0; i < count; i++) {", "  const key = reader.stringEntry();", `  items.push([key, reader.${read}()]);`, "}"];
  return generate(["reader", "count", "items"], body.join("\n")) as RowsReader;
}

/** The rows of one record schema as code (an object literal: fields are read in its order). Keys enter the code only through JSON.stringify. */
function generateRowsReader(schema: PairSchema, generate: FunctionGenerator): RowsReader {
  const fields = schema.fields.map((field, f) => `${JSON.stringify(field)}: reader.${schema.kinds[f] === COLUMN.NUMBER ? "float" : "stringEntry"}()`);
  const body = ["for (let i = 0; i < count; i++) {", "  const key = reader.stringEntry();", `  items.push([key, { ${fields.join(", ")} }]);`, "}"];
  return generate(["reader", "count", "items"], body.join("\n")) as RowsReader;
}
