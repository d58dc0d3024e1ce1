/**
 * Objects of one shape, read and written by generated code. Reading: `(reader, depth) => ({ "word": reader.value(depth),
 * "t": reader.value(depth) })` makes each object in one allocation with its final hidden class,
 * where adding the keys one by one costs several times more; writing reads each field with a
 * constant key (`value["word"]`), where a loop over the keys is a slow keyed load. Used only where the host allows code
 * generation (Host.codeGeneration; a Content-Security-Policy may forbid `new Function` in a
 * browser). Keys come from frames, so they enter the code only through JSON.stringify, and a
 * "__proto__" key is computed (an own property, as structured clone makes it, never the prototype).
 * The builders are kept across frames, at most MAX_SHAPES of them.
 */

import { defaultFunctionGenerator, type FunctionGenerator } from "../runtime/generatedCode.js";

/** The writer's side a fields writer calls. */
export interface FieldSink {
  value(value: unknown, depth: number): void;
}

/** Writes the fields of one object of a shape, in the shape's order: `(w, o, d) => { w.value(o["word"], d); ... }`. */
export type FieldsWriter = (writer: FieldSink, value: Record<string, unknown>, depth: number) => void;

/** The writers of object fields, by shape (at most MAX_SHAPES). */
export class FieldWriters {
  private readonly writers = new Map<string, FieldsWriter>();

  writerOf(keys: readonly string[]): FieldsWriter | undefined {
    const id = JSON.stringify(keys);
    let writer = this.writers.get(id);
    if (writer === undefined && this.writers.size < MAX_SHAPES) {
      const fields = keys.map((key) => `writer.value(value[${JSON.stringify(key)}], depth);`);
      writer = new Function("writer", "value", "depth", fields.join("\n")) as FieldsWriter;
      this.writers.set(id, writer);
    }
    return writer;
  }
}

/** The reader's side a builder calls. */
export interface FieldReader {
  value(depth: number): unknown;
}

export type RecordBuilder = (reader: FieldReader, depth: number) => Record<string, unknown>;

const MAX_SHAPES = 256;

export class RecordBuilders {
  private readonly builders = new Map<string, RecordBuilder>();

  /** `generate`: compiles the builders (Host.generateFunction: the objects are then of the flow functions' realm, like the items made there). */
  constructor(private readonly generate: FunctionGenerator = defaultFunctionGenerator) {}

  /** The builder of objects with these keys, in this order (undefined once MAX_SHAPES are known). */
  builderOf(keys: readonly string[]): RecordBuilder | undefined {
    const id = JSON.stringify(keys);
    let builder = this.builders.get(id);
    if (builder === undefined && this.builders.size < MAX_SHAPES) {
      const fields = keys.map((key) => `${key === "__proto__" ? `[${JSON.stringify(key)}]` : JSON.stringify(key)}: reader.value(depth)`);
      builder = this.generate(["reader", "depth"], `return { ${fields.join(", ")} };`) as RecordBuilder;
      this.builders.set(id, builder);
    }
    return builder;
  }
}
