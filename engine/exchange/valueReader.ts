/**
 * Reads what valueWriter.ts wrote: each value as this realm's own plain data. Reading is total over
 * arbitrary bytes: a truncated, corrupt or foreign frame throws a `FrameError` (never loops on a
 * huge length, never reads past the end), which the frame decoder reports with its code.
 */

import { ERROR_NAMES, TABLE_MAX_LENGTH, TAG, VIEW_KINDS } from "./valueTags.js";
import { MAX_DEPTH } from "../runtime/plainData.js";
import type { RecordBuilder, RecordBuilders } from "./recordBuilders.js";
import { SHORT, ShortStrings } from "./shortStrings.js";

/** A frame that cannot be read; frame.ts turns it into EXCHANGE_BAD_FRAME. */
export class FrameError extends Error {}

const CHUNK = 4096;

type ViewConstructor = new (buffer: ArrayBuffer) => ArrayBufferView;
const VIEW_CONSTRUCTORS: readonly ViewConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
];
const ERRORS: Readonly<Record<(typeof ERROR_NAMES)[number], ErrorConstructor>> = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

export class ValueReader {
  position = 0;
  private end = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.bytes.buffer);
  private strings: string[] = [];
  /** Short latin-1 strings decoded lately (a lossy cache across frames). */
  private readonly shortStrings = new ShortStrings();
  private shapes: (readonly string[])[] = [];
  /** builders[i]: shape i's generated record builder, when code may be generated. */
  private builders: (RecordBuilder | undefined)[] = [];
  private references: unknown[] | undefined;

  /** `recordBuilders`: objects of a known shape built by generated code (RecordBuilders), where the host allows code generation. */
  constructor(private readonly recordBuilders?: RecordBuilders) {}

  /** Starts reading a frame: `bytes` from `position`; `references` as the frame's flags say. */
  reset(bytes: Uint8Array, position: number, references: boolean): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = position;
    this.end = bytes.length;
    this.strings = [];
    this.shapes = [];
    this.builders = [];
    this.references = references ? [] : undefined;
  }

  /** Releases the frame (the decoded values do not keep it alive: bytes are copied out). */
  release(): void {
    this.bytes = new Uint8Array(0);
    this.strings = [];
    this.shapes = [];
    this.builders = [];
    this.references = undefined;
  }

  get atEnd(): boolean {
    return this.position === this.end;
  }

  byte(): number {
    if (this.position >= this.end) throw new FrameError(`it ends early, at byte ${this.position}`);
    return this.bytes[this.position++]!;
  }

  varint(): number {
    const at = this.position;
    if (at < this.end && this.bytes[at]! < 0x80) {
      this.position = at + 1;
      return this.bytes[at]!;
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new FrameError(`a length at byte ${this.position} is too long`);
  }

  /** A count of things that take at least one byte each: no more than the bytes left. */
  count(): number {
    const n = this.varint();
    if (n > this.end - this.position) throw new FrameError(`a count of ${n} at byte ${this.position} exceeds the frame`);
    return n;
  }

  float(): number {
    if (this.position + 8 > this.end) throw new FrameError(`it ends early, at byte ${this.position}`);
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  value(depth: number): unknown {
    const tag = this.byte();
    switch (tag) {
      case TAG.STRING_REF:
      case TAG.STRING_LATIN1:
      case TAG.STRING_UTF16:
        return this.stringOf(tag);
      case TAG.INT: {
        const z = this.varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case TAG.FLOAT:
        return this.float();
      case TAG.UNDEFINED:
        return undefined;
      case TAG.NULL:
        return null;
      case TAG.FALSE:
        return false;
      case TAG.TRUE:
        return true;
      case TAG.BIGINT: {
        const digits = this.string();
        if (!/^-?\d+$/.test(digits)) throw new FrameError(`a bigint has the digits ${JSON.stringify(digits.slice(0, 40))}`);
        return BigInt(digits);
      }
    }
    if (depth > MAX_DEPTH + 1) throw new FrameError("it nests deeper than any value that crosses workers");
    return this.container(tag, depth + 1);
  }

  string(): string {
    return this.stringOf(this.byte());
  }

  /** A string as pair columns write it (ValueWriter.stringEntry). */
  stringEntry(): string {
    const ref = this.varint();
    if (ref !== 0) {
      if (ref > this.strings.length) throw new FrameError(`string ${ref - 1} is not in the frame's table`);
      return this.strings[ref - 1]!;
    }
    const header = this.varint();
    const length = Math.floor(header / 2);
    let text: string;
    if (header % 2 === 1) text = this.utf16(length);
    else if (length > this.end - this.position) throw new FrameError(`a string of ${length} characters at byte ${this.position} exceeds the frame`);
    else text = this.latin1(length);
    if (length <= TABLE_MAX_LENGTH) this.strings.push(text);
    return text;
  }

  private stringOf(tag: number): string {
    if (tag === TAG.STRING_REF) {
      const index = this.varint();
      if (index >= this.strings.length) throw new FrameError(`string ${index} is not in the frame's table`);
      return this.strings[index]!;
    }
    let text: string;
    if (tag === TAG.STRING_LATIN1) text = this.latin1(this.count());
    else if (tag === TAG.STRING_UTF16) text = this.utf16(this.varint());
    else throw new FrameError(`byte ${this.position - 1} is tag ${tag}, not a string`);
    if (text.length <= TABLE_MAX_LENGTH) this.strings.push(text);
    return text;
  }

  private latin1(length: number): string {
    const start = this.position;
    this.position += length;
    // Short strings (keys, words) repeat from frame to frame: shortStrings.ts reuses them.
    if (length <= SHORT) return this.shortStrings.read(this.bytes, start, length);
    if (length <= CHUNK) return String.fromCharCode.apply(null, this.bytes.subarray(start, start + length) as unknown as number[]);
    let text = "";
    for (let at = start; at < start + length; at += CHUNK) {
      text += String.fromCharCode.apply(null, this.bytes.subarray(at, Math.min(at + CHUNK, start + length)) as unknown as number[]);
    }
    return text;
  }

  private utf16(length: number): string {
    if (length * 2 > this.end - this.position) throw new FrameError(`a string of ${length} characters at byte ${this.position} exceeds the frame`);
    let text = "";
    const codes: number[] = [];
    for (let i = 0; i < length; i++) {
      codes.push(this.view.getUint16(this.position, true));
      this.position += 2;
      if (codes.length === CHUNK) {
        text += String.fromCharCode.apply(null, codes);
        codes.length = 0;
      }
    }
    return text + String.fromCharCode.apply(null, codes);
  }

  private keep<T>(container: T): T {
    this.references?.push(container);
    return container;
  }

  private container(tag: number, depth: number): unknown {
    switch (tag) {
      case TAG.ARRAY: {
        const length = this.count();
        if (length === 2 && this.references === undefined && this.bytes[this.position] !== TAG.HOLE) {
          // Pairs (keyed items) as a literal: the fastest array V8 makes.
          const first = this.value(depth);
          if (this.bytes[this.position] !== TAG.HOLE) return [first, this.value(depth)];
          this.position++;
          const pair = [first];
          pair.length = 2;
          return pair;
        }
        const array: unknown[] = this.keep([]);
        for (let i = 0; i < length; i++) {
          if (this.bytes[this.position] === TAG.HOLE) {
            this.position++;
            array.length = i + 1;
          } else {
            array.push(this.value(depth));
          }
        }
        return array;
      }
      case TAG.OBJECT_NEW: {
        const count = this.count();
        const keys: string[] = [];
        for (let i = 0; i < count; i++) keys.push(this.string());
        this.shapes.push(keys);
        const build = this.references === undefined ? this.recordBuilders?.builderOf(keys) : undefined;
        this.builders.push(build);
        // The first object of a shape too, so that every object of it is made alike (and in the builders' realm).
        return build !== undefined ? build(this, depth) : this.record(keys, depth);
      }
      case TAG.OBJECT: {
        const index = this.varint();
        if (index >= this.shapes.length) throw new FrameError(`object shape ${index} is not in the frame's table`);
        const build = this.builders[index];
        return build !== undefined ? build(this, depth) : this.record(this.shapes[index]!, depth);
      }
      case TAG.DATE:
        return new Date(this.float());
      case TAG.MAP: {
        const size = this.count();
        const map = this.keep(new Map<unknown, unknown>());
        for (let i = 0; i < size; i++) {
          const key = this.value(depth);
          map.set(key, this.value(depth));
        }
        return map;
      }
      case TAG.SET: {
        const size = this.count();
        const set = this.keep(new Set<unknown>());
        for (let i = 0; i < size; i++) set.add(this.value(depth));
        return set;
      }
      case TAG.REGEXP: {
        const source = this.string();
        const flags = this.string();
        try {
          return new RegExp(source, flags);
        } catch (error) {
          throw new FrameError(`a regular expression cannot be rebuilt: ${(error as Error).message}`);
        }
      }
      case TAG.ERROR:
        return this.error(depth);
      case TAG.ARRAY_BUFFER:
        return this.raw().buffer;
      case TAG.VIEW: {
        const kind = this.byte();
        const View = VIEW_CONSTRUCTORS[kind];
        if (View === undefined) throw new FrameError(`view kind ${kind} is unknown`);
        const bytes = this.raw();
        const size = kind < VIEW_KINDS.length - 1 ? ((View as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT ?? 1) : 1;
        if (bytes.length % size !== 0) throw new FrameError(`a ${VIEW_KINDS[kind]} of ${bytes.length} bytes`);
        return new View(bytes.buffer as ArrayBuffer);
      }
      case TAG.REFERENCE: {
        const index = this.varint();
        if (this.references === undefined || index >= this.references.length) throw new FrameError(`reference ${index} is not in the frame`);
        return this.references[index];
      }
    }
    throw new FrameError(`byte ${this.position - 1} has the unknown tag ${tag}`);
  }

  private record(keys: readonly string[], depth: number): Record<string, unknown> {
    const record: Record<string, unknown> = this.keep({});
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      // "__proto__" is an own property here (as JSON.parse and structured clone make it), not the prototype.
      if (key === "__proto__") Object.defineProperty(record, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true });
      else record[key] = this.value(depth);
    }
    return record;
  }

  private error(depth: number): Error {
    const name = this.string();
    const message = this.value(depth);
    const stack = this.value(depth);
    const Make = (ERRORS as Record<string, ErrorConstructor | undefined>)[name] ?? Error;
    const error = new Make(typeof message === "string" ? message : undefined);
    if (typeof message !== "string") delete (error as { message?: string }).message;
    if (typeof stack === "string") Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true, enumerable: false });
    else delete (error as { stack?: string }).stack;
    return error;
  }

  /** varint length and that many bytes, copied into a buffer of their own. */
  private raw(): Uint8Array<ArrayBuffer> {
    const length = this.varint();
    if (length > this.end - this.position) throw new FrameError(`${length} bytes at byte ${this.position} exceed the frame`);
    // Uint8Array's slice copies (a Node Buffer's would not).
    const copy = Uint8Array.prototype.slice.call(this.bytes, this.position, this.position + length) as Uint8Array<ArrayBuffer>;
    this.position += length;
    return copy;
  }
}
