/**
 * How the studio's page sees the step its Web Worker is stuck in, without threads: the simulator
 * given `settings.calls` wraps every flow function with a CallTracker on those counters and posts
 * the functions' names before running any; the page's watch (studio/ui/callWatch.ts) samples the
 * same counters on injected time. A call observed from inside itself (the page's timers are run by
 * hand while the tracked function is still running) stands for a call that never returns.
 */

import { describe, expect, it } from "vitest";
import { CallTracker, SLOTS_PER_WORKER } from "../../../engine/runtime/callTracking.js";
import { SAMPLE_MS, STUCK_MS } from "../../../engine/runtime/stuckCalls.js";
import { watchRunCalls, type CallWatchEnvironment } from "../../../studio/ui/callWatch.js";
import { NAMED_AFTER_MS, type StuckStep } from "../../../studio/ui/stuckStep.js";
import { flowOf, simulate } from "./helpers.js";

function fakePage(isolated = true) {
  let now = 0;
  const timers = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  const env: CallWatchEnvironment = {
    isolated,
    now: () => now,
    setInterval: (callback, ms) => {
      timers.set(next, { callback, ms });
      return next++;
    },
    clearInterval: (handle) => void timers.delete(handle as number),
  };
  return {
    env,
    timers,
    /** Moves the page's clock to `at` and fires the sampler. */
    tick(at: number) {
      now = at;
      for (const timer of timers.values()) timer.callback();
    },
  };
}

const ops = new Map([["slow", "map"]]);

describe("the page's watch on the worker's calls", () => {
  it("does not exist on a page that is not cross-origin isolated", () => {
    expect(watchRunCalls(() => undefined, () => {}, fakePage(false).env)).toBeUndefined();
  });

  it("warns after STUCK_MS in one call, and at a hard stop names the step with how long the call has run", () => {
    const page = fakePage();
    const warnings: (StuckStep | undefined)[] = [];
    const watch = watchRunCalls((id) => ops.get(id), (stuck) => warnings.push(stuck), page.env)!;
    expect([...page.timers.values()].map((timer) => timer.ms)).toEqual([SAMPLE_MS]);
    expect(watch.calls.byteLength).toBe(SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT);

    // The worker's side: its tracker on the same counters, its names sent to the page.
    const tracker = new CallTracker(new Int32Array(watch.calls), 0);
    const quick = tracker.wrap((x: number) => x + 1, "in", "fn");
    let atHardStop: StuckStep | undefined;
    let early: StuckStep | undefined;
    const slow = tracker.wrap(() => {
      // While this call runs, the page samples.
      page.tick(1_000);
      page.tick(1_000 + NAMED_AFTER_MS - 1);
      early = watch.stuckNow();
      page.tick(1_000 + STUCK_MS - 1);
      page.tick(1_000 + STUCK_MS + 200);
      atHardStop = watch.stuckNow();
    }, "slow", "fn");
    watch.setFunctionNames(tracker.names());

    quick(1);
    page.tick(500);
    expect(watch.stuckNow()).toBeUndefined();
    slow();
    expect(early).toBeUndefined();
    expect(atHardStop).toEqual({ stepId: "slow", op: "map", field: "fn", runningMs: STUCK_MS + 200 });
    expect(warnings.map((warning) => warning?.runningMs)).toEqual([undefined, undefined, undefined, undefined, STUCK_MS + 200]);
    // Returned: nothing stuck any more.
    page.tick(60_000);
    expect(warnings.at(-1)).toBeUndefined();
    expect(watch.stuckNow()).toBeUndefined();

    watch.stop();
    expect(page.timers.size).toBe(0);
  });

  it("names nothing while it does not know the worker's functions", () => {
    const page = fakePage();
    const watch = watchRunCalls((id) => ops.get(id), () => {}, page.env)!;
    const tracker = new CallTracker(new Int32Array(watch.calls), 0);
    let named: StuckStep | undefined | null = null;
    tracker.wrap(() => {
      page.tick(0);
      page.tick(STUCK_MS);
      named = watch.stuckNow();
    }, "slow", "fn")();
    expect(named).toBeUndefined();
  });
});

describe("the simulator with call counters", () => {
  const flow = flowOf([
    { id: "in", op: "input", input: { type: "list", items: [1, 2, 3] } },
    { id: "double", op: "map", after: ["in"], fn: "x => x * 2" },
    { id: "keyed", op: "map", after: ["double"], fn: "x => ['all', x]" },
    { id: "counts", op: "reduce", after: ["keyed"], fn: "(a, b) => a + b", isComplete: "() => false" },
    { id: "out", op: "capture", after: ["double"], output: { type: "stdout" } },
  ]);

  it("sends the names of the tracked functions first, and counts every call in and out", async () => {
    const calls = new SharedArrayBuffer(SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT);
    const run = await simulate(flow, { calls });
    expect(run.status).toBe("done");
    expect(run.output.map((line) => line.line)).toEqual(["2", "4", "6"]);
    expect(run.updates[0]!.functions).toEqual(["double/fn", "keyed/fn", "counts/fn", "counts/isComplete"]);
    expect(run.updates.slice(1).some((update) => update.functions !== undefined)).toBe(false);
    const counter = new Int32Array(calls)[0]!;
    // 3 calls of each map, then reduce: 3 isComplete calls and 2 reducer calls (the first item is the state).
    expect(counter).toBe(2 * (3 + 3 + 3 + 2));
  });

  it("tracks nothing and sends no names without counters", async () => {
    const run = await simulate(flow);
    expect(run.status).toBe("done");
    expect(run.updates.some((update) => update.functions !== undefined)).toBe(false);
  });

  it("refuses counters that are not a SharedArrayBuffer big enough", async () => {
    const run = await simulate(flow, { calls: new SharedArrayBuffer(4) });
    expect(run.status).toBe("failed");
    expect(run.last.error).toMatchObject({ code: "SIM_SETTINGS_INVALID", message: expect.stringMatching(/calls must be a SharedArrayBuffer/) });
  });
});
