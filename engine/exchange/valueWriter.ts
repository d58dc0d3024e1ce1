/**
 * Writes plain data (engine/runtime/plainData.ts: plain objects and arrays, Map, Set, Date, RegExp,
 * Error, typed arrays, ArrayBuffer, primitives other than symbols) into a growing byte buffer, with
 * the tags of valueTags.ts. Built-ins are recognised by their brand, not by `instanceof`, because
 * flow functions make values in a node:vm context with built-ins of their own; each is read back as
 * the receiving realm's own (as structured clone does).
 *
 * The writer reuses its buffer and its tables from frame to frame (`reset`), and allocates nothing
 * per value while strings and object shapes repeat. Shared references are written as copies; a
 * cycle would recurse without end, so past MAX_DEPTH the writer throws `CYCLE`, and the frame is
 * written again in reference mode, where every container gets an index and a repeat is written as
 * REFERENCE (slower, and only for frames that need it).
 */

import { MAX_DEPTH } from "../runtime/plainData.js";
import { FieldWriters, type FieldsWriter } from "./recordBuilders.js";
import { ERROR_NAMES, TABLE_MAX_LENGTH, TAG, VIEW_KINDS } from "./valueTags.js";

/** Thrown (as this object) when a value nests deeper than any acyclic plain data may: a cycle. */
export const CYCLE = { cycle: true } as const;

const OBJECT_PROTOTYPE: unknown = Object.prototype;
/** Slots of the writer's string cache (a power of two). */
const STRING_SLOTS = 1024;
const toStringTag = (value: object): string => Object.prototype.toString.call(value);

interface Shape {
  readonly keys: readonly string[];
  readonly index: number;
  /** Writes the values of an object of this shape, when code may be generated. */
  readonly write: FieldsWriter | undefined;
}

export class ValueWriter {
  bytes = new Uint8Array(64 * 1024);
  private view = new DataView(this.bytes.buffer);
  position = 0;
  /**
   * Which short strings this frame has written, and at which index of the reader's table: a lossy
   * cache indexed by a hash of the string (a Map costs more than the whole rest of an item; a
   * collision only writes a string in full once more, which the reader adds to its table alike).
   * A slot holds a string of this frame when its frame number is this one's (no clearing between
   * frames); its hash is compared before the strings (comparing two equal-length strings costs more).
   */
  private readonly cachedStrings: (string | undefined)[] = new Array<string | undefined>(STRING_SLOTS).fill(undefined);
  private readonly cachedIndices = new Int32Array(STRING_SLOTS);
  private readonly cachedHashes = new Int32Array(STRING_SLOTS);
  private readonly cachedFrames = new Int32Array(STRING_SLOTS);
  /** This frame's number (from 1) in cachedFrames. */
  private frame = 0;
  /** How many strings the reader's table holds so far in this frame. */
  private tableSize = 0;
  private readonly shapes = new Map<string, Shape>();
  private lastShape: Shape | undefined;
  /** Generated writers of object fields, by shape (kept across frames). */
  private readonly fieldWriters = new FieldWriters();

  /** `generateCode`: objects of a known shape have their fields written by generated code (recordBuilders.ts). */
  constructor(private readonly generateCode = false) {}

  /** Set in reference mode: the index of every container written so far in this frame. */
  private seen: Map<object, number> | undefined;

  /** Starts a new frame: empty buffer and tables; `references` turns reference mode on. */
  reset(references: boolean): void {
    this.position = 0;
    this.frame += 1;
    if (this.frame === 0x7fffffff) {
      // Frame numbers would wrap: every slot is stale.
      this.cachedFrames.fill(0);
      this.frame = 1;
    }
    this.tableSize = 0;
    this.shapes.clear();
    this.lastShape = undefined;
    this.seen = references ? new Map() : undefined;
  }

  /** Makes room for `n` more bytes (small, so that the JIT inlines it; growing is apart). */
  ensure(n: number): void {
    if (this.position + n > this.bytes.length) this.grow(n);
  }

  private grow(n: number): void {
    let size = this.bytes.length * 2;
    while (size < this.position + n) size *= 2;
    const bytes = new Uint8Array(size);
    bytes.set(this.bytes.subarray(0, this.position));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }

  byte(value: number): void {
    this.ensure(1);
    this.bytes[this.position++] = value;
  }

  varint(value: number): void {
    if (value < 0x80 && this.position < this.bytes.length) {
      this.bytes[this.position++] = value;
      return;
    }
    this.longVarint(value);
  }

  private longVarint(value: number): void {
    this.ensure(10);
    const bytes = this.bytes;
    while (value >= 0x80) {
      bytes[this.position++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    bytes[this.position++] = value;
  }

  float(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.position, value, true);
    this.position += 8;
  }

  value(value: unknown, depth: number): void {
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number":
        if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
          this.byte(TAG.INT);
          this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
        } else {
          this.byte(TAG.FLOAT);
          this.float(value);
        }
        return;
      case "boolean":
        return this.byte(value ? TAG.TRUE : TAG.FALSE);
      case "undefined":
        return this.byte(TAG.UNDEFINED);
      case "bigint":
        this.byte(TAG.BIGINT);
        return this.string(value.toString());
      case "object":
        if (value === null) return this.byte(TAG.NULL);
        // Deeper than plain data may be: a cycle, unless references are on (they catch cycles), then too deep.
        if (depth > MAX_DEPTH) throw this.seen === undefined ? CYCLE : new TypeError(`a value nested more than ${MAX_DEPTH} levels deep cannot cross to another worker`);
        return this.object(value, depth + 1);
      default:
        throw new TypeError(`a ${typeof value} cannot cross to another worker`);
    }
  }

  string(value: string): void {
    const index = this.tableIndex(value);
    if (index >= 0) {
      this.byte(TAG.STRING_REF);
      return this.varint(index);
    }
    const start = this.position;
    this.ensure(value.length + 16);
    this.byte(TAG.STRING_LATIN1);
    this.varint(value.length);
    if (this.latin1(value)) return;
    this.position = start;
    this.ensure(value.length * 2 + 16);
    this.byte(TAG.STRING_UTF16);
    this.varint(value.length);
    this.utf16(value);
  }

  /**
   * A string as pair columns write it (pairColumns.ts), without a tag: varint `index + 1` of the
   * frame's table, or 0, then varint `length * 2` (+ 1 when UTF-16) and the characters. Returns
   * the string's index in the table (-1 for a long string, which is not in it), which a later
   * equal string may be written as (`varint(index + 1)`) without looking it up.
   */
  stringEntry(value: string): number {
    const index = this.tableIndex(value);
    if (index >= 0) {
      this.varint(index + 1);
      return index;
    }
    const start = this.position;
    this.ensure(value.length + 16);
    this.bytes[this.position++] = 0;
    this.varint(value.length * 2);
    if (!this.latin1(value)) {
      this.position = start;
      this.ensure(value.length * 2 + 16);
      this.bytes[this.position++] = 0;
      this.varint(value.length * 2 + 1);
      this.utf16(value);
    }
    return value.length <= TABLE_MAX_LENGTH ? this.tableSize - 1 : -1;
  }

  /** The index of `value` in this frame's string table, or -1 (and it enters the table, if short enough). */
  private tableIndex(value: string): number {
    const length = value.length;
    if (length > TABLE_MAX_LENGTH) return -1;
    let hash = length;
    for (let i = 0; i < length; i += length <= 16 ? 1 : 5) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
    const slot = (hash ^ (hash >>> 11)) & (STRING_SLOTS - 1);
    if (this.cachedFrames[slot] === this.frame && this.cachedHashes[slot] === hash && this.cachedStrings[slot] === value) return this.cachedIndices[slot]!;
    this.cachedStrings[slot] = value;
    this.cachedHashes[slot] = hash;
    this.cachedFrames[slot] = this.frame;
    this.cachedIndices[slot] = this.tableSize++;
    return -1;
  }

  /** Writes one byte per character (room made by the caller); false, with the position unchanged, when a character is above 0xff. */
  private latin1(value: string): boolean {
    const bytes = this.bytes;
    let at = this.position;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0xff) return false;
      bytes[at++] = code;
    }
    this.position = at;
    return true;
  }

  /** Writes two bytes (a UTF-16 code unit, little-endian) per character, lone surrogates included (room made by the caller). */
  private utf16(value: string): void {
    for (let i = 0; i < value.length; i++) {
      this.view.setUint16(this.position, value.charCodeAt(i), true);
      this.position += 2;
    }
  }

  private object(value: object, depth: number): void {
    const seen = this.seen;
    if (seen !== undefined) {
      const index = seen.get(value);
      if (index !== undefined) {
        this.byte(TAG.REFERENCE);
        return this.varint(index);
      }
    }
    if (Array.isArray(value)) {
      seen?.set(value, seen.size);
      return this.array(value, depth);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === OBJECT_PROTOTYPE || proto === null || Object.getPrototypeOf(proto) === null) {
      seen?.set(value, seen.size);
      return this.record(value as Record<string, unknown>, depth);
    }
    this.builtIn(value, depth);
  }

  private array(value: readonly unknown[], depth: number): void {
    const length = value.length;
    this.byte(TAG.ARRAY);
    this.varint(length);
    for (let i = 0; i < length; i++) {
      const element = value[i];
      if (element === undefined && !(i in value)) this.byte(TAG.HOLE);
      else this.value(element, depth);
    }
  }

  private record(value: Record<string, unknown>, depth: number): void {
    const last = this.lastShape;
    let count = 0;
    let same = last !== undefined;
    if (same) {
      const keys = last!.keys;
      for (const key in value) {
        if (count >= keys.length || keys[count] !== key) {
          same = false;
          break;
        }
        count++;
      }
      same &&= count === keys.length;
    }
    let shape = same ? last! : undefined;
    if (shape === undefined) {
      const keys: string[] = [];
      for (const key in value) keys.push(key);
      const id = JSON.stringify(keys);
      shape = this.shapes.get(id);
      if (shape === undefined) {
        shape = { keys, index: this.shapes.size, write: this.generateCode ? this.fieldWriters.writerOf(keys) : undefined };
        this.shapes.set(id, shape);
        this.byte(TAG.OBJECT_NEW);
        this.varint(keys.length);
        for (const key of keys) this.string(key);
        this.lastShape = shape;
        for (const key of keys) this.value(value[key], depth);
        return;
      }
      this.lastShape = shape;
    }
    this.byte(TAG.OBJECT);
    this.varint(shape.index);
    if (shape.write !== undefined) return shape.write(this, value, depth);
    const keys = shape.keys;
    for (let i = 0; i < keys.length; i++) this.value(value[keys[i]!], depth);
  }

  private builtIn(value: object, depth: number): void {
    if (ArrayBuffer.isView(value)) {
      const kind = VIEW_KINDS.indexOf(toStringTag(value).slice(8, -1) as (typeof VIEW_KINDS)[number]);
      if (kind === -1) throw new TypeError(`a ${toStringTag(value)} cannot cross to another worker`);
      this.byte(TAG.VIEW);
      this.byte(kind);
      return this.raw(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    }
    switch (toStringTag(value)) {
      case "[object Date]":
        this.byte(TAG.DATE);
        return this.float(Date.prototype.getTime.call(value));
      case "[object RegExp]":
        this.byte(TAG.REGEXP);
        this.string((value as RegExp).source);
        return this.string((value as RegExp).flags);
      case "[object ArrayBuffer]":
        this.byte(TAG.ARRAY_BUFFER);
        return this.raw(new Uint8Array(value as ArrayBuffer));
      case "[object Error]": {
        const error = value as Error;
        const name = (ERROR_NAMES as readonly unknown[]).includes(error.name) ? error.name : "Error";
        this.byte(TAG.ERROR);
        this.string(name);
        this.value(typeof error.message === "string" ? error.message : undefined, depth);
        return this.value(typeof error.stack === "string" ? error.stack : undefined, depth);
      }
      case "[object Map]":
        this.seen?.set(value, this.seen.size);
        this.byte(TAG.MAP);
        this.varint((value as Map<unknown, unknown>).size);
        for (const [key, member] of (value as Map<unknown, unknown>).entries()) {
          this.value(key, depth);
          this.value(member, depth);
        }
        return;
      case "[object Set]":
        this.seen?.set(value, this.seen.size);
        this.byte(TAG.SET);
        this.varint((value as Set<unknown>).size);
        for (const member of (value as Set<unknown>).values()) this.value(member, depth);
        return;
    }
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? "?";
    throw new TypeError(`an instance of class ${name} cannot cross to another worker`);
  }

  private raw(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.bytes.set(bytes, this.position);
    this.position += bytes.length;
  }
}
