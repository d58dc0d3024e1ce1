/**
 * What shapes a stateful step's state is part of the store's fingerprint (issue 10, point 5): a
 * resume with another op, clock or window is refused naming the step, the setting, the old and the
 * new value; function source text is not part of it (fixing a bug in a function and resuming
 * works); a store written before the fingerprint existed resumes and gets it written.
 */

import { describe, expect, it } from "vitest";
import { EventClockConfig, SessionWindowConfig, SlidingWindowConfig, SystemClockConfig, TestingClockConfig, TumblingWindowConfig, type WindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { isKeyed, type KeyedStep } from "../../engine/dataflow/steps.js";
import { EddyError } from "../../engine/errors.js";
import { FORMAT_VERSION, decideResume } from "../../engine/recovery/protocol.js";
import type { PartitionContents, PartitionMeta, StepShape } from "../../engine/recovery/store.js";
import { shapeOf } from "../../engine/runtime/recoveryStart.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";

const START = Date.UTC(2026, 0, 1);

/** The keyed step "win" of a flow with the given clock and window. */
function windowStep(clock: ConstructorParameters<typeof EventClockConfig> | "system" | [number], length: number, startAt: number | undefined = START, fn = (acc: number, x: number) => acc + x): KeyedStep {
  const clockConfig = clock === "system" ? new SystemClockConfig() : clock.length === 1 ? new TestingClockConfig(clock[0], START) : new EventClockConfig(...clock);
  const flow = new Dataflow()
    .input("inp", new TestingInputConfig([]))
    .foldWindow("win", clockConfig, new TumblingWindowConfig(length, startAt === undefined ? {} : { startAt }), () => 0, fn)
    .capture(new TestingOutputConfig([]));
  return flow.steps.find(isKeyed)!;
}

const meta = (workerIndex: number, shapes?: Record<string, StepShape>): PartitionMeta => ({
  formatVersion: FORMAT_VERSION,
  workerCount: 2,
  workerIndex,
  stepIds: ["inp", "win"],
  ...(shapes ? { shapes } : {}),
});
const store = (shapes?: Record<string, StepShape>) => ({
  description: "test store",
  describePartition: (i: number) => `test partition ${i}`,
  partitions: new Map<number, PartitionContents>([0, 1].map((i) => [i, { meta: meta(i, shapes), frontier: 4, records: [] }])),
});
const flowWith = (step: KeyedStep) => ({ workerCount: 2, stepIds: ["inp", "win"], shapes: { win: shapeOf(step) } });

function refusal(decide: () => unknown): EddyError {
  try {
    decide();
  } catch (error) {
    expect(error).toBeInstanceOf(EddyError);
    return error as EddyError;
  }
  throw new Error("expected a refusal");
}

describe("a stateful step's shape in the store's fingerprint", () => {
  const tumbling100 = windowStep([1000], 100_000);

  it("resumes when nothing that shapes the state changed", () => {
    expect(decideResume(store({ win: shapeOf(tumbling100) }), flowWith(windowStep([1000], 100_000)))).toEqual({ kind: "resume", epoch: 4 });
  });

  it("refuses a tumbling window of another length, naming the step, the old and the new length", () => {
    const error = refusal(() => decideResume(store({ win: shapeOf(tumbling100) }), flowWith(windowStep([1000], 30_000))));
    expect(error.code).toBe("RECOVERY_STEP_CHANGED");
    expect(error.message).toContain('"win"');
    expect(error.message).toMatch(/length was 100000 and is now 30000/);
  });

  it("refuses another window start, another clock kind and other clock parameters", () => {
    const saved = { win: shapeOf(tumbling100) };
    expect(refusal(() => decideResume(store(saved), flowWith(windowStep([1000], 100_000, START + 5)))).message).toContain(String(START + 5));
    expect(refusal(() => decideResume(store(saved), flowWith(windowStep("system", 100_000)))).message).toMatch(/was testing and is now system/);
    expect(refusal(() => decideResume(store(saved), flowWith(windowStep([2000], 100_000)))).message).toMatch(/1000 and is now 2000/);
  });

  it("an event clock: its wait is part of the shape, its function's text is not", () => {
    const saved = { win: shapeOf(windowStep([(x: number) => x, 5000], 10_000)) };
    expect(decideResume(store(saved), flowWith(windowStep([(x: number) => x * 1000, 5000], 10_000)))).toEqual({ kind: "resume", epoch: 4 });
    const error = refusal(() => decideResume(store(saved), flowWith(windowStep([(x: number) => x, 2000], 10_000))));
    expect(error.code).toBe("RECOVERY_STEP_CHANGED");
    expect(error.message).toMatch(/5000 and is now 2000/);
  });

  it("a fixed folder function (another source text) resumes", () => {
    const saved = { win: shapeOf(tumbling100) };
    expect(decideResume(store(saved), flowWith(windowStep([1000], 100_000, START, (acc, x) => acc + 2 * x)))).toEqual({ kind: "resume", epoch: 4 });
  });

  it("refuses a step whose kind changed under the same id", () => {
    const reduceFlow = new Dataflow()
      .input("inp", new TestingInputConfig([]))
      .reduceWindow("win", new TestingClockConfig(1000, START), new TumblingWindowConfig(100_000, { startAt: START }), (a: number, b: number) => a + b)
      .capture(new TestingOutputConfig([]));
    const error = refusal(() => decideResume(store({ win: shapeOf(tumbling100) }), flowWith(reduceFlow.steps.find(isKeyed)!)));
    expect(error.code).toBe("RECOVERY_STEP_CHANGED");
    expect(error.message).toMatch(/fold_window and is now reduce_window/);
  });

  it("sliding and session windows: their kind and parameters are the shape; withWindow and the merger are not", () => {
    const step = (window: WindowConfig, build: (flow: Dataflow, window: WindowConfig) => Dataflow) =>
      build(new Dataflow().input("inp", new TestingInputConfig([])), window).capture(new TestingOutputConfig([])).steps.find(isKeyed)!;
    const count = (flow: Dataflow, window: WindowConfig) => flow.countWindow("win", new SystemClockConfig(), window);
    const sessions = { win: shapeOf(step(new SessionWindowConfig(30_000), count)) };
    const withWindow = step(new SessionWindowConfig(30_000), (flow, window) => flow.countWindow("win", new SystemClockConfig(), window, { withWindow: true }));
    expect(decideResume(store(sessions), flowWith(withWindow))).toEqual({ kind: "resume", epoch: 4 });
    expect(refusal(() => decideResume(store(sessions), flowWith(step(new SessionWindowConfig(60_000), count)))).message).toMatch(/gap was 30000 and is now 60000/);
    expect(refusal(() => decideResume(store(sessions), flowWith(step(new SlidingWindowConfig(30_000, 10_000, { startAt: START }), count)))).message).toMatch(/was session and is now sliding/);
    const sliding = { win: shapeOf(step(new SlidingWindowConfig(30_000, 10_000, { startAt: START }), count)) };
    expect(refusal(() => decideResume(store(sliding), flowWith(step(new SlidingWindowConfig(30_000, 5_000, { startAt: START }), count)))).message).toMatch(/offset was 10000 and is now 5000/);
    const collect = step(new SlidingWindowConfig(30_000, 10_000, { startAt: START }), (flow, window) => flow.collectWindow("win", new SystemClockConfig(), window));
    expect(refusal(() => decideResume(store(sliding), flowWith(collect))).message).toMatch(/count_window and is now collect_window/);
    const fold = (merger: (a: number, b: number) => number) =>
      step(new SessionWindowConfig(1000), (flow, window) => flow.foldWindow("win", new SystemClockConfig(), window, () => 0, (a: number) => a + 1, merger));
    expect(decideResume(store({ win: shapeOf(fold((a, b) => a + b)) }), flowWith(fold((a, b) => b + a)))).toEqual({ kind: "resume", epoch: 4 });
  });

  it("a store written before the fingerprint existed (no shapes) resumes", () => {
    expect(decideResume(store(undefined), flowWith(windowStep([1000], 30_000)))).toEqual({ kind: "resume", epoch: 4 });
  });

  it("a step the store has no shape for (added to the flow) resumes", () => {
    expect(decideResume(store({}), flowWith(windowStep([1000], 30_000)))).toEqual({ kind: "resume", epoch: 4 });
  });
});
