/** Clock and window configs for `reduceWindow` and `foldWindow`. Times are epoch milliseconds. */

import { assertCallable, toDuration, toMillis } from "../argumentChecks.js";

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
