/**
 * Clock and window configs of the window steps (`reduceWindow`, `foldWindow`, `collectWindow`,
 * `countWindow`). Times are epoch milliseconds. Tumbling windows are Bytewax 0.11's; sliding and
 * session windows are Bytewax 0.21's `SlidingWindower` and `SessionWindower`.
 */

import { assertCallable, toDuration, toMillis } from "../argumentChecks.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";

/** Base class of every clock config. */
export abstract class ClockConfig {
  abstract readonly type: string;
}

/** Item time and watermark are the system time when the item is processed. */
export class SystemClockConfig extends ClockConfig {
  readonly type = "system";
}

/**
 * Simulated time, separately per key (as in Bytewax 0.11): a key's time starts at `startAt` and
 * advances by `itemIncr` after each of its items. It moves only with items, never with real time.
 */
export class TestingClockConfig extends ClockConfig {
  readonly type = "testing";
  readonly itemIncr: number;
  readonly startAt: number;
  constructor(itemIncr: number, startAt: Date | number) {
    super();
    this.itemIncr = toDuration(itemIncr, "TestingClockConfig", "itemIncr", 0);
    this.startAt = toMillis(startAt, "TestingClockConfig", "startAt");
  }
}

/**
 * Event time (as in Bytewax 0.12): item time is `dtGetter(value)`; the watermark is the latest event
 * time minus `waitForSystemDuration`, plus the system time elapsed since that event arrived.
 */
export class EventClockConfig extends ClockConfig {
  readonly type = "event";
  readonly dtGetter: (value: any) => Date | number;
  readonly waitForSystemDuration: number;
  constructor(dtGetter: (value: any) => Date | number, waitForSystemDuration: number) {
    super();
    assertCallable(dtGetter, "EventClockConfig", "dtGetter");
    this.dtGetter = dtGetter;
    this.waitForSystemDuration = toDuration(waitForSystemDuration, "EventClockConfig", "waitForSystemDuration", 0);
  }
}

/** Base class of every window config. */
export abstract class WindowConfig {
  abstract readonly type: string;
}

export interface TumblingWindowOptions {
  /** Where window 0 starts; defaults to the system time when the dataflow starts. */
  startAt?: Date | number;
}

/** Back-to-back windows of `length` milliseconds. */
export class TumblingWindowConfig extends WindowConfig {
  readonly type = "tumbling";
  readonly length: number;
  readonly startAt: number | undefined;
  constructor(length: number, options: TumblingWindowOptions = {}) {
    super();
    this.length = toDuration(length, "TumblingWindowConfig", "length", 1);
    this.startAt = options.startAt === undefined ? undefined : toMillis(options.startAt, "TumblingWindowConfig", "startAt");
  }
}

export interface SlidingWindowOptions {
  /** Where window 0 starts (windows start every `offset` from here, both ways); defaults to the system time when the dataflow starts. */
  startAt?: Date | number;
}

/**
 * Windows of `length` milliseconds starting every `offset` (Bytewax 0.21's `SlidingWindower`): an
 * item belongs to every window that contains it, `length / offset` of them when `offset` divides
 * `length`. `offset` may not exceed `length` (time between windows would belong to none).
 *
 * @example
 * // 10-minute windows every minute: each item counts in ten of them.
 * new SlidingWindowConfig(600_000, 60_000, { startAt: Date.UTC(2024, 0, 1) });
 */
export class SlidingWindowConfig extends WindowConfig {
  readonly type = "sliding";
  readonly length: number;
  readonly offset: number;
  readonly startAt: number | undefined;
  constructor(length: number, offset: number, options: SlidingWindowOptions = {}) {
    super();
    this.length = toDuration(length, "SlidingWindowConfig", "length", 1);
    this.offset = toDuration(offset, "SlidingWindowConfig", "offset", 1);
    if (this.offset > this.length) {
      throw new EddyError(
        "CONFIG_INVALID",
        `SlidingWindowConfig: \`offset\` (${preview(offset)}) must not be greater than \`length\` (${preview(length)}); the time between windows would belong to none`,
      );
    }
    this.startAt = options.startAt === undefined ? undefined : toMillis(options.startAt, "SlidingWindowConfig", "startAt");
  }
}

/**
 * Session windows (Bytewax 0.21's `SessionWindower`): per key, a session stays open while items
 * come at most `gap` milliseconds apart in clock time; its window runs from its first item's time to
 * its last's. An item that arrives out of order and bridges two sessions merges them (`foldWindow`
 * then needs a `merger`).
 *
 * @example
 * // A user's clicks less than 30 minutes apart form one visit.
 * new SessionWindowConfig(30 * 60_000);
 */
export class SessionWindowConfig extends WindowConfig {
  readonly type = "session";
  readonly gap: number;
  constructor(gap: number) {
    super();
    this.gap = toDuration(gap, "SessionWindowConfig", "gap", 0);
  }
}
