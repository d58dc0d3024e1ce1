/**
 * `join_window`: a join per key and window (Bytewax 0.21's `join_window`), on Eddy's clocks and
 * windows. Windows open, close and count late items as those of `reduce_window` (windowLogic.ts):
 * per key, an item's clock gives the watermark and its time picks a window; an item whose window
 * closed before the watermark is late and dropped; a window closes when the watermark is strictly
 * past its close time (by the item that moves it there, or by time alone through a wake-up), and
 * every window closes at end of input.
 *
 * Inside each window the join is Bytewax's `_JoinWindowLogic` (joinSides.ts keeps the values):
 * `running` emits `[key, row]` after every item, `complete` emits once every side has a value and
 * then empties the window (which stays open), `final` emits when the window closes.
 */

import type { ClockConfig } from "../configs/window.js";
import type { JoinWindowStep } from "../dataflow/steps.js";
import { assertKeyed } from "../operators/keyed.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import { JoinSides, appendRows, clearSides, insertValue, newSides, restoreSides, saveSides } from "../operators/joinSides.js";
import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import { TimerHeap, type TimerEntry } from "./timerHeap.js";
import type { Windower } from "./tumbling.js";
import { createWindowClock, type KeyClockState, type WindowClock } from "./windowClocks.js";

class JoinWindow {
  constructor(
    readonly index: number,
    readonly closeAt: number,
    readonly sides: JoinSides,
  ) {}
}

/** One key's open windows (ordered by index), its clock fields and its wake-up. */
class KeyJoinWindows implements KeyClockState, TimerEntry {
  readonly windows: JoinWindow[] = [];
  /** When the oldest window closes by time alone, or Infinity. */
  wake = Infinity;
  /** When the heap wakes the key: never later than `wake` (see windowLogic.ts). */
  due = Infinity;
  heapIndex = -1;
  constructor(
    readonly key: string,
    public time: number,
    public seenAt: number,
  ) {}
}

/** What a snapshot holds for one key. */
interface SavedJoinWindows {
  readonly time: number;
  readonly seenAt: number;
  readonly due: number;
  readonly windows: readonly (readonly [index: number, closeAt: number, sides: unknown[][]])[];
}

export class JoinWindowLogic implements KeyedLogic {
  private readonly keys = new Map<string, KeyJoinWindows>();
  private readonly timers = new TimerHeap<KeyJoinWindows>();
  private readonly clock: WindowClock;
  private readonly sideCount: number;
  private readonly touched: Set<string> | undefined;
  /** Items dropped as late since the worker started. */
  lateItems = 0;

  constructor(
    clockConfig: ClockConfig,
    private readonly windower: Windower,
    private readonly step: JoinWindowStep,
    private readonly ctx: LogicContext,
  ) {
    this.clock = createWindowClock(clockConfig, ctx.stepId, ctx.op);
    this.sideCount = step.upstream.length;
    this.touched = ctx.recording ? new Set() : undefined;
  }

  onItems(items: readonly unknown[], now: number, out: unknown[], side = 0): void {
    const { clock, windower, keys, sideCount } = this;
    const { insertMode, emitMode } = this.step;
    const { checkKeys, stepId } = this.ctx;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "join_window");
        const key = (item as [string, unknown])[0];
        const value = (item as [string, unknown])[1];
        let state = keys.get(key);
        if (state === undefined) {
          const initial = clock.initial();
          state = new KeyJoinWindows(key, initial.time, initial.seenAt);
          keys.set(key, state);
        }
        const watermark = clock.watermarkOnItem(state, value, now);
        const index = windower.indexOf(clock.timeOf(state, value, now));
        const closeAt = windower.closeTimeOf(index);
        if (closeAt < watermark) {
          this.lateItems++;
        } else {
          let opened = findWindow(state.windows, index);
          if (opened === undefined) {
            opened = new JoinWindow(index, closeAt, newSides(sideCount, insertMode));
            insertWindow(state.windows, opened);
          }
          const sides = opened.sides;
          insertValue(sides, side, value, insertMode);
          if (emitMode === "running") appendRows(key, sides, out);
          else if (emitMode === "complete" && sides.filled === sideCount) {
            appendRows(key, sides, out);
            clearSides(sides);
          }
        }
        this.drain(key, state, clock.watermark(state, now), out);
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

  /** Each touched key's clock, open windows (each side's values) and wake-up; always an upsert. */
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    if (!this.touched) return entries;
    for (const key of this.touched) {
      const state = this.keys.get(key)!;
      const windows = state.windows.map((w) => [w.index, w.closeAt, saveSides(w.sides)] as const);
      entries.push([key, { time: state.time, seenAt: state.seenAt, due: state.wake, windows } satisfies SavedJoinWindows]);
    }
    this.touched.clear();
    return entries;
  }

  /** Restores a key's windows and its pending wake-up, so they still close after a resume. */
  restore(key: string, saved: unknown): void {
    const { time, seenAt, due, windows } = saved as SavedJoinWindows;
    const state = new KeyJoinWindows(key, time, seenAt);
    state.wake = due;
    state.due = due;
    for (const [index, closeAt, sides] of windows) state.windows.push(new JoinWindow(index, closeAt, restoreSides(sides, this.step.insertMode)));
    this.keys.set(key, state);
    this.timers.update(state);
  }

  /** Closes the key's windows that the watermark passed (oldest first), emitting `final` rows. */
  private drain(key: string, state: KeyJoinWindows, watermark: number, out: unknown[]): void {
    if (this.touched) this.touched.add(key);
    const windows = state.windows;
    const final = this.step.emitMode === "final";
    let closed = 0;
    while (closed < windows.length && windows[closed]!.closeAt < watermark) {
      const sides = windows[closed]!.sides;
      if (final && sides.filled > 0) appendRows(key, sides, out);
      closed += 1;
    }
    if (closed > 0) windows.splice(0, closed);
    const wake = windows.length > 0 ? this.clock.wakeTimeFor(state, windows[0]!.closeAt) : Infinity;
    state.wake = wake;
    if (wake < state.due) {
      state.due = wake;
      this.timers.update(state);
    }
  }
}

function findWindow(windows: readonly JoinWindow[], index: number): JoinWindow | undefined {
  for (let i = windows.length - 1; i >= 0; i--) if (windows[i]!.index === index) return windows[i];
  return undefined;
}

function insertWindow(windows: JoinWindow[], opened: JoinWindow): void {
  let i = windows.length;
  while (i > 0 && windows[i - 1]!.index > opened.index) i -= 1;
  windows.splice(i, 0, opened);
}
