/**
 * An indexed min-heap of wake-ups: each entry is a key's own state object, holding its due time and
 * its position in the heap, so a key is in the heap at most once and moving its due time (earlier
 * or later) is one sift, with no allocation and no stale entries.
 */

export interface TimerEntry {
  /** When the entry is due; Infinity entries are not kept in the heap. */
  due: number;
  /** Position in the heap, or -1 when not in it. */
  heapIndex: number;
}

export class TimerHeap<T extends TimerEntry> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The earliest due time, or Infinity when empty. */
  peek(): number {
    return this.heap.length > 0 ? this.heap[0]!.due : Infinity;
  }

  /** Puts `entry` where its (new) `due` belongs; removes it when `due` is Infinity. */
  update(entry: T): void {
    const index = entry.heapIndex;
    if (entry.due === Infinity) {
      if (index >= 0) this.removeAt(index);
      return;
    }
    if (index < 0) {
      entry.heapIndex = this.heap.length;
      this.heap.push(entry);
      this.siftUp(entry.heapIndex);
    } else if (index > 0 && this.heap[(index - 1) >> 1]!.due > entry.due) {
      this.siftUp(index);
    } else {
      this.siftDown(index);
    }
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const top = this.heap[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const removed = heap[index]!;
    const last = heap.pop()!;
    removed.heapIndex = -1;
    if (last === removed) return;
    heap[index] = last;
    last.heapIndex = index;
    if (index > 0 && heap[(index - 1) >> 1]!.due > last.due) this.siftUp(index);
    else this.siftDown(index);
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    const entry = heap[start]!;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (above.due <= entry.due) break;
      heap[i] = above;
      above.heapIndex = i;
      i = parent;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const entry = heap[start]!;
    const length = heap.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && heap[right]!.due < heap[left]!.due ? right : left;
      const below = heap[child]!;
      if (below.due >= entry.due) break;
      heap[i] = below;
      below.heapIndex = i;
      i = child;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }
}
