/**
 * The reader of `TestingInputConfig`: worker i takes the elements at positions i, i + n, i + 2n, ...
 * and its resume state is how many of them it has emitted. Arrays are read by index, without the
 * generator and pair allocations of the general `ManualInputConfig` path.
 */

import { DONE, type InputReader, type PollResult } from "../ports/source.js";

export function createTestingReader(iterable: Iterable<unknown>, workerIndex: number, workerCount: number, resumeState: unknown): InputReader {
  const consumed = typeof resumeState === "number" ? resumeState : 0;
  return Array.isArray(iterable)
    ? new ArrayReader(iterable, workerIndex, workerCount, consumed)
    : new IterableReader(iterable[Symbol.iterator](), workerIndex, workerCount, consumed);
}

class ArrayReader implements InputReader {
  constructor(
    private readonly array: readonly unknown[],
    private readonly workerIndex: number,
    private readonly workerCount: number,
    private consumed: number,
  ) {}
  poll(max: number): PollResult {
    const { array, workerCount } = this;
    let position = this.consumed * workerCount + this.workerIndex;
    if (position >= array.length) return DONE;
    const items: unknown[] = [];
    while (items.length < max && position < array.length) {
      items.push(array[position]);
      position += workerCount;
    }
    this.consumed += items.length;
    return items;
  }
  snapshot(): unknown {
    return this.consumed;
  }
  close(): void {}
}

class IterableReader implements InputReader {
  /** Position in the whole iterable, and how many of this worker's elements have gone by. */
  private position = 0;
  private mineSeen = 0;
  private done = false;
  constructor(
    private readonly iterator: Iterator<unknown>,
    private readonly workerIndex: number,
    private readonly workerCount: number,
    private consumed: number,
  ) {}
  poll(max: number): PollResult {
    if (this.done) return DONE;
    const items: unknown[] = [];
    while (items.length < max) {
      const result = this.iterator.next();
      if (result.done) {
        this.done = true;
        break;
      }
      const position = this.position++;
      if (position % this.workerCount !== this.workerIndex) continue;
      // Elements this worker emitted before its resume point are skipped.
      if (this.mineSeen++ < this.consumed) continue;
      items.push(result.value);
    }
    this.consumed += items.length;
    return items.length > 0 ? items : DONE;
  }
  snapshot(): unknown {
    return this.consumed;
  }
  close(): void {
    if (!this.done) {
      this.done = true;
      try {
        this.iterator.return?.();
      } catch {
        // best effort
      }
    }
  }
}
