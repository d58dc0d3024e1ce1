/**
 * Values thrown that are not Errors (`throw 42`, `throw null`, `throw undefined`, a Proxy whose
 * traps throw): runMain rejects with the very value, clusterMain's WorkerFailedError names the
 * worker, the step and the item and keeps the value as `cause`, and nothing in the reporting reads
 * a property of the value unguarded (issue 10, point 7).
 */

import { describe, expect, it } from "vitest";
import { ManualInputConfig, TestingInputConfig } from "../../engine/configs/inputs.js";
import { ManualOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { WorkerFailedError, describeError, errorContext } from "../../engine/errors.js";
import { clusterMain, runMain } from "../../engine/api/execution.js";
import type { Host } from "../../engine/host/index.js";
import { testHost } from "../helpers/host.js";
import { execute } from "../../engine/runtime/execute.js";
import { reportError, exitCodeOf, formatReport } from "../../node-runner/errors/report.js";
import { rejectionOf } from "../helpers/entryPoints.js";

/**
 * What `promise` rejected with, in a box: an async function cannot return a Proxy whose `get` trap
 * throws (resolving a promise with an object reads its `then`).
 */
async function caught(promise: Promise<unknown>): Promise<{ error: unknown }> {
  try {
    await promise;
  } catch (error) {
    return { error };
  }
  throw new Error("expected the run to fail, but it finished");
}

/** A Proxy whose every trap throws: reading anything of it (even `instanceof`) throws. */
function hostileProxy(): object {
  const trap = () => {
    throw new Error("trap");
  };
  return new Proxy({}, { get: trap, has: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
}

const VALUES: Record<string, () => unknown> = {
  "42": () => 42,
  null: () => null,
  undefined: () => undefined,
  'a string "boom"': () => "boom",
  "a symbol": () => Symbol.for("boom"),
  "a plain object": () => ({ reason: "boom" }),
  "a Proxy whose traps throw": hostileProxy,
};

const PLACES: Record<string, (thrown: unknown) => Dataflow> = {
  map: (t) => new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).map(() => { throw t; }).capture(new TestingOutputConfig([])),
  filter: (t) => new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).filter(() => { throw t; }).capture(new TestingOutputConfig([])),
  flat_map: (t) => new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).flatMap(() => { throw t; }).capture(new TestingOutputConfig([])),
  inspect: (t) => new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).inspect(() => { throw t; }).capture(new TestingOutputConfig([])),
  reduce: (t) =>
    new Dataflow().input("inp", new TestingInputConfig([["a", 1], ["a", 2]])).reduce("sum", () => { throw t; }, () => false).capture(new TestingOutputConfig([])),
  stateful_map: (t) =>
    new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).statefulMap("s", () => 0, () => { throw t; }).capture(new TestingOutputConfig([])),
  fold_window: (t) =>
    new Dataflow()
      .input("inp", new TestingInputConfig([["a", 1]]))
      .foldWindow("w", new TestingClockConfig(1000, 0), new TumblingWindowConfig(10_000, { startAt: 0 }), () => { throw t; }, (acc: number) => acc)
      .capture(new TestingOutputConfig([])),
  "an input iterator": (t) =>
    new Dataflow().input("inp", new ManualInputConfig(function* () { yield [1, ["a", 1]]; throw t; })).capture(new TestingOutputConfig([])),
  "an output handler": (t) => new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).capture(new ManualOutputConfig(() => () => { throw t; })),
  "an async output handler": (t) =>
    new Dataflow().input("inp", new TestingInputConfig([["a", 1]])).capture(new ManualOutputConfig(() => async () => { throw t; })),
};

const STEP_OF: Record<string, string> = {
  map: "map_1",
  filter: "filter_1",
  flat_map: "flat_map_1",
  inspect: "inspect_1",
  reduce: "sum",
  stateful_map: "s",
  fold_window: "w",
  "an input iterator": "inp",
};

for (const compiled of [true, false]) {
  describe(`a thrown value that is not an Error (${compiled ? "generated" : "closure"} chains)`, () => {
    const withChains = <T>(run: (host: Host) => Promise<T>): Promise<T> => run(testHost({ codeGeneration: compiled }));

    for (const [kind, make] of Object.entries(VALUES)) {
      it(`runMain rejects with the very value: ${kind}`, async () => {
        const thrown = make();
        const { error } = await withChains((host) => caught(runMain(PLACES["map"]!(thrown), { host })));
        expect(Object.is(error, thrown)).toBe(true);
      });

      it(`clusterMain names worker, step and item, with the value as cause: ${kind}`, async () => {
        const thrown = make();
        const error = await withChains((host) => rejectionOf(clusterMain(PLACES["map"]!(thrown), [], 0, { workerCountPerProc: 2, host })));
        expect(error).toBeInstanceOf(WorkerFailedError);
        const failed = error as WorkerFailedError;
        expect(Object.is(failed.cause, thrown)).toBe(true);
        expect(failed.stepId).toBe("map_1");
        expect(failed.message).toMatch(/^Worker 0 failed in step "map_1" \(map\) on item \["a", 1\]: /);
      });
    }
  });
}

describe("every kind of step names itself for a non-Error throw", () => {
  for (const [place, build] of Object.entries(PLACES)) {
    for (const kind of ["42", "undefined", "a Proxy whose traps throw"]) {
      it(`${place}, ${kind}: clusterMain's error names the step, and the runner's report exits 3`, async () => {
        const thrown = VALUES[kind]!();
        const error = await rejectionOf(clusterMain(build(thrown), [], 0, { workerCountPerProc: 2 }));
        expect(error).toBeInstanceOf(WorkerFailedError);
        expect(Object.is((error as WorkerFailedError).cause, thrown)).toBe(true);
        if (STEP_OF[place]) expect((error as WorkerFailedError).stepId).toBe(STEP_OF[place]);
        else expect((error as WorkerFailedError).stepId).toMatch(/^capture/);
      });
    }
  }
});

describe("the runner's report of a non-Error throw", () => {
  /** What the engine threw inside a run (a box for a primitive), as the runner's thread sees it. */
  async function engineError(thrown: unknown): Promise<{ error: unknown }> {
    return caught(execute(PLACES["stateful_map"]!(thrown), { workerCount: 1, errors: "recorded" }));
  }

  for (const [kind, make] of Object.entries(VALUES)) {
    it(`exits 3 with step, worker, item and the value: ${kind}`, async () => {
      const report = reportError((await engineError(make())).error, 0);
      expect(report).toMatchObject({ stepId: "s", op: "stateful_map", workerIndex: 0, itemPreview: '["a", 1]' });
      expect(exitCodeOf(report)).toBe(3);
      const text = formatReport(report, { stack: true });
      expect(text).toMatch(/^Worker 0 failed in step "s" \(stateful_map\) on item \["a", 1\]: /);
    });
  }

  it("shows the value thrown", async () => {
    expect(formatReport(reportError((await engineError(42)).error, 0))).toMatch(/: Thrown: a non-error value was thrown: 42$/);
    expect(formatReport(reportError((await engineError(undefined)).error, 0))).toMatch(/: Thrown: a non-error value was thrown: undefined$/);
    expect(formatReport(reportError((await engineError(null)).error, 0))).toMatch(/: Thrown: a non-error value was thrown: null$/);
    expect(formatReport(reportError((await engineError("boom")).error, 0))).toMatch(/: Thrown: a non-error value was thrown: "boom"$/);
  });

  it("describes a Proxy whose traps throw without running into them", async () => {
    const proxy = hostileProxy();
    expect(() => describeError(proxy)).not.toThrow();
    expect(() => reportError(proxy)).not.toThrow();
    expect(errorContext(proxy)).toBeUndefined();
  });
});
