/**
 * What the keyed logic of every windowed step (windowLogic.ts, joinWindowLogic.ts) shares: its
 * keys' states (keyWindowState.ts), their wake-ups (keyWakeups.ts), end of input, and recovery.
 * A subclass places items into windows (`onItems`, the per-item path, which stays its own) and
 * closes a key's windows (`drain`: whatever the watermark passed, then `wakeups.rearm`); this
 * class calls `drain` when a key's wake-up comes (with the watermark then) and at end of input
 * (with Infinity: every window closes).
 *
 * Recovery: each key touched since the last snapshot is saved as `SavedKeyWindows` (always an
 * upsert, as in Bytewax), its windows' accumulators as the subclass saves them (`saveAcc`), and
 * restored with its pending wake-up, so a resumed run still closes its windows. Snapshots written
 * by earlier versions keep restoring, tumbling `windows` from before sliding and session windows
 * existed included.
 */

import type { ClockConfig } from "../configs/window.js";
import type { LogicContext } from "../operators/keyedLogic.js";
import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import { KeyWakeups } from "./keyWakeups.js";
import { KeyWindowState, type SavedKeyWindows } from "./keyWindowState.js";
import type { Windower } from "./windower.js";
import { OpenWindow, insertBefore } from "./windowList.js";
import { createWindowClock, type WindowClock } from "./windowClocks.js";

/**
 * The base of a windowed step's logic; `A` is what a window's accumulator is saved as.
 *
 * @example
 * // windowLogic.ts: class WindowLogic extends WindowedLogicBase implements KeyedLogic
 * const logic = new WindowLogic(clockConfig, tumblingWindower(10, 0), accumulator, ctx);
 * logic.onItems(items, now, out, late); // its own per-item path
 * logic.onWake(logic.nextWake(), out); // this class: closes the windows whose wake-up came
 */
export abstract class WindowedLogicBase<A = unknown> {
  protected readonly keys = new Map<string, KeyWindowState>();
  protected readonly clock: WindowClock;
  protected readonly wakeups: KeyWakeups;
  /** Keys touched since the last snapshot (only when recording). */
  protected readonly touched: Set<string> | undefined;
  /** Late items since the worker started (the runner's metrics and the studio read it). */
  lateItems = 0;

  constructor(
    clockConfig: ClockConfig,
    protected readonly windower: Windower,
    protected readonly ctx: LogicContext,
  ) {
    this.clock = createWindowClock(clockConfig, ctx.stepId, ctx.op);
    this.wakeups = new KeyWakeups(this.clock);
    this.touched = ctx.recording ? new Set() : undefined;
  }

  /** Closes the key's windows that `watermark` passed (oldest first), marks the key touched and rearms its wake-up. */
  protected abstract drain(key: string, state: KeyWindowState, watermark: number, out: unknown[]): void;
  /** A window's accumulator as a snapshot saves it. */
  protected abstract saveAcc(acc: unknown): A;
  /** A window's accumulator from what `saveAcc` saved. */
  protected abstract restoreAcc(saved: A): unknown;

  onWake(now: number, out: unknown[]): void {
    const wakeups = this.wakeups;
    for (let state = wakeups.nextDue(now); state !== undefined; state = wakeups.nextDue(now)) this.drain(state.key, state, this.clock.watermark(state, now), out);
  }

  onEof(out: unknown[]): void {
    for (const [key, state] of this.keys) this.drain(key, state, Infinity, out);
  }

  nextWake(): number {
    return this.wakeups.next();
  }

  /** Each touched key's clock, open windows, session count and wake-up; always an upsert. */
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    if (!this.touched) return entries;
    for (const key of this.touched) {
      const state = this.keys.get(key)!;
      const open: (readonly [number, number, number, A, number])[] = [];
      for (let w = state.first; w !== undefined; w = w.next) open.push([w.start, w.end, w.closeAt, this.saveAcc(w.acc), w.id]);
      entries.push([key, { time: state.time, seenAt: state.seenAt, due: state.wake, open, nextId: state.nextId } satisfies SavedKeyWindows<A>]);
    }
    this.touched.clear();
    return entries;
  }

  /** Restores a key's windows and its pending wake-up, so they still close after a resume. */
  restore(key: string, saved: unknown): void {
    const { time, seenAt, due, open, nextId, windows } = saved as SavedKeyWindows<A>;
    const state = new KeyWindowState(key, time, seenAt);
    state.wake = due;
    state.due = due;
    state.nextId = nextId ?? 0;
    for (const [start, end, closeAt, acc, id] of open ?? []) insertBefore(state, new OpenWindow(start, end, closeAt, this.restoreAcc(acc), id), undefined);
    const windower = this.windower;
    if (windows !== undefined && windower.restoreLegacy !== undefined) {
      for (const [index, closeAt, acc] of windows) insertBefore(state, windower.restoreLegacy(index, closeAt, this.restoreAcc(acc)), undefined);
    }
    this.keys.set(key, state);
    this.wakeups.restored(state);
  }
}
