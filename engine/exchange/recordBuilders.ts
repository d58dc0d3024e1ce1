/**
 * Objects of one shape, built by generated code: `(reader, depth) => ({ "word": reader.value(depth),
 * "t": reader.value(depth) })` makes each object in one allocation with its final hidden class,
 * where adding the keys one by one costs several times more. Used only where the host allows code
 * generation (Host.codeGeneration; a Content-Security-Policy may forbid `new Function` in a
 * browser). Keys come from frames, so they enter the code only through JSON.stringify, and a
 * "__proto__" key is computed (an own property, as structured clone makes it, never the prototype).
 * The builders are kept across frames, at most MAX_SHAPES of them.
 */

/** The reader's side a builder calls. */
export interface FieldReader {
  value(depth: number): unknown;
}

export type RecordBuilder = (reader: FieldReader, depth: number) => Record<string, unknown>;

const MAX_SHAPES = 256;

export class RecordBuilders {
  private readonly builders = new Map<string, RecordBuilder>();

  /** The builder of objects with these keys, in this order (undefined once MAX_SHAPES are known). */
  builderOf(keys: readonly string[]): RecordBuilder | undefined {
    const id = JSON.stringify(keys);
    let builder = this.builders.get(id);
    if (builder === undefined && this.builders.size < MAX_SHAPES) {
      const fields = keys.map((key) => `${key === "__proto__" ? `[${JSON.stringify(key)}]` : JSON.stringify(key)}: reader.value(depth)`);
      builder = new Function("reader", "depth", `return { ${fields.join(", ")} };`) as RecordBuilder;
      this.builders.set(id, builder);
    }
    return builder;
  }
}
