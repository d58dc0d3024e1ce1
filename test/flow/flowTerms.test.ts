/**
 * Runtime errors in a flow file's terms (engine/flow/flowTerms.ts) and where in a function an
 * error was thrown (engine/flow/functionFrame.ts): real flows fail on the engine, and their errors
 * name the step's `fn`, the clock's `fn`, the input's `fn` instead of the API's `mapper`, `dtGetter`
 * or `EventClockConfig`, with the value shown as the engine showed it; the default compiler's
 * frames give the line and column inside the function, as the runner prints them.
 */

import { describe, expect, it } from "vitest";
import { compileFlow, defaultFunctionCompiler } from "../../engine/flow/compile.js";
import { inFlowTerms } from "../../engine/flow/flowTerms.js";
import { defaultCompilerFrameOf, describeFrame } from "../../engine/flow/functionFrame.js";
import type { FlowStep } from "../../engine/flow/schema.js";
import { execute } from "../../engine/runtime/execute.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

const NUMBERS = { id: "numbers", op: "input", input: { type: "list", items: [1, 2] } } as FlowStep;
const PAIRS = { id: "pairs", op: "map", after: ["numbers"], fn: "x => ['k', x]" } as FlowStep;
const WINDOW = { type: "tumbling", length: 10_000, startAt: 0 };

/** The error a one-worker run of these steps (then a capture) fails with. */
async function failureOf(steps: FlowStep[]): Promise<Error> {
  const last = steps[steps.length - 1]!.id;
  const flow = compileFlow({ format: "eddy.flow", version: 1, steps: [...steps, { id: "out", op: "capture", after: [last], output: { type: "stdout" } } as FlowStep] });
  const error = await rejectionOf(execute(flow.flow, { workerCount: 1, errors: "original", host: testHost({ writeStdout: () => {} }) }));
  return error as Error;
}

describe("inFlowTerms", () => {
  const CASES: { name: string; steps: FlowStep[]; api: RegExp; flow: string }[] = [
    { name: "flat_map", steps: [NUMBERS, { id: "s", op: "flat_map", after: ["numbers"], fn: "x => x" } as FlowStep], api: /`mapper` in flat map operator/, flow: 'Step "s" (flat_map): return value of `fn` must be iterable; got `1` instead' },
    { name: "filter", steps: [NUMBERS, { id: "s", op: "filter", after: ["numbers"], fn: "x => 'yes'" } as FlowStep], api: /`predicate` in filter operator/, flow: 'Step "s" (filter): return value of `fn` must be a boolean; got `"yes"` instead' },
    {
      name: "stateful_map",
      steps: [NUMBERS, PAIRS, { id: "s", op: "stateful_map", after: ["pairs"], builder: "() => 0", fn: "(n, x) => n + x" } as FlowStep],
      api: /`mapper` in stateful map operator/,
      flow: 'Step "s" (stateful_map): return value of `fn` must be a 2-element array of `[updatedState, updatedValue]`; got `1` instead',
    },
    {
      name: "reduce's isComplete",
      steps: [NUMBERS, PAIRS, { id: "s", op: "reduce", after: ["pairs"], fn: "(a, b) => a + b", isComplete: "a => 'y'" } as FlowStep],
      api: /`isComplete` in reduce operator/,
      flow: 'Step "s" (reduce): return value of `isComplete` must be a boolean; got `"y"` instead',
    },
    {
      name: "the event clock",
      steps: [NUMBERS, PAIRS, { id: "s", op: "reduce_window", after: ["pairs"], clock: { type: "event", fn: "x => 'noon'", waitForSystemDuration: 0 }, window: WINDOW, fn: "(a, b) => a + b" } as FlowStep],
      api: /`dtGetter` in EventClockConfig/,
      flow: 'Step "s" (reduce_window): return value of the clock\'s `fn` must be a Date or epoch milliseconds; got `"noon"` instead',
    },
  ];
  for (const { name, steps, api, flow } of CASES) {
    it(`names ${name}'s function as the flow file does`, async () => {
      const error = await failureOf(steps);
      expect(error.message).toMatch(api);
      expect(inFlowTerms(error.message)).toBe(flow);
    });
  }

  it("names an async function's field, and keeps the rest of the message", async () => {
    const error = await failureOf([NUMBERS, { id: "s", op: "map", after: ["numbers"], fn: "async x => x" } as FlowStep]);
    expect(error.message).toContain("`mapper` returned a Promise");
    const told = inFlowTerms(error.message);
    expect(told).toContain('Step "s" (map): `fn` returned a Promise (or another thenable) where a value is expected; got ');
    expect(told.slice(told.indexOf("; got "))).toBe(error.message.slice(error.message.indexOf("; got ")));
  });

  it("names a function input's fn", async () => {
    const error = await failureOf([{ id: "numbers", op: "input", input: { type: "function", fn: "() => 42" } } as FlowStep]);
    expect(inFlowTerms(error.message)).toBe('Step "numbers" (input): The input\'s `fn` must return an iterable or an async iterable; got `42` instead');
  });

  it("leaves the shown value alone, even when it looks like a function name", () => {
    const message = 'Step "s" (flat_map): return value of `mapper` in flat map operator must be iterable; got `mapper` instead';
    expect(inFlowTerms(message)).toBe('Step "s" (flat_map): return value of `fn` must be iterable; got `mapper` instead');
  });

  it("leaves other messages as they are", () => {
    expect(inFlowTerms("Environment variable X is not set (steps/0/input/path)")).toBe("Environment variable X is not set (steps/0/input/path)");
    expect(inFlowTerms('Step "s" (custom): `mapper` did it')).toBe('Step "s" (custom): `mapper` did it');
  });
});

describe("defaultCompilerFrameOf", () => {
  it("finds the line and column inside the function where it threw", () => {
    const fn = defaultFunctionCompiler("x => {\n  const y = x.a;\n  return y.b;\n}", { stepId: "parse", field: "fn" });
    let thrown: unknown;
    try {
      fn({});
    } catch (error) {
      thrown = error;
    }
    const frame = defaultCompilerFrameOf(thrown);
    expect(frame).toEqual({ stepId: "parse", field: "fn", line: 3, column: expect.any(Number) });
    // V8 points at the property read: `b` of `y.b`, column 12 of "  return y.b;".
    expect(frame!.column).toBe("  return y.b;".indexOf("b;") + 1);
    expect(describeFrame(frame!)).toBe(`at line 3, column ${frame!.column} of the function \`fn\` of step "parse"`);
  });

  it("takes the wrapper's prefix off the first line's columns", () => {
    const fn = defaultFunctionCompiler("x => x.a.b", { stepId: "w", field: "clock.fn" });
    let thrown: unknown;
    try {
      fn(1);
    } catch (error) {
      thrown = error;
    }
    expect(defaultCompilerFrameOf(thrown)).toEqual({ stepId: "w", field: "clock.fn", line: 1, column: "x => x.a.b".lastIndexOf("b") + 1 });
  });

  it("is undefined for errors not thrown in a flow function, and never throws", () => {
    expect(defaultCompilerFrameOf(new Error("elsewhere"))).toBeUndefined();
    expect(defaultCompilerFrameOf(42)).toBeUndefined();
    const hostile = new Proxy({}, { get: () => { throw new Error("trap"); } });
    expect(defaultCompilerFrameOf(hostile)).toBeUndefined();
  });
});
