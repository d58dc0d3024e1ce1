/**
 * The studio's Stop on a stuck worker: when the run is still stopping after HARD_STOP_MS (a step in
 * an endless call cannot reach an epoch boundary), the worker is ended; a run that stopped on its
 * own is left alone. The marker names the step, its kind, the function and how long the call had
 * run when the page watched the worker's calls, else gives the likely cause. The timer is
 * injected: nothing here waits.
 */

import { describe, expect, it } from "vitest";
import type { StuckCall } from "../../../engine/runtime/stuckCalls.js";
import { HARD_STOP_MS, armHardStop, hardStopMarker } from "../../../studio/ui/hardStop.js";
import { NAMED_AFTER_MS, longestCall, stepFunctionText, stuckStepOf, stuckWarning } from "../../../studio/ui/stuckStep.js";

function harness(stillStopping: () => boolean) {
  const timers: { callback: () => void; ms: number }[] = [];
  let hardStops = 0;
  armHardStop({ stillStopping, hardStop: () => (hardStops += 1), setTimer: (callback, ms) => timers.push({ callback, ms }) });
  return { timers, hardStops: () => hardStops };
}

describe("Stop, then hard stop", () => {
  it("ends the worker when the run is still stopping after a few seconds", () => {
    const { timers, hardStops } = harness(() => true);
    expect(timers.map((timer) => timer.ms)).toEqual([HARD_STOP_MS]);
    expect(hardStops()).toBe(0);
    timers[0]!.callback();
    expect(hardStops()).toBe(1);
  });

  it("leaves a run that reached its boundary alone", () => {
    const { timers, hardStops } = harness(() => false);
    timers[0]!.callback();
    expect(hardStops()).toBe(0);
  });

  it("says why in the run's markers when it does not know the step", () => {
    expect(hardStopMarker(undefined)).toMatch(/stopped hard: no epoch boundary within 3 s of Stop; a step is stuck in a call/);
  });

  it("names the step, its kind, the function and how long the call had run when it knows them", () => {
    expect(hardStopMarker({ stepId: "slow", op: "map", field: "fn", runningMs: 3_240 })).toBe(
      'stopped hard: step "slow" (map fn) has been in one call for 3.2 s (an endless loop?); the worker was ended',
    );
  });
});

const call = (functionName: string | undefined, runningMs: number, workerIndex = 0): StuckCall => ({ workerIndex, counter: 1, functionName, runningMs });
const ops: Record<string, string> = { slow: "map", gen: "input", sink: "capture", counts: "reduce" };
const opOf = (stepId: string) => ops[stepId];

describe("naming the step a call is stuck in", () => {
  it("places the call's function in the flow: step, kind and field", () => {
    expect(stuckStepOf(call("slow/fn", 3_000), opOf)).toEqual({ stepId: "slow", op: "map", field: "fn", runningMs: 3_000 });
    expect(stuckStepOf(call("counts/isComplete", 5), opOf)).toEqual({ stepId: "counts", op: "reduce", field: "isComplete", runningMs: 5 });
    // A step the flow on screen does not have (any more): no kind.
    expect(stuckStepOf(call("gone/clock.fn", 1), opOf)).toEqual({ stepId: "gone", op: undefined, field: "clock.fn", runningMs: 1 });
  });

  it("names nothing when the worker had not said what the function is", () => {
    expect(stuckStepOf(call(undefined, 9_000), opOf)).toBeUndefined();
  });

  it("writes the kind and the field, without repeating a kind the field starts with", () => {
    const text = (stepId: string, field: string) => stepFunctionText(stuckStepOf(call(`${stepId}/${field}`, 0), opOf)!);
    expect([text("slow", "fn"), text("gen", "input.fn"), text("sink", "output.fn"), text("gone", "fn")]).toEqual([
      'step "slow" (map fn)',
      'step "gen" (input.fn)',
      'step "sink" (capture output.fn)',
      'step "gone" (fn)',
    ]);
  });

  it("names the longest call, and only one that has run at least NAMED_AFTER_MS", () => {
    expect(longestCall([])).toBeUndefined();
    expect(longestCall([call("slow/fn", NAMED_AFTER_MS - 1)])).toBeUndefined();
    expect(longestCall([call("slow/fn", NAMED_AFTER_MS)])?.functionName).toBe("slow/fn");
    expect(longestCall([call("a/fn", 2_000, 0), call("b/fn", 7_000, 1), call("c/fn", 4_000, 2)])?.functionName).toBe("b/fn");
    expect(longestCall([call("a/fn", 10)], 0)?.functionName).toBe("a/fn");
  });

  it("warns while the call runs on", () => {
    expect(stuckWarning({ stepId: "slow", op: "map", field: "fn", runningMs: 3_000 })).toBe('step "slow" (map fn) has been in one call for 3.0 s; it may never return (Stop ends it)');
  });
});
