/**
 * The writer of `FileOutputConfig`: each item as one line of JSON (`JSON.stringify`; strings too,
 * as JSON strings). With one worker it writes `path`; with several, worker i writes `path` with
 * `.i` before the extension (`out.jsonl` → `out.0.jsonl`, `out` → `out.0`). Missing parent
 * directories are created.
 *
 * Exactly once under recovery. The file's byte length at each epoch close is this sink's snapshot,
 * saved with the epoch. The file is opened lazily, at the first write or epoch close: on a fresh
 * run (nothing restored) it is cut to empty; on a resume, `restore(length)` (called before any
 * write) makes it cut back to the length saved with the last committed epoch, so the epochs the
 * crashed run wrote after it are written again exactly once. A file shorter than the saved length
 * was changed by someone else: that is an error, never a silent gap.
 *
 * Durability: every batch is written with write(2) at explicit positions before the epoch closes,
 * so a SIGKILL of the process loses nothing of a closed epoch (the bytes are in the OS's page
 * cache). There is no fsync: after a power loss the file may be shorter than the saved length, and
 * the resume then stops with the error above rather than leaving a gap. The file is closed at each
 * epoch close and reopened for the next write, so no descriptor outlives a run.
 */

import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import type { OutputContext } from "../../engine/host/index.js";
import type { FileOutputConfig } from "../../engine/host/index.js";
import { fileLine } from "../../engine/host/index.js";
import { EddyError } from "../../engine/host/index.js";
import { preview } from "../../engine/host/index.js";
import type { SinkWriter } from "../../engine/host/index.js";
import { fsErrorText } from "./fsErrorText.js";

/** The file worker `workerIndex` of `workerCount` writes for `path`. */
export function workerFilePath(path: string, workerIndex: number, workerCount: number): string {
  if (workerCount === 1) return path;
  const name = basename(path);
  const extension = extname(name);
  const stem = extension === "" ? name : name.slice(0, -extension.length);
  return join(dirname(path), `${stem}.${workerIndex}${extension}`);
}

export function createFileWriter(config: FileOutputConfig, ctx: OutputContext): SinkWriter {
  return new FileWriter(workerFilePath(config.path, ctx.workerIndex, ctx.workerCount), ctx.stepId);
}

class FileWriter implements SinkWriter {
  private fd: number | undefined;
  /** The file's length as this run knows it; undefined until the file was first opened. */
  private length: number | undefined;
  /** The length to cut the file back to on first open: 0 on a fresh run. */
  private restoredLength = 0;

  constructor(
    private readonly path: string,
    private readonly stepId: string,
  ) {}

  write(_epoch: number, items: readonly unknown[]): void {
    let text = "";
    for (const item of items) text += `${this.line(item)}\n`;
    const fd = this.open();
    const bytes = Buffer.from(text, "utf8");
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, this.length! + done);
    } catch (error) {
      throw new EddyError("OUTPUT_FILE_FAILED", `${this.where()}: cannot write: ${fsErrorText(error)}`, { cause: error });
    }
    this.length! += bytes.length;
  }

  closeEpoch(): void {
    this.open();
    this.closeFile();
  }

  snapshot(): unknown {
    this.open();
    return this.length;
  }

  restore(state: unknown): void {
    if (!Number.isSafeInteger(state) || (state as number) < 0) {
      throw new EddyError("RECOVERY_CORRUPT", `${this.where()}: the saved file length ${preview(state)} is not a byte count`);
    }
    if (this.length !== undefined) throw new EddyError("OUTPUT_FILE_FAILED", `${this.where()}: restore after the file was opened`);
    this.restoredLength = state as number;
  }

  /** Opens the file; the first time, cuts it to the restored length (0 on a fresh run). */
  private open(): number {
    if (this.fd !== undefined) return this.fd;
    const first = this.length === undefined;
    let fd: number;
    try {
      if (first) mkdirSync(dirname(this.path), { recursive: true });
      fd = openSync(this.path, first && this.restoredLength === 0 ? "w" : "r+");
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      if (first && missing) {
        throw new EddyError("OUTPUT_FILE_CHANGED", `${this.where()}: the file is gone, but the resumed run had written ${this.restoredLength} bytes to it`, { cause: error });
      }
      throw new EddyError("OUTPUT_FILE_FAILED", `${this.where()}: cannot open: ${fsErrorText(error)}`, { cause: error });
    }
    this.fd = fd;
    if (first) {
      try {
        const size = fstatSync(fd).size;
        if (size < this.restoredLength) {
          throw new EddyError(
            "OUTPUT_FILE_CHANGED",
            `${this.where()}: the file has ${size} bytes, fewer than the ${this.restoredLength} the resumed run had written; it was changed or cut since`,
          );
        }
        if (size > this.restoredLength) ftruncateSync(fd, this.restoredLength);
      } catch (error) {
        this.closeFile();
        if (error instanceof EddyError) throw error;
        throw new EddyError("OUTPUT_FILE_FAILED", `${this.where()}: cannot cut back to ${this.restoredLength} bytes: ${fsErrorText(error)}`, { cause: error });
      }
      this.length = this.restoredLength;
    }
    return fd;
  }

  private closeFile(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch (error) {
      throw new EddyError("OUTPUT_FILE_FAILED", `${this.where()}: cannot close: ${fsErrorText(error)}`, { cause: error });
    }
  }

  private line(item: unknown): string {
    return fileLine(item, this.stepId);
  }

  private where(): string {
    return `Step "${this.stepId}" (capture), file ${this.path}`;
  }
}
