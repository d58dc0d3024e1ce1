/**
 * Windowed keyed logic, shared by every window step (`reduce_window`, `fold_window`,
 * `collect_window`, `count_window`) and every window kind (windower.ts). Per key, as in Bytewax 0.11:
 *
 * 1. An item updates the key's clock and gives the watermark, then the windower places it by its
 *    time: into the windows it belongs to, opening, extending or merging them.
 * 2. An item that is late (the windower says when: a window it belongs to may have closed before the
 *    watermark) joins no window: it goes to the step's `late` output, `[key, value]` as it came,
 *    and is counted (`lateItems`).
 * 3. Every window whose close time is strictly before the watermark closes and emits `[key, value]`
 *    (or `[key, [windowStart, windowEnd, value]]` with `withWindow`), oldest window first, in the
 *    epoch of the item. The watermark here is the one the item left behind: Bytewax 0.11.2 wakes a
 *    key with open windows again right after its item (its `Instant::elapsed() >= 0` test is always
 *    true), and by then a testing clock has moved on by `itemIncr` (test/windows/bytewaxEpochs.test.ts
 *    checks the epochs against Bytewax itself).
 * 4. The key asks to be woken when its oldest open window would close by time alone.
 *
 * End of input closes every window. Wake-ups live in an indexed heap of the keys' states (a key is
 * in it once, at its due time), and recovery snapshots them, so a resumed run still closes them.
 */

import type { ClockConfig } from "../configs/window.js";
import { assertKeyed } from "../operators/keyed.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import { TimerHeap, type TimerEntry } from "./timerHeap.js";
import type { KeyWindowList, WindowAccumulator, Windower } from "./windower.js";
import { OpenWindow, insertBefore, removeWindow } from "./windowList.js";
import { createWindowClock, type KeyClockState, type WindowClock } from "./windowClocks.js";

/**
 * One key's windows and clock. A class, so that every key's state has one shape (the per-item
 * path reads and writes these fields for every item).
 */
class KeyWindows implements KeyClockState, TimerEntry, KeyWindowList {
  // The fields every item reads come first (the object spans two cache lines).
  /** Open windows, ordered by start and by close time (windowList.ts). */
  first: OpenWindow | undefined = undefined;
  last: OpenWindow | undefined = undefined;
  /** The clock's fields (KeyClockState). */
  time: number;
  seenAt: number;
  /** Sessions made so far (their ids). */
  nextId = 0;
  /** When this key wants to be woken (its oldest window closes by time alone), or Infinity. */
  wake = Infinity;
  /**
   * When the heap wakes the key (TimerEntry): never later than `wake`, but it may be earlier. When
   * `wake` moves later, the heap is left alone (most items do that), and a wake-up that comes too
   * early puts the key back at `wake`. Only an earlier `wake` costs a sift.
   */
  due = Infinity;
  heapIndex = -1;
  constructor(
    readonly key: string,
    time: number,
    seenAt: number,
  ) {
    this.time = time;
    this.seenAt = seenAt;
  }
}

/** What a snapshot holds for one key. */
interface SavedKeyWindows {
  readonly time: number;
  readonly seenAt: number;
  readonly due: number;
  /** The open windows. */
  readonly open?: readonly (readonly [start: number, end: number, closeAt: number, acc: unknown, id: number])[];
  readonly nextId?: number;
  /** Tumbling windows saved before sliding and session windows existed (in place of `open`). */
  readonly windows?: readonly (readonly [index: number, closeAt: number, acc: unknown])[];
}

export class WindowLogic implements KeyedLogic {
  private readonly keys = new Map<string, KeyWindows>();
  private readonly timers = new TimerHeap<KeyWindows>();
  private readonly clock: WindowClock;
  /** Keys touched since the last snapshot (only when recording). */
  private readonly touched: Set<string> | undefined;
  /** Late items since the worker started (the runner's metrics and the studio read it). */
  lateItems = 0;

  constructor(
    clockConfig: ClockConfig,
    private readonly windower: Windower,
    private readonly accumulator: WindowAccumulator,
    private readonly ctx: LogicContext,
    /** Emit `[key, [windowStart, windowEnd, value]]` rather than `[key, value]`. */
    private readonly withWindow = false,
  ) {
    this.clock = createWindowClock(clockConfig, ctx.stepId, ctx.op);
    this.touched = ctx.recording ? new Set() : undefined;
  }

  onItems(items: readonly unknown[], now: number, out: unknown[], late: unknown[]): void {
    const { clock, windower, accumulator, keys } = this;
    const movesWithItems = clock.movesWithItems;
    const { checkKeys, stepId, op } = this.ctx;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        // The shape check inline; assertKeyed (too big to inline) only to throw.
        if (checkKeys && !(Array.isArray(item) && item.length === 2 && typeof item[0] === "string")) assertKeyed(item, stepId, op);
        const key = (item as [string, unknown])[0];
        const value = (item as [string, unknown])[1];
        let state = keys.get(key);
        if (state === undefined) {
          const initial = clock.initial();
          state = new KeyWindows(key, initial.time, initial.seenAt);
          keys.set(key, state);
        }
        const watermark = clock.watermarkOnItem(state, value, now);
        const time = clock.timeOf(state, value, now);
        const oldest = state.first;
        if (!windower.add(state, time, watermark, value, accumulator)) {
          this.lateItems++;
          late.push(item);
        }
        // The wake-up that follows the item, in its epoch (as in Bytewax 0.11.2): with the key's clock
        // as the item left it. For the testing clock that is its time plus itemIncr; for the others
        // it is the watermark above.
        const after = movesWithItems ? clock.watermark(state, now) : watermark;
        // Most items close nothing and leave the oldest window as it was: then there is no work.
        if (state.first !== oldest || (oldest !== undefined && oldest.closeAt < after)) this.drain(key, state, after, out);
        else if (this.touched) this.touched.add(key);
      }
    } catch (error) {
      throw this.ctx.failedOn(error, item);
    }
  }

  onWake(now: number, out: unknown[]): void {
    const timers = this.timers;
    while (timers.peek() <= now) {
      const state = timers.pop()!;
      if (state.wake <= now) {
        state.wake = Infinity;
        state.due = Infinity;
        this.drain(state.key, state, this.clock.watermark(state, now), out);
      } else {
        state.due = state.wake;
        timers.update(state);
      }
    }
  }

  onEof(out: unknown[]): void {
    for (const [key, state] of this.keys) this.drain(key, state, Infinity, out);
  }

  nextWake(): number {
    return this.timers.peek();
  }

  /** Window state is always an upsert (as in Bytewax): the clock, the open windows, the session count, the wake-up. */
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    if (!this.touched) return entries;
    for (const key of this.touched) {
      const state = this.keys.get(key)!;
      const open: (readonly [number, number, number, unknown, number])[] = [];
      for (let w = state.first; w !== undefined; w = w.next) open.push([w.start, w.end, w.closeAt, w.acc, w.id]);
      entries.push([key, { time: state.time, seenAt: state.seenAt, due: state.wake, open, nextId: state.nextId } satisfies SavedKeyWindows]);
    }
    this.touched.clear();
    return entries;
  }

  /** Restores a key's windows and its pending wake-up, so they still close after a resume. */
  restore(key: string, saved: unknown): void {
    const { time, seenAt, due, open, nextId, windows } = saved as SavedKeyWindows;
    const state = new KeyWindows(key, time, seenAt);
    state.wake = due;
    state.due = due;
    state.nextId = nextId ?? 0;
    for (const [start, end, closeAt, acc, id] of open ?? []) insertBefore(state, new OpenWindow(start, end, closeAt, acc, id), undefined);
    const windower = this.windower;
    if (windows !== undefined && windower.restoreLegacy !== undefined) for (const [index, closeAt, acc] of windows) insertBefore(state, windower.restoreLegacy(index, closeAt, acc), undefined);
    this.keys.set(key, state);
    this.timers.update(state);
  }

  private drain(key: string, state: KeyWindows, watermark: number, out: unknown[]): void {
    if (this.touched) this.touched.add(key);
    const accumulator = this.accumulator;
    for (let closing = state.first; closing !== undefined && closing.closeAt < watermark; closing = state.first) {
      const value = accumulator.result(closing.acc);
      out.push(this.withWindow ? [key, [closing.start, closing.end, value]] : [key, value]);
      removeWindow(state, closing);
    }
    const first = state.first;
    const wake = first !== undefined ? this.clock.wakeTimeFor(state, first.closeAt) : Infinity;
    state.wake = wake;
    if (wake < state.due) {
      state.due = wake;
      this.timers.update(state);
    }
  }
}
