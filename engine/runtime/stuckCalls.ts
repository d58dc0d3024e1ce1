/**
 * Spotting a flow function that does not return, from another thread (the runner's main thread,
 * the studio's page). Each tracked thread bumps a call counter in shared memory on entry to and exit
 * from every flow function call (callTracking.ts): odd means "inside a call". The watcher samples
 * the counters; one that stays odd and unchanged for STUCK_MS is one call that has run that long.
 * Pure decisions on samples; the time comes from the caller.
 */

import { SLOTS_PER_WORKER } from "./callTracking.js";

/** How long one call may run before it is reported as stuck. */
export const STUCK_MS = 3_000;
/** How often the main thread samples the counters. */
export const SAMPLE_MS = 250;

/** One worker's call counter as last seen. */
export interface CallSample {
  readonly counter: number;
  /** When the counter was first seen at this value. */
  readonly since: number;
}

/** A call that has not returned for at least STUCK_MS. */
export interface StuckCall {
  readonly workerIndex: number;
  /** The counter value that identifies the call (a new call has another). */
  readonly counter: number;
  /** `<step id>/<field>` of the function, or undefined when the worker has not said. */
  readonly functionName: string | undefined;
  readonly runningMs: number;
}

/** The new sample of one worker given its counter now. */
export function nextSample(previous: CallSample | undefined, counter: number, now: number): CallSample {
  return previous !== undefined && previous.counter === counter ? previous : { counter, since: now };
}

/** Whether the sampled counter is one call that has run for at least `thresholdMs`. */
export function isStuck(sample: CallSample, now: number, thresholdMs = STUCK_MS): boolean {
  return (sample.counter & 1) === 1 && now - sample.since >= thresholdMs;
}

/**
 * Samples every tracked thread's counter; tells which are stuck in one call.
 *
 * @example
 * const watch = new CallWatch(slots, 1, [tracker.names()]);
 * watch.sample(0); // []
 * watch.sample(3_000); // [{ workerIndex: 0, counter: 1, functionName: "spin/fn", runningMs: 3_000 }] if one call ran all along
 */
export class CallWatch {
  private readonly samples: (CallSample | undefined)[];

  constructor(
    private readonly slots: Int32Array,
    workerCount: number,
    /** Per tracked thread, the names of its functions by number (its tracker's `names()`, sent by the thread); filled in as they arrive. */
    private readonly functionNames: (readonly string[] | undefined)[],
    private readonly thresholdMs = STUCK_MS,
  ) {
    this.samples = new Array<CallSample | undefined>(workerCount).fill(undefined);
  }

  /** Takes a sample at `now`; returns the calls that have run for at least `thresholdMs` (the watch's threshold unless given). */
  sample(now: number, thresholdMs = this.thresholdMs): StuckCall[] {
    const stuck: StuckCall[] = [];
    for (let workerIndex = 0; workerIndex < this.samples.length; workerIndex++) {
      const base = workerIndex * SLOTS_PER_WORKER;
      const sample = nextSample(this.samples[workerIndex], Atomics.load(this.slots, base), now);
      this.samples[workerIndex] = sample;
      if (!isStuck(sample, now, thresholdMs)) continue;
      const number = Atomics.load(this.slots, base + 1);
      stuck.push({ workerIndex, counter: sample.counter, functionName: this.functionNames[workerIndex]?.[number], runningMs: now - sample.since });
    }
    return stuck;
  }
}

/**
 * The function's step and field, from its tracked name.
 *
 * @example
 * describeFunction("spin/fn"); // 'step "spin" (fn)'
 */
export function describeFunction(functionName: string | undefined): string {
  if (functionName === undefined) return "a flow function";
  const slash = functionName.indexOf("/");
  return `step ${JSON.stringify(functionName.slice(0, slash))} (${functionName.slice(slash + 1)})`;
}

/**
 * The line that reports a stuck call: which step, on which worker, for how long, on which item.
 *
 * @example
 * describeStuckCall({ workerIndex: 1, counter: 5, functionName: "spin/fn", runningMs: 3_200 }, "3");
 * // 'worker 1 has been in one call of step "spin" (fn) for 3.2 s, on item 3'
 */
export function describeStuckCall(call: StuckCall, itemPreview: string | undefined): string {
  const item = !itemPreview ? "" : `, on ${itemPreview.startsWith("(") ? "arguments" : "item"} ${itemPreview}`;
  return `worker ${call.workerIndex} has been in one call of ${describeFunction(call.functionName)} for ${(call.runningMs / 1000).toFixed(1)} s${item}`;
}
