/**
 * Window clocks, per key as in Bytewax 0.11: each key's window state carries its own clock fields.
 * A clock answers three questions: what time an item has, what the watermark is now, and at what
 * system time the watermark will pass a window's close time (so the operator can wake then).
 */

import type { ClockConfig, EventClockConfig, TestingClockConfig } from "../configs/window.js";
import { EddyError, EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { RETURN_RULES } from "../dataflow/returnRules.js";
import { isThenable, returnedPromise } from "../operators/promises.js";

/** The clock fields of one key. */
export interface KeyClockState {
  /** Testing: the key's simulated now. Event: the latest event time seen (-Infinity before any). */
  time: number;
  /** Event: the system time at which `time` was seen. */
  seenAt: number;
}

export interface WindowClock {
  /** Whether `timeOf` moves the watermark (the testing clock); else the watermark after an item is the one `watermarkOnItem` gave. */
  readonly movesWithItems: boolean;
  initial(): KeyClockState;
  /** Updates the key's clock for an arriving value; returns the watermark (before `timeOf`). */
  watermarkOnItem(state: KeyClockState, value: unknown, now: number): number;
  /** The value's time; called right after `watermarkOnItem` for the same value. */
  timeOf(state: KeyClockState, value: unknown, now: number): number;
  /** The watermark when no item arrives (a wake-up). */
  watermark(state: KeyClockState, now: number): number;
  /** The system time at which the watermark passes `closeAt`, or Infinity if time alone never does. */
  wakeTimeFor(state: KeyClockState, closeAt: number): number;
}

export function createWindowClock(config: ClockConfig, stepId: string, op: string): WindowClock {
  switch (config.type) {
    case "system":
      return systemWindowClock;
    case "testing":
      return testingWindowClock(config as TestingClockConfig);
    case "event":
      return eventWindowClock(config as EventClockConfig, stepId, op);
    default:
      throw new EddyError("CONFIG_INVALID", `Unknown clock config type: ${preview(config.type)}`);
  }
}

const systemWindowClock: WindowClock = {
  movesWithItems: false,
  initial: () => ({ time: 0, seenAt: 0 }),
  watermarkOnItem: (_state, _value, now) => now,
  timeOf: (_state, _value, now) => now,
  watermark: (_state, now) => now,
  // Windows close strictly after their close time.
  wakeTimeFor: (_state, closeAt) => closeAt + 1,
};

function testingWindowClock(config: TestingClockConfig): WindowClock {
  const { startAt, itemIncr } = config;
  return {
    movesWithItems: true,
    initial: () => ({ time: startAt, seenAt: 0 }),
    watermarkOnItem: (state) => state.time,
    timeOf(state) {
      const time = state.time;
      state.time = time + itemIncr;
      return time;
    },
    watermark: (state) => state.time,
    // Simulated time moves only with the key's items, never with real time.
    wakeTimeFor: () => Infinity,
  };
}

function eventWindowClock(config: EventClockConfig, stepId: string, op: string): WindowClock {
  const { dtGetter, waitForSystemDuration: wait } = config;
  /** A Date or a non-finite or wrong value: the rare path, apart so that the common one stays small enough to inline. */
  const otherTime = (raw: unknown): number => {
    const time = raw instanceof Date ? raw.getTime() : raw;
    if (typeof time !== "number" || !Number.isFinite(time)) {
      if (isThenable(raw)) throw returnedPromise(stepId, op, "dtGetter", raw);
      throw new EddyTypeError(
        "STEP_NOT_TIME",
        stepId,
        `Step "${stepId}" (${op}): return value of \`dtGetter\` in EventClockConfig ${RETURN_RULES.time}; got \`${preview(raw)}\` instead`,
      );
    }
    return time;
  };
  const eventTime = (value: unknown): number => {
    const raw = dtGetter(value);
    // A finite number (the common case) as it is.
    return typeof raw === "number" && raw - raw === 0 ? raw : otherTime(raw);
  };
  let lastTime = 0;
  return {
    movesWithItems: false,
    initial: () => ({ time: -Infinity, seenAt: 0 }),
    watermarkOnItem(state, value, now) {
      lastTime = eventTime(value);
      if (lastTime > state.time) {
        // The watermark never goes back: when system time has already carried it past what the
        // newer event gives, `seenAt` is set back so that it stays where it was (else a window
        // closed by time alone could open again and be emitted twice).
        const before = state.time === -Infinity ? -Infinity : state.time - wait + (now - state.seenAt);
        const fromEvent = lastTime - wait;
        state.time = lastTime;
        state.seenAt = before > fromEvent ? now - (before - fromEvent) : now;
      }
      return state.time - wait + (now - state.seenAt);
    },
    timeOf: () => lastTime,
    watermark: (state, now) => (state.time === -Infinity ? -Infinity : state.time - wait + (now - state.seenAt)),
    wakeTimeFor: (state, closeAt) => closeAt - state.time + wait + state.seenAt + 1,
  };
}
