/**
 * A clock for tests whose time never moves: a window step's watermark then moves with its items
 * only, so windows close by items and at end of input, never by a wake-up.
 */

import { macrotask, type Clock } from "../../engine/ports/clock.js";

/**
 * A clock standing at `at` ms: sleeping returns at once (when woken), and time does not pass.
 *
 * @example
 * await entry.run(flow, { host: { clock: frozenClock(1_000_000) } });
 */
export function frozenClock(at: number): Clock {
  return { now: () => at, sleepUntil: (_deadline, woken) => woken, yieldToHost: macrotask };
}
