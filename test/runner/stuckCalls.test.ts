/**
 * The main thread's decision on a worker's call counter (engine/runtime/stuckCalls.ts): odd
 * and unchanged for the threshold is one call that has not returned; an even counter (between
 * calls, idle) or a moving one never is. Times are injected.
 */

import { describe, expect, it } from "vitest";
import { CallWatch, describeStuckCall, isStuck, nextSample } from "../../engine/runtime/stuckCalls.js";

describe("stuck calls from call counters", () => {
  it("odd and unchanged for the threshold is stuck; even or moving is not", () => {
    let sample = nextSample(undefined, 7, 0);
    sample = nextSample(sample, 7, 2_999);
    expect(isStuck(sample, 2_999, 3_000)).toBe(false);
    expect(isStuck(sample, 3_000, 3_000)).toBe(true);
    // A new call (the counter moved) starts the clock again.
    sample = nextSample(sample, 9, 3_100);
    expect(isStuck(sample, 5_000, 3_000)).toBe(false);
    // Between calls (even), however long: idle, not stuck.
    expect(isStuck(nextSample(undefined, 8, 0), 60_000, 3_000)).toBe(false);
  });

  it("names the function and the worker from the shared slots", () => {
    const slots = new Int32Array(4);
    const watch = new CallWatch(slots, 2, [["a/fn"], ["a/fn", "b/output.fn"]], 1_000);
    slots[2] = 5;
    slots[3] = 1;
    expect(watch.sample(0)).toEqual([]);
    const [call] = watch.sample(1_500);
    expect(call).toEqual({ workerIndex: 1, counter: 5, functionName: "b/output.fn", runningMs: 1_500 });
    expect(describeStuckCall(call!, '{id: 2}')).toBe('worker 1 has been in one call of step "b" (output.fn) for 1.5 s, on item {id: 2}');
  });
});
