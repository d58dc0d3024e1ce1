/**
 * What window logic saves per key and restores: open windows with their bounds, close times,
 * accumulators and session ids, the key's session count and clock; a resumed logic emits what the
 * uninterrupted one would. Tumbling windows saved before sliding and session windows existed
 * (`windows: [[index, closeAt, acc]]`) still restore.
 */

import { describe, expect, it } from "vitest";
import { EventClockConfig, SessionWindowConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import type { LogicContext } from "../../engine/operators/keyedLogic.js";
import { createWindower } from "../../engine/windows/createWindower.js";
import { accumulatorOf } from "../../engine/windows/windowAccumulators.js";
import { WindowLogic } from "../../engine/windows/windowLogic.js";
import type { WindowStep } from "../../engine/dataflow/steps.js";

const ctx: LogicContext = { stepId: "w", op: "fold_window", checkKeys: true, failedOn: (error) => error, recording: true };

function logic(step: WindowStep, withWindow = true): WindowLogic {
  return new WindowLogic(step.clock, createWindower(step.window, 0), accumulatorOf(step), ctx, withWindow);
}

const sessions = (): WindowStep => ({
  op: "fold_window",
  stepId: "w",
  upstream: [],
  clock: new EventClockConfig((t: number) => t, 100),
  window: new SessionWindowConfig(10),
  builder: () => [],
  folder: (acc: number[], t: number) => [...acc, t],
  merger: (a: number[], b: number[]) => [...a, ...b],
});

describe("window snapshots", () => {
  it("restore open sessions, their ids and the key's clock: the resumed logic emits what the uninterrupted one does", () => {
    const before = [["u", 18], ["u", 0], ["v", 5]];
    const after = [["u", 9], ["u", 50], ["v", 6]];
    const uninterrupted = logic(sessions());
    const whole: unknown[] = [];
    uninterrupted.onItems([...before, ...after], 0, whole, []);
    uninterrupted.onEof(whole);

    const first = logic(sessions());
    const out: unknown[] = [];
    first.onItems(before, 0, out, []);
    const saved = first.takeSnapshot();
    expect(saved.map(([key]) => key).sort()).toEqual(["u", "v"]);
    const resumed = logic(sessions());
    for (const [key, state] of saved) resumed.restore(key, structuredClone(state));
    resumed.onItems(after, 0, out, []);
    resumed.onEof(out);
    expect(out).toEqual(whole);
    // 9 bridged [0, 0] and [18, 18]; [18, 18] was made first, so 9 joined it: [18, 9] then [0] merged before it.
    expect(out).toContainEqual(["u", [0, 18, [0, 18, 9]]]);
  });

  it("restore tumbling windows saved before sliding and session windows existed", () => {
    const step: WindowStep = { op: "reduce_window", stepId: "w", upstream: [], clock: new TestingClockConfig(1000, 0), window: new TumblingWindowConfig(10_000, { startAt: 0 }), reducer: (a: number, b: number) => a + b };
    const resumed = logic(step);
    // Window 2 ([20000, 30000)) holding 7, as Eddy saved it before: [index, closeAt, acc].
    resumed.restore("k", { time: 25_000, seenAt: 0, due: Infinity, windows: [[2, 30_000, 7]] });
    const out: unknown[] = [];
    resumed.onItems([["k", 1]], 0, out, []);
    resumed.onEof(out);
    expect(out).toEqual([["k", [20_000, 30_000, 8]]]);
  });
});
