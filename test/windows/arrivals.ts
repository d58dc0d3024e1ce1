/** Shared helpers for the window tests (not a test file itself). */

import { ManualInputConfig } from "../../engine/configs/inputs.js";
import type { VirtualClock } from "../../engine/ports/clock.js";

/**
 * A sync input read by worker 0 only: it yields `undefined` ("no data yet") until `clock.now()`
 * reaches each item's planned arrival time, then yields `[state, item]`. Other workers read nothing;
 * the exchange routes items to their key's owner, keeping per-key order.
 */
export function arrivingAt(clock: VirtualClock, arrivals: readonly (readonly [time: number, item: unknown])[]): ManualInputConfig {
  return new ManualInputConfig(function* (workerIndex) {
    if (workerIndex !== 0) return;
    for (const [i, [time, item]] of arrivals.entries()) {
      while (clock.now() < time) yield undefined;
      yield [i + 1, item];
    }
  });
}

/** The values of `key`'s outputs in the order they were emitted. */
export function valuesOf(out: readonly unknown[], key: string): unknown[] {
  return (out as [string, unknown][]).filter(([k]) => k === key).map(([, v]) => v);
}
