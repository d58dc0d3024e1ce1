/**
 * Property: session windows over event time on 1 to 4 workers give, for any items, what the
 * definition gives computed without Eddy. Per key, in arrival order: an item is late when its time
 * is behind the key's latest time minus the wait (the watermark, on a clock that stands still);
 * the other items form sessions, the runs of their sorted times at most the gap apart (a session
 * that closed cannot take a later on-time item: such an item is past its end plus the gap). Late
 * items come out of the late output as they came. Worker 0 reads every item, in order.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, SessionWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { Blueprint } from "../../engine/dataflow/steps.js";
import { VirtualClock } from "../../engine/ports/clock.js";
import { execute } from "../../engine/runtime/execute.js";
import { fromWorkerZero, sorted } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

type Item = [key: string, time: number];

/** Sessions `[key, [first, last, count]]` and late items, by the definition. */
function expected(items: readonly Item[], gap: number, wait: number): { sessions: unknown[]; late: unknown[] } {
  const sessions: unknown[] = [];
  const late: unknown[] = [];
  for (const key of [...new Set(items.map(([k]) => k))]) {
    let latest = -Infinity;
    const onTime: number[] = [];
    for (const [k, t] of items) {
      if (k !== key) continue;
      if (t < latest - wait) late.push([k, t]);
      else onTime.push(t);
      latest = Math.max(latest, t);
    }
    onTime.sort((a, b) => a - b);
    let run: number[] = [];
    for (const t of onTime) {
      if (run.length > 0 && t - run[run.length - 1]! > gap) {
        sessions.push([key, [run[0], run[run.length - 1], run.length]]);
        run = [];
      }
      run.push(t);
    }
    if (run.length > 0) sessions.push([key, [run[0], run[run.length - 1], run.length]]);
  }
  return { sessions, late };
}

function flowOf(items: readonly Item[], gap: number, wait: number, out: unknown[], late: unknown[]): Blueprint {
  const flow = new Dataflow()
    .input("inp", fromWorkerZero(items))
    .countWindow("sessions", new EventClockConfig((t: number) => t, wait), new SessionWindowConfig(gap), { withWindow: true })
    .capture(new TestingOutputConfig(out));
  return { steps: [...flow.steps, { op: "capture", stepId: "late", upstream: [{ step: 1, output: "late" }], config: new TestingOutputConfig(late) }] };
}

const items = fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 300 })), { maxLength: 60 });

describe("session windows (property)", () => {
  it("equal the definition on 1 to 4 workers: sessions of on-time items, and the late items", async () => {
    await fc.assert(
      fc.asyncProperty(items, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 4 }), async (input, gap, wait, workerCount) => {
        const out: unknown[] = [];
        const late: unknown[] = [];
        await execute(flowOf(input, gap, wait, out, late), { workerCount, errors: "wrapped", host: testHost({ clock: new VirtualClock(0) }) });
        const want = expected(input, gap, wait);
        expect(sorted(out)).toEqual(sorted(want.sessions));
        expect(sorted(late)).toEqual(sorted(want.late));
      }),
      { numRuns: 60 },
    );
  });
});
