/**
 * The reader of `FileInputConfig`: one item per line of a text file (UTF-8), without its line
 * ending ("\n" or "\r\n"); a newline at the very end does not make an empty last item, empty lines
 * in between are items (""). A UTF-8 byte order mark at the start of the file is dropped. Worker i
 * of n takes the lines i, i + n, i + 2n, ... (as `TestingInputConfig` distributes a list).
 *
 * Resume state: `{ offset, line }`, the byte offset in the file where this worker reads next and
 * the index (from 0) of the line that starts there. A resumed worker seeks to `offset` and reads on:
 * nothing is read twice, however long the file. The state is taken after the last line emitted, so
 * the lines of other workers after it are skipped again on resume.
 *
 * Reading is incremental and synchronous, in chunks of CHUNK_BYTES at explicit positions; a poll
 * reads at most POLL_BYTES, so polling never blocks for long and never holds the whole file. When a
 * poll found none of this worker's lines within that budget (long lines of other workers), it says
 * "no data yet" and goes on at the next poll.
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { InputContext } from "../../engine/host/index.js";
import type { FileInputConfig } from "../../engine/host/index.js";
import { EddyError } from "../../engine/host/index.js";
import { preview } from "../../engine/host/index.js";
import { DONE, PENDING, type InputReader, type PollResult } from "../../engine/host/index.js";
import { fsErrorText } from "./fsErrorText.js";

const CHUNK_BYTES = 64 * 1024;
const POLL_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Where a worker reads next: a byte offset and the index of the line that starts there. */
export interface FilePosition {
  readonly offset: number;
  readonly line: number;
}

export function createFileReader(config: FileInputConfig, ctx: InputContext): InputReader {
  return new FileReader(config.path, ctx);
}

function isPosition(value: unknown): value is FilePosition {
  if (typeof value !== "object" || value === null) return false;
  const { offset, line } = value as Record<string, unknown>;
  return Number.isSafeInteger(offset) && (offset as number) >= 0 && Number.isSafeInteger(line) && (line as number) >= 0;
}

class FileReader implements InputReader {
  private fd: number | undefined;
  /** Bytes read but not yet split into lines are `buffer[begin..end)`; `buffer[begin]` is at file offset `beginOffset`. */
  private buffer = Buffer.allocUnsafe(2 * CHUNK_BYTES);
  private begin = 0;
  private end = 0;
  /** No newline in `buffer[begin..scanned)`: the search for the next one starts there. */
  private scanned = 0;
  private beginOffset: number;
  /** The index of the line that starts at `beginOffset`. */
  private line: number;
  /** What `snapshot` returns: the position after the last line this worker emitted. */
  private position: FilePosition;
  private atEnd = false;
  private done = false;

  constructor(
    private readonly path: string,
    private readonly ctx: InputContext,
  ) {
    const resume = ctx.resumeState;
    if (resume !== undefined && !isPosition(resume)) {
      throw new EddyError("RECOVERY_CORRUPT", `${this.where()}: the saved position ${preview(resume)} is not a file position ({ offset, line })`);
    }
    this.position = resume ?? { offset: 0, line: 0 };
    this.beginOffset = this.position.offset;
    this.line = this.position.line;
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (error) {
      throw new EddyError("INPUT_FILE_UNREADABLE", `${this.where()}: cannot open the input file: ${fsErrorText(error)}`, { cause: error });
    }
    this.fd = fd;
    const size = fstatSync(fd).size;
    if (this.position.offset > size) {
      this.close();
      throw new EddyError(
        "INPUT_FILE_CHANGED",
        `${this.where()}: the file has ${size} bytes, fewer than the saved position ${this.position.offset}; it changed since the run that is resumed`,
      );
    }
  }

  poll(max: number): PollResult {
    if (this.done) return DONE;
    const { workerIndex, workerCount } = this.ctx;
    const items: string[] = [];
    let budget = POLL_BYTES;
    for (;;) {
      // Split off the complete lines.
      const view = this.buffer.subarray(0, this.end);
      while (items.length < max) {
        const newline = view.indexOf(NEWLINE, this.scanned);
        if (newline < 0) {
          this.scanned = this.end;
          break;
        }
        this.takeLine(newline, newline + 1, workerIndex, workerCount, items);
      }
      if (items.length >= max) return items;
      if (this.atEnd) {
        // The last line, when the file does not end with a newline.
        if (this.end > this.begin) this.takeLine(this.end, this.end, workerIndex, workerCount, items);
        if (items.length > 0) return items;
        this.close();
        return DONE;
      }
      if (budget <= 0) return items.length > 0 ? items : PENDING;
      budget -= this.read();
    }
  }

  snapshot(): unknown {
    return this.position;
  }

  close(): void {
    this.done = true;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing is best effort.
      }
      this.fd = undefined;
    }
  }

  /** The line `buffer[begin..lineEnd)`, followed by the next one at `next`: emits it if it is this worker's. */
  private takeLine(lineEnd: number, next: number, workerIndex: number, workerCount: number, items: string[]): void {
    if (this.line % workerCount === workerIndex) {
      let stop = lineEnd;
      if (stop > this.begin && this.buffer[stop - 1] === CARRIAGE_RETURN) stop -= 1;
      items.push(this.buffer.toString("utf8", this.begin, stop));
      this.position = { offset: this.beginOffset + (next - this.begin), line: this.line + 1 };
    }
    this.line += 1;
    this.beginOffset += next - this.begin;
    this.begin = next;
    this.scanned = next;
  }

  /** Reads the next chunk after the buffered bytes; returns how many bytes were read (0 at the end). */
  private read(): number {
    if (this.buffer.length - this.end < CHUNK_BYTES) this.makeRoom();
    let count: number;
    try {
      count = readSync(this.fd!, this.buffer, this.end, CHUNK_BYTES, this.beginOffset + (this.end - this.begin));
    } catch (error) {
      throw new EddyError("INPUT_FILE_UNREADABLE", `${this.where()}: cannot read the input file: ${fsErrorText(error)}`, { cause: error });
    }
    if (count === 0) {
      this.atEnd = true;
      return 0;
    }
    // A UTF-8 byte order mark is not part of the first line.
    if (this.beginOffset === 0 && this.begin === 0 && this.end === 0 && count >= 3 && this.buffer[0] === 0xef && this.buffer[1] === 0xbb && this.buffer[2] === 0xbf) {
      this.begin = 3;
      this.scanned = 3;
      this.beginOffset = 3;
      if (this.position.offset === 0) this.position = { offset: 3, line: 0 };
    }
    this.end += count;
    return count;
  }

  /** Moves the unsplit bytes to the start of the buffer, or into a larger one (a long line). */
  private makeRoom(): void {
    const used = this.end - this.begin;
    const target = used + CHUNK_BYTES <= this.buffer.length ? this.buffer : Buffer.allocUnsafe(Math.max(2 * this.buffer.length, used + CHUNK_BYTES));
    this.buffer.copy(target, 0, this.begin, this.end);
    this.buffer = target;
    this.scanned -= this.begin;
    this.end = used;
    this.begin = 0;
  }

  private where(): string {
    return `Step "${this.ctx.stepId}" (input), file ${this.path}, worker ${this.ctx.workerIndex}`;
  }
}
