/**
 * Spotting a flow function that does not return, from the main thread. Each worker thread bumps a
 * call counter in shared memory on entry to and exit from every flow function call (see
 * functions/callTracking.ts): odd means "inside a call". The main thread samples the counters; one
 * that stays odd and unchanged for STUCK_MS is one call that has run that long. Pure decisions on
 * samples; the time comes from the caller.
 */

import { SLOTS_PER_WORKER } from "../functions/callTracking.js";

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

/** Samples every worker's counter; tells which are stuck in one call. */
export class CallWatch {
  private readonly samples: (CallSample | undefined)[];

  constructor(
    private readonly slots: Int32Array,
    workerCount: number,
    /** Per worker, the names of its functions by number (from the worker's "started" message). */
    private readonly functionNames: (readonly string[] | undefined)[],
    private readonly thresholdMs = STUCK_MS,
  ) {
    this.samples = new Array<CallSample | undefined>(workerCount).fill(undefined);
  }

  /** Takes a sample at `now`; returns the calls that are stuck. */
  sample(now: number): StuckCall[] {
    const stuck: StuckCall[] = [];
    for (let workerIndex = 0; workerIndex < this.samples.length; workerIndex++) {
      const base = workerIndex * SLOTS_PER_WORKER;
      const sample = nextSample(this.samples[workerIndex], Atomics.load(this.slots, base), now);
      this.samples[workerIndex] = sample;
      if (!isStuck(sample, now, this.thresholdMs)) continue;
      const number = Atomics.load(this.slots, base + 1);
      stuck.push({ workerIndex, counter: sample.counter, functionName: this.functionNames[workerIndex]?.[number], runningMs: now - sample.since });
    }
    return stuck;
  }
}

/** `step "spin" (fn)` from `spin/fn`. */
export function describeFunction(functionName: string | undefined): string {
  if (functionName === undefined) return "a flow function";
  const slash = functionName.indexOf("/");
  return `step ${JSON.stringify(functionName.slice(0, slash))} (${functionName.slice(slash + 1)})`;
}

/** The line that reports a stuck call: which step, on which worker, for how long, on which item. */
export function describeStuckCall(call: StuckCall, itemPreview: string | undefined): string {
  const item = !itemPreview ? "" : `, on ${itemPreview.startsWith("(") ? "arguments" : "item"} ${itemPreview}`;
  return `worker ${call.workerIndex} has been in one call of ${describeFunction(call.functionName)} for ${(call.runningMs / 1000).toFixed(1)} s${item}`;
}
