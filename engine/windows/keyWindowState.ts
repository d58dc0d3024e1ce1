/**
 * One key's state in a windowed step (windowLogic.ts, joinWindowLogic.ts): its open windows, its
 * clock's fields, its session counter and its wake-up; and the form a recovery snapshot saves it
 * in (windowedLogicBase.ts saves and restores it). The saved form is the same for every windowed
 * step (only what a window's accumulator is saved as differs).
 */

import type { TimerEntry } from "./timerHeap.js";
import type { KeyWindowList } from "./windower.js";
import type { OpenWindow } from "./windowList.js";
import type { KeyClockState } from "./windowClocks.js";

/**
 * One key's windows, clock and wake-up. A class, so that every key's state has one shape (the
 * per-item path reads and writes these fields for every item).
 */
export class KeyWindowState implements KeyClockState, TimerEntry, KeyWindowList {
  // The fields every item reads come first (the object spans two cache lines).
  /** Open windows, ordered by start and by close time (windowList.ts). */
  first: OpenWindow | undefined = undefined;
  last: OpenWindow | undefined = undefined;
  /** The last closed window, for the next one (windowList.ts). */
  spare: OpenWindow | undefined = undefined;
  /** The clock's fields (KeyClockState). */
  time: number;
  seenAt: number;
  /** Sessions made so far (their ids). */
  nextId = 0;
  /** When this key wants to be woken (its oldest window closes by time alone), or Infinity. */
  wake = Infinity;
  /**
   * When the heap wakes the key (TimerEntry): never later than `wake`, but it may be earlier
   * (keyWakeups.ts says why).
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

/** What a snapshot holds for one key; `A` is what a window's accumulator is saved as. */
export interface SavedKeyWindows<A = unknown> {
  readonly time: number;
  readonly seenAt: number;
  /** The key's wake time (`wake`). */
  readonly due: number;
  /** The open windows. */
  readonly open?: readonly (readonly [start: number, end: number, closeAt: number, acc: A, id: number])[];
  readonly nextId?: number;
  /**
   * Tumbling windows saved before sliding and session windows existed (before join_window took
   * other window kinds), in place of `open`.
   */
  readonly windows?: readonly (readonly [index: number, closeAt: number, acc: A])[];
}
