/**
 * The exchange format: one binary frame per message between two workers, the same bytes between
 * worker threads (transferred, not copied) and, later, over TCP (length-prefixed). Pure and
 * isomorphic: no I/O, no Node or DOM API.
 *
 * Contract:
 * - `encodeFrame(message) -> Uint8Array` and `decodeFrame(bytes) -> WireMessage`, with
 *   `decodeFrame(encodeFrame(m))` equal to `m`; items equal to what structured clone makes of them
 *   (plain data, engine/runtime/plainData.ts: nested arrays and objects, Map, Set, Date, RegExp,
 *   Error, typed arrays, ArrayBuffer, bigint, undefined, null, -0, NaN, holes, cycles), except that
 *   an object referenced twice inside one frame arrives as two equal copies (a cycle stays a cycle).
 * - Every frame returned owns its whole `ArrayBuffer` (offset 0, exact length), so that it can be
 *   transferred.
 * - `decodeFrame` of any bytes returns a message or throws an `EddyError` EXCHANGE_BAD_FRAME; it
 *   never throws anything else, reads out of bounds or loops on a corrupt length.
 * - A frame decodes alone (its string and shape tables start empty), so frames may be dropped or
 *   interleaved across channels; within a channel, order is the transport's business (FIFO).
 *
 * Layout: byte 0 FRAME_VERSION, byte 1 the kind, byte 2 flags (bit 0: the values use references;
 * bit 1: the items are all `[string, value]` pairs, each written as its key and its value; bit 2:
 * the items are pair columns, pairColumns.ts: pairs of one schema, written without tags), then
 * per kind (varints unsigned LEB128, f64 little-endian; epochs and frontiers are f64, so
 * Infinity travels):
 *   data      node, port, epoch f64, item count, items (valueTags.ts)
 *   frontier  node, port, from, frontier f64
 *   progress  from, frontier f64, durable f64
 *   stop      from, at f64
 *   credit    frames (the receiver consumed that many frames of this channel; flow control, creditWindow.ts)
 *
 * `FrameEncoder` and `FrameDecoder` keep their buffers between frames (a transport holds one of
 * each); the two functions make them per call.
 */

import { EddyError } from "../errors.js";
import type { Message } from "../ports/transport.js";
import { defaultFunctionGenerator, type FunctionGenerator } from "../runtime/generatedCode.js";
import { PairColumnsReader } from "./pairColumnsReader.js";
import { PairColumnsWriter } from "./pairColumnsWriter.js";
import { RecordBuilders } from "./recordBuilders.js";
import { FrameError, ValueReader } from "./valueReader.js";
import { CYCLE, ValueWriter } from "./valueWriter.js";

/** 2 since pair columns (flag COLUMNS). */
export const FRAME_VERSION = 2;

/** The flow-control message of the transports: the sender may have `frames` more frames in flight. */
export interface CreditMessage {
  readonly kind: "credit";
  readonly frames: number;
}

/** What a frame carries: an engine message, or credit. */
export type WireMessage = Message | CreditMessage;

const KIND = { data: 1, frontier: 2, progress: 3, stop: 4, credit: 5 } as const;
const HEADER = 3;
const REFERENCES = 1;
/** Flag: the items are `[key, value]` pairs, written as key and value (no array tag per item). */
const PAIRS = 2;
/** Flag: the items are pair columns (pairColumns.ts). */
const COLUMNS = 4;

export class FrameEncoder {
  private readonly writer: ValueWriter;
  private readonly columns: PairColumnsWriter | undefined;

  /**
   * `generateCode`: write objects with generated code (faster; only where the host allows `new Function`).
   * `columns`: write pairs of one schema as pair columns (the default; false only to compare with the general encoding).
   */
  constructor(options: { readonly generateCode?: boolean; readonly columns?: boolean } = {}) {
    this.writer = new ValueWriter(options.generateCode === true);
    this.columns = options.columns === false ? undefined : new PairColumnsWriter(options.generateCode === true);
  }

  /** Encodes a message. Values that are not plain data throw a TypeError saying what they hold. */
  encode(message: WireMessage): Uint8Array {
    try {
      return this.write(message, false, this.columns !== undefined);
    } catch (error) {
      if (error !== CYCLE) throw error;
      return this.write(message, true, false);
    }
  }

  private write(message: WireMessage, references: boolean, columns: boolean): Uint8Array {
    const w = this.writer;
    w.reset(references);
    w.byte(FRAME_VERSION);
    w.byte(KIND[message.kind]);
    w.byte(references ? REFERENCES : 0);
    switch (message.kind) {
      case "data": {
        w.varint(message.node);
        w.varint(message.port);
        w.float(message.epoch);
        const items = message.items;
        w.varint(items.length);
        if (columns && items.length > 0) {
          w.bytes[2]! |= COLUMNS;
          // Items that do not all fit the first one's schema: the frame again, in the general encoding.
          if (!this.columns!.write(w, items)) return this.write(message, references, false);
        } else if (!references && allPairs(items)) {
          // Keyed items (what the exchange sends): the key string and the value, without the pair's array.
          w.bytes[2]! |= PAIRS;
          for (let i = 0; i < items.length; i++) {
            const item = items[i] as [string, unknown];
            w.string(item[0]);
            w.value(item[1], 1);
          }
        } else {
          for (let i = 0; i < items.length; i++) w.value(items[i], 0);
        }
        break;
      }
      case "frontier":
        w.varint(message.node);
        w.varint(message.port);
        w.varint(message.from);
        w.float(message.frontier);
        break;
      case "progress":
        w.varint(message.from);
        w.float(message.frontier);
        w.float(message.durable);
        break;
      case "stop":
        w.varint(message.from);
        w.float(message.at);
        break;
      case "credit":
        w.varint(message.frames);
        break;
    }
    // A copy of exactly the frame's bytes, in a buffer of its own (the writer's is reused).
    return w.bytes.slice(0, w.position);
  }
}

export class FrameDecoder {
  private readonly reader: ValueReader;
  private readonly columns: PairColumnsReader;

  /**
   * `generateCode`: build objects with generated code (faster; only where the host allows `new
   * Function`), compiled by `generate` (Host.generateFunction; `new Function` by default).
   */
  constructor(options: { readonly generateCode?: boolean; readonly generate?: FunctionGenerator } = {}) {
    const generate = options.generateCode === true ? (options.generate ?? defaultFunctionGenerator) : undefined;
    this.reader = new ValueReader(generate !== undefined ? new RecordBuilders(generate) : undefined);
    this.columns = new PairColumnsReader(generate);
  }

  /** Decodes a frame; `from` names the sender in the error of a frame that cannot be read. */
  decode(bytes: Uint8Array, from = "another worker"): WireMessage {
    try {
      return this.read(bytes);
    } catch (error) {
      if (!(error instanceof FrameError) && !(error instanceof RangeError)) throw error;
      throw new EddyError("EXCHANGE_BAD_FRAME", `A frame from ${from} cannot be read (${bytes.length} bytes): ${error.message}`, { cause: error });
    } finally {
      this.reader.release();
    }
  }

  private read(bytes: Uint8Array): WireMessage {
    if (bytes.length < HEADER) throw new FrameError("it is shorter than a frame's header");
    if (bytes[0] !== FRAME_VERSION) throw new FrameError(`its format version is ${bytes[0]}, and this Eddy reads version ${FRAME_VERSION}`);
    const r = this.reader;
    r.reset(bytes, HEADER, (bytes[2]! & REFERENCES) !== 0);
    let message: WireMessage;
    switch (bytes[1]) {
      case KIND.data: {
        const node = r.varint();
        const port = r.varint();
        const epoch = r.float();
        const count = r.count();
        let items: unknown[] = [];
        if ((bytes[2]! & COLUMNS) !== 0) {
          if (count === 0) throw new FrameError("pair columns of no items");
          items = this.columns.read(r, count);
        } else if ((bytes[2]! & PAIRS) !== 0) {
          for (let i = 0; i < count; i++) {
            const key = r.string();
            items.push([key, r.value(1)]);
          }
        } else {
          for (let i = 0; i < count; i++) items.push(r.value(0));
        }
        message = { kind: "data", node, port, epoch, items };
        break;
      }
      case KIND.frontier:
        message = { kind: "frontier", node: r.varint(), port: r.varint(), from: r.varint(), frontier: r.float() };
        break;
      case KIND.progress:
        message = { kind: "progress", from: r.varint(), frontier: r.float(), durable: r.float() };
        break;
      case KIND.stop:
        message = { kind: "stop", from: r.varint(), at: r.float() };
        break;
      case KIND.credit:
        message = { kind: "credit", frames: r.varint() };
        break;
      default:
        throw new FrameError(`its kind ${bytes[1]} is unknown`);
    }
    if (!r.atEnd) throw new FrameError(`${bytes.length - r.position} bytes are left after the message`);
    return message;
  }
}

/** Whether every item is a `[string, value]` pair (a dense array of two, no extra own properties to lose). */
function allPairs(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== "string" || (item[1] === undefined && !(1 in item))) return false;
  }
  return true;
}

/** The kind of a frame without decoding it (credit frames are handled apart from the rest). */
export function isCreditFrame(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER && bytes[1] === KIND.credit;
}

/** Encodes one message (a transport keeps a `FrameEncoder` instead, which reuses its buffer). */
export function encodeFrame(message: WireMessage): Uint8Array {
  return new FrameEncoder().encode(message);
}

/** Decodes one frame; throws EddyError EXCHANGE_BAD_FRAME on bytes that are not one. */
export function decodeFrame(bytes: Uint8Array, from?: string): WireMessage {
  return new FrameDecoder().decode(bytes, from);
}
