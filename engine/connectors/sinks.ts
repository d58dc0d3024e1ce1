/**
 * Sink writers for the built-in output configs. A handler that returns a promise is awaited before
 * the next item is handed over, so async outputs see items in order; sync handlers cost nothing extra.
 */

import type { SinkWriter } from "../ports/sink.js";
import { stdoutLine } from "./jsonLine.js";

type Handler = (value: any) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value != null && typeof (value as PromiseLike<unknown>).then === "function";
}

/** Calls `handler` for each item (as `[epoch, item]` when `withEpoch`). */
export class HandlerSink implements SinkWriter {
  private tail: Promise<void> | undefined;
  constructor(
    private readonly handler: Handler,
    private readonly withEpoch: boolean,
    /** Records which item failed; returns what to throw (see `recordFailureContext`). */
    private readonly onItemError: (error: unknown, item: unknown) => unknown,
  ) {}

  write(epoch: number, items: readonly unknown[]): void | Promise<void> {
    const pending = this.tail ? this.tail.then(() => this.writeFrom(epoch, items, 0)) : this.writeFrom(epoch, items, 0);
    if (!pending) return;
    this.tail = pending;
    pending.then(
      () => {
        if (this.tail === pending) this.tail = undefined;
      },
      () => {},
    );
    return pending;
  }

  closeEpoch(): void | Promise<void> {
    return this.tail;
  }

  private writeFrom(epoch: number, items: readonly unknown[], start: number): Promise<void> | undefined {
    const { handler, withEpoch } = this;
    for (let i = start; i < items.length; i++) {
      const item = items[i];
      let result: unknown;
      try {
        result = withEpoch ? handler([epoch, item]) : handler(item);
      } catch (error) {
        throw this.onItemError(error, item);
      }
      if (isThenable(result)) {
        return Promise.resolve(result).then(
          () => this.writeFrom(epoch, items, i + 1),
          (error: unknown) => {
            throw this.onItemError(error, item);
          },
        );
      }
    }
    return undefined;
  }
}

/** `TestingOutputConfig` / `TestingEpochOutputConfig`: appends to the array directly. */
export class ArraySink implements SinkWriter {
  constructor(
    private readonly array: unknown[],
    private readonly withEpoch: boolean,
  ) {}
  write(epoch: number, items: readonly unknown[]): void {
    const array = this.array;
    if (this.withEpoch) for (const item of items) array.push([epoch, item]);
    else for (const item of items) array.push(item);
  }
  closeEpoch(): void {}
}

/** `StdOutputConfig`: one line per item, a batch per write. */
export class StdoutSink implements SinkWriter {
  constructor(
    private readonly stepId: string,
    private readonly writeText: (text: string) => void | Promise<void>,
  ) {}
  write(_epoch: number, items: readonly unknown[]): void | Promise<void> {
    let text = "";
    for (const item of items) text += `${stdoutLine(item, this.stepId)}\n`;
    return this.writeText(text);
  }
  closeEpoch(): void {}
}
