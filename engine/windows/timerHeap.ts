/** A min-heap of (due time, key) wake-ups. Stale entries are skipped by the caller. */

export interface Timer {
  readonly due: number;
  readonly key: string;
}

export class TimerHeap {
  private readonly heap: Timer[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The earliest due time, or Infinity when empty. */
  peek(): number {
    return this.heap.length > 0 ? this.heap[0]!.due : Infinity;
  }

  push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.due <= timer.due) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = timer;
  }

  pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.due < heap[left]!.due ? right : left;
      if (heap[child]!.due >= last.due) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
