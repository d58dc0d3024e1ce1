/**
 * `join_window`: a join per key and window (Bytewax 0.21's `join_window`), on Eddy's clocks and
 * window kinds. Windows open, close and take late items as those of the other window steps
 * (windowLogic.ts): per key, an item's clock gives the watermark and the windower (windower.ts:
 * tumbling, sliding or session) places the item into its windows; an item that is late joins no
 * window and goes to the step's `late` output, `[key, value]` as it came; a window closes when the
 * watermark is strictly past its close time (by the item that moves it there, or by time alone
 * through a wake-up), and every window closes at end of input.
 *
 * Inside each window the join is Bytewax's `_JoinWindowLogic` (joinSides.ts keeps the values):
 * `running` emits `[key, row]` after every item, `complete` emits once every side has a value and
 * then empties the window (which stays open), `final` emits when the window closes. Two sessions
 * that an item bridges merge as Bytewax's `on_merge` (mergeWindowSides), then emit as after an item.
 */

import type { ClockConfig } from "../configs/window.js";
import type { JoinEmitMode, JoinInsertMode, JoinWindowStep } from "../dataflow/steps.js";
import { assertKeyed } from "../operators/keyed.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import { JoinSides, appendRows, clearSides, insertValue, mergeWindowSides, newSides, restoreSides, saveSides } from "../operators/joinSides.js";
import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import { TimerHeap, type TimerEntry } from "./timerHeap.js";
import type { KeyWindowList, WindowAccumulator, Windower } from "./windower.js";
import { OpenWindow, insertBefore, removeWindow } from "./windowList.js";
import { createWindowClock, type KeyClockState, type WindowClock } from "./windowClocks.js";

/** One key's open windows (ordered by start and close time), its clock fields and its wake-up. */
class KeyJoinWindows implements KeyClockState, TimerEntry, KeyWindowList {
  first: OpenWindow | undefined = undefined;
  last: OpenWindow | undefined = undefined;
  nextId = 0;
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
  /** The open windows, each side's values as `saveSides` saves them. */
  readonly open?: readonly (readonly [start: number, end: number, closeAt: number, sides: unknown[][], id: number])[];
  readonly nextId?: number;
  /** Tumbling windows saved before join_window took other window kinds (in place of `open`). */
  readonly windows?: readonly (readonly [index: number, closeAt: number, sides: unknown[][]])[];
}

/**
 * The windower's accumulator for a join: a window's `JoinSides`. It is told the item's key and
 * side before each item, and appends the rows the emit mode asks for to `out` as values arrive and
 * as windows merge.
 */
class JoinAccumulator implements WindowAccumulator {
  key = "";
  side = 0;
  out: unknown[] = [];
  constructor(
    private readonly sideCount: number,
    private readonly insertMode: JoinInsertMode,
    private readonly emitMode: JoinEmitMode,
  ) {}

  first(value: unknown): unknown {
    return this.next(newSides(this.sideCount, this.insertMode), value);
  }

  next(acc: unknown, value: unknown): unknown {
    insertValue(acc as JoinSides, this.side, value, this.insertMode);
    this.emitAfterChange(acc as JoinSides);
    return acc;
  }

  merge(into: unknown, from: unknown): unknown {
    mergeWindowSides(into as JoinSides, from as JoinSides, this.insertMode);
    this.emitAfterChange(into as JoinSides);
    return into;
  }

  result(acc: unknown): unknown {
    return acc;
  }

  /** Bytewax's `_check_emit`: `running` emits the rows, `complete` emits and empties a full window. */
  private emitAfterChange(sides: JoinSides): void {
    if (this.emitMode === "running") appendRows(this.key, sides, this.out);
    else if (this.emitMode === "complete" && sides.filled === this.sideCount) {
      appendRows(this.key, sides, this.out);
      clearSides(sides);
    }
  }
}

export class JoinWindowLogic implements KeyedLogic {
  private readonly keys = new Map<string, KeyJoinWindows>();
  private readonly timers = new TimerHeap<KeyJoinWindows>();
  private readonly clock: WindowClock;
  private readonly accumulator: JoinAccumulator;
  private readonly touched: Set<string> | undefined;
  /** Late items since the worker started. */
  lateItems = 0;

  constructor(
    clockConfig: ClockConfig,
    private readonly windower: Windower,
    private readonly step: JoinWindowStep,
    private readonly ctx: LogicContext,
  ) {
    this.clock = createWindowClock(clockConfig, ctx.stepId, ctx.op);
    this.accumulator = new JoinAccumulator(step.upstream.length, step.insertMode, step.emitMode);
    this.touched = ctx.recording ? new Set() : undefined;
  }

  onItems(items: readonly unknown[], now: number, out: unknown[], late: unknown[], side = 0): void {
    const { clock, windower, keys, accumulator } = this;
    const { checkKeys, stepId } = this.ctx;
    accumulator.side = side;
    accumulator.out = out;
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
        accumulator.key = key;
        if (!windower.add(state, clock.timeOf(state, value, now), watermark, value, accumulator)) {
          this.lateItems++;
          late.push(item);
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

  /** Each touched key's clock, open windows (each side's values), session count and wake-up; always an upsert. */
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    if (!this.touched) return entries;
    for (const key of this.touched) {
      const state = this.keys.get(key)!;
      const open: (readonly [number, number, number, unknown[][], number])[] = [];
      for (let w = state.first; w !== undefined; w = w.next) open.push([w.start, w.end, w.closeAt, saveSides(w.acc as JoinSides), w.id]);
      entries.push([key, { time: state.time, seenAt: state.seenAt, due: state.wake, open, nextId: state.nextId } satisfies SavedJoinWindows]);
    }
    this.touched.clear();
    return entries;
  }

  /** Restores a key's windows and its pending wake-up, so they still close after a resume. */
  restore(key: string, saved: unknown): void {
    const { time, seenAt, due, open, nextId, windows } = saved as SavedJoinWindows;
    const insertMode = this.step.insertMode;
    const state = new KeyJoinWindows(key, time, seenAt);
    state.wake = due;
    state.due = due;
    state.nextId = nextId ?? 0;
    for (const [start, end, closeAt, sides, id] of open ?? []) insertBefore(state, new OpenWindow(start, end, closeAt, restoreSides(sides, insertMode), id), undefined);
    const windower = this.windower;
    if (windows !== undefined && windower.restoreLegacy !== undefined) {
      for (const [index, closeAt, sides] of windows) insertBefore(state, windower.restoreLegacy(index, closeAt, restoreSides(sides, insertMode)), undefined);
    }
    this.keys.set(key, state);
    this.timers.update(state);
  }

  /** Closes the key's windows that the watermark passed (oldest first), emitting `final` rows. */
  private drain(key: string, state: KeyJoinWindows, watermark: number, out: unknown[]): void {
    if (this.touched) this.touched.add(key);
    const final = this.step.emitMode === "final";
    for (let closing = state.first; closing !== undefined && closing.closeAt < watermark; closing = state.first) {
      const sides = closing.acc as JoinSides;
      if (final && sides.filled > 0) appendRows(key, sides, out);
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
