/**
 * Windowed keyed logic shared by `reduceWindow` and `foldWindow`. Per key, as in Bytewax 0.11:
 *
 * 1. An item updates the key's clock and gives the watermark, then its time picks a window.
 * 2. An item whose window closes before the watermark is late and dropped.
 * 3. Every window whose close time is strictly before the watermark closes and emits `[key, acc]`,
 *    oldest window first, in the epoch of the item. The watermark here is the one the item left
 *    behind: Bytewax 0.11.2 wakes a key with open windows again right after its item (its
 *    `Instant::elapsed() >= 0` test is always true), and by then a testing clock has moved on by
 *    `itemIncr` (test/windows/bytewaxEpochs.test.ts checks the epochs against Bytewax itself).
 * 4. The key asks to be woken when its oldest open window would close by time alone.
 *
 * End of input closes every window. Wake-ups live in an indexed heap of the keys' states (a key is
 * in it once, at its due time), and recovery snapshots them, so a resumed run still closes them.
 */

import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import type { ClockConfig, TumblingWindowConfig, WindowConfig } from "../configs/window.js";
import { assertKeyed } from "../operators/keyed.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import { TimerHeap, type TimerEntry } from "./timerHeap.js";
import { tumblingWindower, type Windower } from "./tumbling.js";
import { createWindowClock, type KeyClockState, type WindowClock } from "./windowClocks.js";

/** How a window's accumulator starts and grows. */
export interface WindowAggregator {
  first(value: unknown): unknown;
  next(acc: unknown, value: unknown): unknown;
}

class OpenWindow {
  constructor(
    readonly index: number,
    readonly closeAt: number,
    public acc: unknown,
  ) {}
}

/**
 * One key's windows and clock. A class, so that every key's state has one shape (the per-item
 * path reads and writes these fields for every item).
 */
class KeyWindows implements KeyClockState, TimerEntry {
  /** Open windows, ordered by index (and so by close time). */
  readonly windows: OpenWindow[] = [];
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
    public time: number,
    public seenAt: number,
  ) {}
}

/** What a snapshot holds for one key. */
interface SavedKeyWindows {
  readonly time: number;
  readonly seenAt: number;
  readonly due: number;
  readonly windows: readonly (readonly [index: number, closeAt: number, acc: unknown])[];
}

export function createWindower(config: WindowConfig, defaultStartAt: number): Windower {
  if (config.type !== "tumbling") throw new EddyError("CONFIG_INVALID", `Unknown window config type: ${preview(config.type)}`);
  const tumbling = config as TumblingWindowConfig;
  return tumblingWindower(tumbling.length, tumbling.startAt ?? defaultStartAt);
}

export class WindowLogic implements KeyedLogic {
  private readonly keys = new Map<string, KeyWindows>();
  private readonly timers = new TimerHeap<KeyWindows>();
  private readonly clock: WindowClock;
  /** Keys touched since the last snapshot (only when recording). */
  private readonly touched: Set<string> | undefined;
  /** Items dropped as late since the worker started (the runner's metrics read it). */
  lateItems = 0;

  constructor(
    clockConfig: ClockConfig,
    private readonly windower: Windower,
    private readonly aggregator: WindowAggregator,
    private readonly ctx: LogicContext,
  ) {
    this.clock = createWindowClock(clockConfig, ctx.stepId, ctx.op);
    this.touched = ctx.recording ? new Set() : undefined;
  }

  onItems(items: readonly unknown[], now: number, out: unknown[]): void {
    const { clock, windower, aggregator, keys } = this;
    const { checkKeys, stepId, op } = this.ctx;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, op);
        const key = (item as [string, unknown])[0];
        const value = (item as [string, unknown])[1];
        let state = keys.get(key);
        if (state === undefined) {
          const initial = clock.initial();
          state = new KeyWindows(key, initial.time, initial.seenAt);
          keys.set(key, state);
        }
        const watermark = clock.watermarkOnItem(state, value, now);
        const index = windower.indexOf(clock.timeOf(state, value, now));
        const closeAt = windower.closeTimeOf(index);
        const windows = state.windows;
        const oldest = windows[0];
        if (!(closeAt < watermark)) {
          const existing = findWindow(windows, index);
          if (existing) existing.acc = aggregator.next(existing.acc, value);
          else insertWindow(windows, new OpenWindow(index, closeAt, aggregator.first(value)));
        } else {
          this.lateItems++;
        }
        // The wake-up that follows the item, in its epoch (as in Bytewax 0.11.2): with the key's clock
        // as the item left it. For the testing clock that is its time plus itemIncr; for the others
        // it is the watermark above.
        const after = clock.watermark(state, now);
        // Most items close nothing and leave the oldest window as it was: then there is no work.
        if (windows[0] !== oldest || (oldest !== undefined && oldest.closeAt < after)) this.drain(key, state, after, out);
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

  /** Window state is always an upsert (as in Bytewax): the clock, the open windows, the wake-up. */
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    if (!this.touched) return entries;
    for (const key of this.touched) {
      const state = this.keys.get(key)!;
      const windows = state.windows.map((w) => [w.index, w.closeAt, w.acc] as const);
      entries.push([key, { time: state.time, seenAt: state.seenAt, due: state.wake, windows } satisfies SavedKeyWindows]);
    }
    this.touched.clear();
    return entries;
  }

  /** Restores a key's windows and its pending wake-up, so they still close after a resume. */
  restore(key: string, saved: unknown): void {
    const { time, seenAt, due, windows } = saved as SavedKeyWindows;
    const state = new KeyWindows(key, time, seenAt);
    state.wake = due;
    state.due = due;
    for (const [index, closeAt, acc] of windows) state.windows.push(new OpenWindow(index, closeAt, acc));
    this.keys.set(key, state);
    this.timers.update(state);
  }

  private drain(key: string, state: KeyWindows, watermark: number, out: unknown[]): void {
    if (this.touched) this.touched.add(key);
    const windows = state.windows;
    let closed = 0;
    while (closed < windows.length && windows[closed]!.closeAt < watermark) {
      out.push([key, windows[closed]!.acc]);
      closed += 1;
    }
    if (closed === 1) windows.shift();
    else if (closed > 1) windows.splice(0, closed);
    const wake = windows.length > 0 ? this.clock.wakeTimeFor(state, windows[0]!.closeAt) : Infinity;
    state.wake = wake;
    if (wake < state.due) {
      state.due = wake;
      this.timers.update(state);
    }
  }
}

function findWindow(windows: OpenWindow[], index: number): OpenWindow | undefined {
  for (let i = windows.length - 1; i >= 0; i--) {
    if (windows[i]!.index === index) return windows[i];
  }
  return undefined;
}

function insertWindow(windows: OpenWindow[], opened: OpenWindow): void {
  const last = windows[windows.length - 1];
  if (last === undefined || last.index < opened.index) {
    windows.push(opened);
    return;
  }
  let i = windows.length;
  while (i > 0 && windows[i - 1]!.index > opened.index) i -= 1;
  windows.splice(i, 0, opened);
}
