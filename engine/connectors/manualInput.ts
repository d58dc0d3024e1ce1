/**
 * Readers for `ManualInputConfig`. A sync iterator is pulled directly when polled. An async
 * iterator is pumped in the background into a small buffer, so that `poll` never waits: a slow
 * source never stalls the worker, and epochs still close on time while it waits.
 */

import { ItemBatch } from "../configs/inputs.js";
import { DONE, PENDING, type InputReader, type PollResult } from "../ports/source.js";
import { notAPair, notIterable, promisedItem } from "./inputErrors.js";

export interface ReaderContext {
  readonly stepId: string;
  /** Tells the scheduler that an async input has something new. */
  readonly wake: () => void;
  /** How many items an async input may fetch ahead of polling (1 under testing epochs). */
  readonly prefetch: number;
}

export function createManualReader(source: unknown, resumeState: unknown, ctx: ReaderContext): InputReader {
  if (source != null && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    return new AsyncPumpReader((source as AsyncIterable<unknown>)[Symbol.asyncIterator](), resumeState, ctx);
  }
  if (source != null && typeof (source as Iterable<unknown>)[Symbol.iterator] === "function") {
    return new SyncIteratorReader((source as Iterable<unknown>)[Symbol.iterator](), resumeState, ctx.stepId);
  }
  throw notIterable(ctx.stepId, source);
}

class SyncIteratorReader implements InputReader {
  private done = false;
  constructor(
    private readonly iterator: Iterator<unknown>,
    private state: unknown,
    private readonly stepId: string,
  ) {}

  poll(max: number): PollResult {
    if (this.done) return DONE;
    const items: unknown[] = [];
    const iterator = this.iterator;
    while (items.length < max) {
      const result = iterator.next();
      if (result.done) {
        this.done = true;
        break;
      }
      const pair = result.value;
      if (pair === undefined) break;
      if (!Array.isArray(pair) || pair.length !== 2) throw notAPair(this.stepId, pair);
      this.state = pair[0];
      const item: unknown = pair[1];
      if (typeof item === "object" && item !== null && typeof (item as { then?: unknown }).then === "function") throw promisedItem(this.stepId, item);
      if (item instanceof ItemBatch) {
        // A batch is taken whole (it may go past `max`); a copy, since the source may reuse its array.
        if (items.length === 0) return item.items.length > 0 ? item.items.slice() : PENDING;
        for (const one of item.items) items.push(one);
      } else {
        items.push(item);
      }
    }
    if (items.length > 0) return items;
    return this.done ? DONE : PENDING;
  }

  snapshot(): unknown {
    return this.state;
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.iterator.return?.();
    } catch {
      // Closing is best effort; the run is already stopping.
    }
  }
}

class AsyncPumpReader implements InputReader {
  readonly notifiesOnData = true;
  /** Buffered pairs as flat [state, item, state, item, ...]. */
  private buffer: unknown[] = [];
  private inFlight = false;
  private finished = false;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly iterator: AsyncIterator<unknown>,
    private state: unknown,
    private readonly ctx: ReaderContext,
  ) {}

  poll(max: number): PollResult {
    const buffer = this.buffer;
    if (buffer.length > 0) {
      const count = Math.min(max, buffer.length / 2);
      const items: unknown[] = [];
      for (let i = 0; i < count; i++) {
        const item = buffer[2 * i + 1];
        if (item instanceof ItemBatch) for (const one of item.items) items.push(one);
        else items.push(item);
      }
      this.state = buffer[2 * count - 2];
      this.buffer = buffer.slice(2 * count);
      this.request();
      return items.length > 0 ? items : PENDING;
    }
    if (this.failure) throw this.failure.error;
    if (this.finished) return DONE;
    this.request();
    return PENDING;
  }

  snapshot(): unknown {
    return this.state;
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.iterator.return?.().catch(() => {});
  }

  private request(): void {
    if (this.inFlight || this.finished || this.failure || this.buffer.length >= 2 * this.ctx.prefetch) return;
    this.inFlight = true;
    let next: Promise<IteratorResult<unknown>>;
    try {
      next = Promise.resolve(this.iterator.next());
    } catch (error) {
      this.fail(error);
      return;
    }
    next.then(
      (result) => this.arrived(result),
      (error) => this.fail(error),
    );
  }

  private arrived(result: IteratorResult<unknown>): void {
    this.inFlight = false;
    if (this.finished) return;
    if (result.done) {
      this.finished = true;
    } else if (result.value !== undefined) {
      const pair = result.value;
      if (!Array.isArray(pair) || pair.length !== 2) {
        this.failure = { error: notAPair(this.ctx.stepId, pair) };
      } else if (typeof pair[1] === "object" && pair[1] !== null && typeof (pair[1] as { then?: unknown }).then === "function") {
        this.failure = { error: promisedItem(this.ctx.stepId, pair[1]) };
      } else {
        this.buffer.push(pair[0], pair[1]);
        this.request();
      }
    }
    // A bare yield (undefined) is "no data yet": the next poll asks again.
    this.ctx.wake();
  }

  private fail(error: unknown): void {
    this.inFlight = false;
    this.failure = { error };
    this.ctx.wake();
  }
}
