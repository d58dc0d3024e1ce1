/**
 * Disabled steps (`"disabled": true`): which steps do not run (disabled, and skipped because every
 * step that feeds them is), validation (problems inside them are warnings, what does not run is
 * listed, a flow with no input or capture that runs is refused), and compilation (they are left out
 * of the blueprint, nothing of theirs is compiled, `runMain` and `clusterMain` give the output of
 * the flow without them; a merge keeps the upstream steps that run).
 */

import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { clusterMain, runMain } from "../../engine/api/execution.js";
import { compileFlow, type FunctionCompiler, defaultFunctionCompiler } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { inactiveSteps, stepActivity } from "../../engine/flow/stepActivity.js";
import { validateFlow, validateFlowReport } from "../../engine/flow/validateFlow.js";
import { sorted } from "../helpers/entryPoints.js";
import { everyBlockFlow, wordCountFlow } from "./fixtures.js";

type Step = Record<string, unknown>;

function flowOf(steps: Step[]): FlowDefinition {
  return { format: "eddy.flow", version: 1, steps } as unknown as FlowDefinition;
}

/** Output functions that push to a global the compiled code can reach. */
const sink = `(workerIndex, workerCount) => (item) => { globalThis.__eddyDisabledTest.push(item); }`;
const global = globalThis as unknown as { __eddyDisabledTest?: unknown[] };
function collected(): unknown[] {
  return (global.__eddyDisabledTest = []);
}
afterEach(() => {
  delete global.__eddyDisabledTest;
});

/** words → (upper) → out, and words → (exclaim) → out: two branches merged into one capture. */
function branches(disabled: { upper?: boolean; exclaim?: boolean; words?: boolean } = {}): FlowDefinition {
  const flag = (name: keyof typeof disabled) => (disabled[name] ? { disabled: true } : {});
  return flowOf([
    { id: "words", op: "input", ...flag("words"), input: { type: "list", items: ["a", "b", "c"] } },
    { id: "upper", op: "map", after: ["words"], ...flag("upper"), fn: "w => w.toUpperCase()" },
    { id: "exclaim", op: "map", after: ["words"], ...flag("exclaim"), fn: "w => w + '!'" },
    { id: "out", op: "capture", after: ["upper", "exclaim"], output: { type: "function", fn: sink } },
  ]);
}

describe("which steps run", () => {
  it("a disabled step in a chain: it and every step after it that it alone feeds are out", () => {
    const flow = flowOf([
      { id: "in", op: "input" },
      { id: "a", op: "map", after: ["in"], disabled: true },
      { id: "b", op: "map", after: ["a"] },
      { id: "c", op: "capture", after: ["b"] },
      { id: "side", op: "capture", after: ["in"] },
    ]);
    expect(inactiveSteps(flow)).toEqual([
      { index: 1, stepId: "a", reason: "disabled" },
      { index: 2, stepId: "b", reason: "skipped" },
      { index: 3, stepId: "c", reason: "skipped" },
    ]);
  });

  it("a merge runs while one step that feeds it runs; it is skipped once none does", () => {
    expect(inactiveSteps(branches({ upper: true })).map((step) => step.stepId)).toEqual(["upper"]);
    expect(inactiveSteps(branches({ upper: true, exclaim: true }))).toEqual([
      { index: 1, stepId: "upper", reason: "disabled" },
      { index: 2, stepId: "exclaim", reason: "disabled" },
      { index: 3, stepId: "out", reason: "skipped" },
    ]);
  });

  it("a join needs every side (its sides are positions in after): one side disabled skips it and what it alone feeds", () => {
    const join = (disabledSide: boolean) => ({
      format: "eddy.flow",
      version: 1,
      steps: [
        { id: "left", op: "input", input: { type: "list", items: [["k", 1]] } },
        { id: "right", op: "input", input: { type: "list", items: [["k", 2]] }, ...(disabledSide && { disabled: true }) },
        { id: "both", op: "join", after: ["left", "right"] },
        { id: "out", op: "capture", after: ["both"], output: { type: "stdout" } },
        { id: "raw", op: "capture", after: ["left"], output: { type: "stdout" } },
      ],
    });
    expect(inactiveSteps(join(false))).toEqual([]);
    expect(inactiveSteps(join(true))).toEqual([
      { index: 1, stepId: "right", reason: "disabled" },
      { index: 2, stepId: "both", reason: "skipped" },
      { index: 3, stepId: "out", reason: "skipped" },
    ]);
  });

  it("a disabled input skips everything it alone feeds, in any file order", () => {
    const flow = flowOf([
      { id: "out", op: "capture", after: ["mid"] },
      { id: "mid", op: "map", after: ["in"] },
      { id: "in", op: "input", disabled: true },
    ]);
    expect(inactiveSteps(flow).map((step) => [step.stepId, step.reason])).toEqual([
      ["out", "skipped"],
      ["mid", "skipped"],
      ["in", "disabled"],
    ]);
  });

  it("steps that feed each other are not skipped by each other (the cycle is the validator's to report)", () => {
    const flow = flowOf([
      { id: "in", op: "input", disabled: true },
      { id: "a", op: "map", after: ["in", "b"] },
      { id: "b", op: "map", after: ["a"] },
    ]);
    expect(inactiveSteps(flow).map((step) => step.stepId)).toEqual(["in"]);
  });

  it("only `true` disables; `after` names are resolved as the validator resolves them", () => {
    const activity = stepActivity(
      flowOf([
        { id: "in", op: "input", disabled: "yes" },
        { id: "x", op: "map", after: ["in", "in", "nowhere", 7, "x"], disabled: false },
        { id: "in", op: "map", after: ["x"], disabled: true },
      ]),
    );
    expect([...activity.disabled]).toEqual([2]);
    expect(activity.upstream).toEqual([[], [0], [1]]);
    expect([...activity.skipped]).toEqual([]);
  });

  it("any value, even far from a flow, has no inactive steps and does not throw", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => inactiveSteps(value)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe("validation of a flow with disabled steps", () => {
  it("problems inside a disabled, half-configured step are warnings; the flow is valid and lists what does not run", () => {
    const flow = flowOf([
      { id: "in", op: "input", input: { type: "list", items: [1] } },
      { id: "draft", op: "map", disabled: true, fn: "x => {" },
      { id: "later", op: "filter", after: ["draft"], fn: "x =>" },
      { id: "odd", op: "explode", disabled: true, after: ["in"] },
      { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } },
    ]);
    const report = validateFlowReport(flow);
    expect(report.errors).toEqual([]);
    expect(validateFlow(flow)).toEqual([]);
    expect(report.warnings.map((problem) => [problem.code, problem.path, problem.stepId, problem.severity])).toEqual([
      ["FLOW_FUNCTION_SYNTAX", "/steps/1/fn", "draft", "warning"],
      ["FLOW_MISSING_FIELD", "/steps/1/after", "draft", "warning"],
      ["FLOW_FUNCTION_SYNTAX", "/steps/2/fn", "later", "warning"],
      ["FLOW_UNKNOWN_STEP_KIND", "/steps/3/op", "odd", "warning"],
    ]);
    expect(report.warnings[0]!.message).toBe('Step "draft" (map): `fn` does not parse: Unexpected token (line 1, column 7 of the function)');
    expect(report.inactive).toEqual([
      { index: 1, stepId: "draft", reason: "disabled" },
      { index: 2, stepId: "later", reason: "skipped" },
      { index: 3, stepId: "odd", reason: "disabled" },
    ]);
  });

  it("the same problems in steps that run are errors", () => {
    const flow = wordCountFlow() as unknown as { steps: Step[] };
    flow.steps[1]!.fn = "x => {";
    delete flow.steps[2]!.after;
    expect(validateFlow(flow).map((problem) => [problem.code, problem.path, problem.severity])).toEqual([
      ["FLOW_FUNCTION_SYNTAX", "/steps/1/fn", undefined],
      ["FLOW_MISSING_FIELD", "/steps/2/after", undefined],
    ]);
  });

  it("`disabled` must be true or false, and is checked in steps of every kind", () => {
    const flow = wordCountFlow() as unknown as { steps: Step[] };
    flow.steps[2]!.disabled = "yes";
    expect(validateFlow(flow)).toEqual([
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/disabled", stepId: "pairs", message: 'Step "pairs" (map): `disabled` should be true or false; got "yes"' },
    ]);
    const every = everyBlockFlow() as unknown as { steps: Step[] };
    for (const step of every.steps) step.disabled = false;
    expect(validateFlow(every)).toEqual([]);
  });

  it("a flow whose every capture is disabled or skipped is refused, naming them", () => {
    expect(validateFlow(branches({ upper: true, exclaim: true }))).toEqual([
      {
        code: "FLOW_NO_CAPTURE",
        path: "/steps",
        message: 'The only capture step does not run: "out" is skipped (every step that feeds it is disabled or skipped); expected at least one capture step that runs',
      },
    ]);
  });

  it("a flow whose every input is disabled is refused, naming them", () => {
    expect(validateFlow(branches({ words: true })).map((problem) => [problem.code, problem.message])).toEqual([
      ["FLOW_NO_INPUT", 'The only input step does not run: "words" is disabled; expected at least one input step that runs'],
      ["FLOW_NO_CAPTURE", 'The only capture step does not run: "out" is skipped (every step that feeds it is disabled or skipped); expected at least one capture step that runs'],
    ]);
  });

  it("a cycle among steps that run is an error; one through a disabled step is a warning on that step", () => {
    const steps = (disabled: boolean): Step[] => [
      { id: "in", op: "input", input: { type: "list", items: [1] } },
      { id: "a", op: "map", after: ["in", "b"], fn: "x => x" },
      { id: "b", op: "map", after: ["a"], fn: "x => x", ...(disabled && { disabled: true }) },
      { id: "out", op: "capture", after: ["a"], output: { type: "stdout" } },
    ];
    expect(validateFlow(flowOf(steps(false)))).toEqual([
      { code: "FLOW_CYCLE", path: "/steps/1/after", stepId: "a", message: 'Step "a" (map) is part of a cycle: "a" → "b" → "a" (each feeds the next); steps must form a DAG' },
    ]);
    const report = validateFlowReport(flowOf(steps(true)));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      {
        code: "FLOW_CYCLE",
        path: "/steps/2/after",
        stepId: "b",
        severity: "warning",
        message: 'Step "b" (map) is part of a cycle: "b" → "a" → "b" (each feeds the next); steps must form a DAG',
      },
    ]);
  });

  it("never runs a function, in a disabled step or elsewhere", () => {
    const ran = globalThis as unknown as { __eddyRan?: boolean };
    delete ran.__eddyRan;
    const body = "(() => { globalThis.__eddyRan = true; return x => x; })()";
    const flow = branches({ upper: true }) as unknown as { steps: Step[] };
    flow.steps[1]!.fn = body;
    flow.steps[2]!.fn = "x => { globalThis.__eddyRan = true; return x; }";
    validateFlowReport(flow);
    expect(ran.__eddyRan).toBeUndefined();
  });
});

describe("compiling a flow with disabled steps", () => {
  it("leaves out the disabled and skipped steps, compiles none of their functions, and lists them", () => {
    const flow = flowOf([
      { id: "in", op: "input", input: { type: "list", items: [1, 2, 3] } },
      { id: "double", op: "map", after: ["in"], fn: "x => x * 2" },
      { id: "draft", op: "map", after: ["in"], disabled: true, fn: "x => x + 1" },
      { id: "after-draft", op: "inspect", after: ["draft"], fn: "x => {}" },
      { id: "out", op: "capture", after: ["double", "after-draft"], output: { type: "stdout" } },
    ]);
    const compiledSources: string[] = [];
    const compileFunction: FunctionCompiler = (source, where) => {
      compiledSources.push(`${where.stepId}.${where.field}`);
      return defaultFunctionCompiler(source, where);
    };
    const compiled = compileFlow(flow, { compileFunction });
    expect(compiled.flow.steps.map((step) => [step.op, step.stepId, step.upstream])).toEqual([
      ["input", "in", []],
      ["map", "double", [0]],
      ["capture", "out", [1]],
    ]);
    expect(compiledSources).toEqual(["double.fn"]);
    expect(compiled.inactive).toEqual([
      { index: 2, stepId: "draft", reason: "disabled" },
      { index: 3, stepId: "after-draft", reason: "skipped" },
    ]);
    expect(compileFlow(wordCountFlow()).inactive).toEqual([]);
  });

  it("a half-configured disabled step compiles (it is never looked at)", () => {
    const flow = branches({ upper: true }) as unknown as { steps: Step[] };
    flow.steps[1] = { id: "upper", op: "reduce_window", after: ["words"], disabled: true };
    expect(compileFlow(flow as unknown as FlowDefinition).flow.steps.map((step) => step.stepId)).toEqual(["words", "exclaim", "out"]);
  });

  for (const [name, run] of [
    ["runMain", (flow: FlowDefinition) => runMain(compileFlow(flow).flow)],
    ["clusterMain with 3 workers", (flow: FlowDefinition) => clusterMain(compileFlow(flow).flow, [], 0, { workerCountPerProc: 3 })],
  ] as const) {
    it(`${name}: a disabled branch of a merge gives nothing; the others give what they gave`, async () => {
      const all = collected();
      await run(branches());
      expect(sorted(all)).toEqual(["A", "B", "C", "a!", "b!", "c!"]);
      const withoutUpper = collected();
      await run(branches({ upper: true }));
      expect(sorted(withoutUpper)).toEqual(["a!", "b!", "c!"]);
      const withoutExclaim = collected();
      await run(branches({ exclaim: true }));
      expect(sorted(withoutExclaim)).toEqual(["A", "B", "C"]);
    });
  }
});

describe("validation and compilation agree on flows with disabled steps", () => {
  it("random steps of valid flows disabled: the flow is valid unless nothing runs, compiles, and its blueprint is the steps that run", () => {
    const makers = [wordCountFlow, everyBlockFlow] as const;
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }), (which, flags) => {
        const flow = makers[which]!() as unknown as { steps: Step[] };
        flow.steps.forEach((step, index) => flags[index] && (step.disabled = true));
        const report = validateFlowReport(flow);
        const running = flow.steps.filter((_, index) => !report.inactive.some((step) => step.index === index));
        const runsInputAndCapture = running.some((step) => step.op === "input") && running.some((step) => step.op === "capture");
        expect(report.errors.length === 0).toBe(runsInputAndCapture);
        expect(report.warnings).toEqual([]);
        if (!runsInputAndCapture) return;
        const env = new Proxy({}, { get: () => "value" }) as Record<string, string>;
        const compiled = compileFlow(flow as unknown as FlowDefinition, { env });
        expect(compiled.flow.steps.map((step) => step.stepId).sort()).toEqual(running.map((step) => step.id as string).sort());
        for (const step of compiled.flow.steps) for (const up of step.upstream) expect(up).toBeLessThan(compiled.flow.steps.indexOf(step));
      }),
      { numRuns: 200 },
    );
  });
});
