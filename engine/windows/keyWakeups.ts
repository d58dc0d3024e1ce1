/**
 * Per-key wake-ups of a windowed step (windowLogic.ts, joinWindowLogic.ts): a key with open
 * windows asks to be woken when its oldest window would close by time alone, and the step closes
 * that key's windows then. The keys wait in an indexed heap (timerHeap.ts), each at most once.
 *
 * A key's `wake` is when it wants to be woken; its `due` is when the heap wakes it: never later
 * than `wake`, but it may be earlier. When `wake` moves later, the heap is left alone (most items
 * do that), and a wake-up that comes too early puts the key back at `wake`. Only an earlier
 * `wake` costs a sift.
 */

import type { KeyWindowState } from "./keyWindowState.js";
import { TimerHeap } from "./timerHeap.js";
import type { WindowClock } from "./windowClocks.js";

export class KeyWakeups {
  private readonly timers = new TimerHeap<KeyWindowState>();

  constructor(private readonly clock: WindowClock) {}

  /**
   * The next key whose wake time has come by `now`, its wake-up cleared (the caller closes its
   * windows, then `rearm`s it), or undefined when there is none. Keys the heap wakes early go back
   * at their wake time on the way.
   *
   * @example
   * for (let state = wakeups.nextDue(now); state !== undefined; state = wakeups.nextDue(now)) closeWindows(state);
   */
  nextDue(now: number): KeyWindowState | undefined {
    const timers = this.timers;
    while (timers.peek() <= now) {
      const state = timers.pop()!;
      if (state.wake <= now) {
        state.wake = Infinity;
        state.due = Infinity;
        return state;
      }
      state.due = state.wake;
      timers.update(state);
    }
    return undefined;
  }

  /**
   * Sets the key's wake-up after its windows changed: when its oldest open window would close by
   * time alone, or never when it has none.
   *
   * @example
   * wakeups.rearm(state); // state.wake is the oldest window's wake time; the heap wakes the key by then
   */
  rearm(state: KeyWindowState): void {
    const first = state.first;
    const wake = first !== undefined ? this.clock.wakeTimeFor(state, first.closeAt) : Infinity;
    state.wake = wake;
    if (wake < state.due) {
      state.due = wake;
      this.timers.update(state);
    }
  }

  /**
   * Puts a key restored from a snapshot back in the heap at its saved wake-up (`due`).
   *
   * @example
   * state.wake = state.due = saved.due;
   * wakeups.restored(state);
   */
  restored(state: KeyWindowState): void {
    this.timers.update(state);
  }

  /**
   * The earliest time a key is due, or Infinity when none waits.
   *
   * @example
   * const at = wakeups.next(); // Infinity when no key has open windows
   */
  next(): number {
    return this.timers.peek();
  }
}
