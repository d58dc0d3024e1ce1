/**
 * The late items of window steps as builder streams: `flow.late()` after a window step is its late
 * output, which `from`, `merge` and joins take like any stream. A flow that uses it and the same
 * flow as a flow file (`"after": ["count:late"]`) compile to the same blueprint (`{ step, output:
 * "late" }` references) and give the same outputs; `late()` anywhere else is refused.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { ManualOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { Step } from "../../engine/dataflow/steps.js";
import { compileFlow, defaultFunctionCompiler } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { execute } from "../../engine/runtime/execute.js";
import { comparableSteps, fileAndBuilderFlows } from "../helpers/blueprints.js";
import { testHost } from "../helpers/host.js";
import { refusalOf } from "../helpers/refusals.js";

type Fn = (...args: any[]) => any;

/** Clicks by user and time; "u1" at 1000 comes after 20000: its window [0, 10000) has closed. */
const CLICKS = [
  ["u1", 0],
  ["u2", 500],
  ["u1", 20000],
  ["u1", 1000],
  ["u2", 30000],
  ["u2", 2000],
];

const SOURCE = {
  pair: "([user, t]) => [user, { t }]",
  time: "v => v.t",
  late: "([user, v]) => `late ${user} ${v.t}`",
  sink: "(worker, workers) => (item) => { globalThis.__eddyLateStreams.push(item); }",
} as const;

function flowFile(): FlowDefinition {
  const clock = { type: "event", fn: SOURCE.time, waitForSystemDuration: 0 } as const;
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "clicks", op: "input", input: { type: "list", items: CLICKS } },
      { id: "pairs", op: "map", after: ["clicks"], fn: SOURCE.pair },
      { id: "count", op: "count_window", after: ["pairs"], clock, window: { type: "tumbling", length: 10000, startAt: 0 } },
      { id: "late_text", op: "map", after: ["count:late"], fn: SOURCE.late },
      { id: "both", op: "join", after: ["count", "count:late"], emitMode: "running" },
      { id: "out", op: "capture", after: ["count", "late_text", "both"], output: { type: "function", fn: SOURCE.sink } },
    ],
  };
}

function builtFlow(fn: (name: keyof typeof SOURCE) => Fn): Dataflow {
  const flow = new Dataflow();
  flow.input("clicks", new TestingInputConfig(CLICKS)).map(fn("pair"), { stepId: "pairs" });
  const counts = flow.countWindow("count", new EventClockConfig(fn("time"), 0), new TumblingWindowConfig(10000, { startAt: 0 })).stream();
  const late = flow.late();
  const text = flow.from(late).map(fn("late"), { stepId: "late_text" }).stream();
  const both = flow.join("both", [counts, late], { emitMode: "running" }).stream();
  flow.merge([counts, text, both]).capture(new ManualOutputConfig(fn("sink")), { stepId: "out" });
  return flow;
}

const global = globalThis as unknown as { __eddyLateStreams?: unknown[] };
afterEach(() => {
  delete global.__eddyLateStreams;
});

describe("late streams in the builder", () => {
  it("compile to the flow file's blueprint, with { step, output: \"late\" } references", () => {
    const { fromFile, fromBuilder } = fileAndBuilderFlows(flowFile(), (compiled) => builtFlow((name) => compiled(SOURCE[name])));
    expect(fromBuilder.steps.find((step) => step.stepId === "late_text")!.upstream).toEqual([{ step: 2, output: "late" }]);
    expect(fromBuilder.steps.find((step) => step.stepId === "both")!.upstream).toEqual([2, { step: 2, output: "late" }]);
    expect(comparableSteps(fromBuilder.steps)).toStrictEqual(comparableSteps(fromFile.steps));
  });

  it("give the flow file's outputs: the late clicks, their text, and the join of counts with them", async () => {
    const run = async (flow: { steps: readonly Step[] }) => {
      const out: unknown[] = (global.__eddyLateStreams = []);
      await execute(flow, { workerCount: 1, epochConfig: new TestingEpochConfig(), errors: "original", host: testHost() });
      return out;
    };
    const fromFile = await run(compileFlow(flowFile()).flow);
    const compile = (name: keyof typeof SOURCE) => defaultFunctionCompiler(SOURCE[name], { stepId: "test", field: name });
    const fromBuilder = await run(builtFlow(compile));
    expect(fromBuilder).toEqual(fromFile);
    expect(fromFile).toContain("late u1 1000");
    expect(fromFile).toContain("late u2 2000");
    // u1's window [0, 10000) closed with one click when the click at 20000 came, before the late one.
    expect(fromFile).toContainEqual(["u1", [1, { t: 1000 }]]);
  });

  it("late() is refused where the current stream is not one window step's results", () => {
    const refusal = ["FLOW_STREAM_INVALID", "late: the current stream is not a window step's results; only window steps have late items (use `from` on the stream a window step made)"];
    const flow = new Dataflow();
    expect(refusalOf(() => flow.late())).toEqual(refusal);
    const pairs = flow.input("in", new TestingInputConfig([])).map((x: unknown) => x).stream();
    expect(refusalOf(() => flow.late())).toEqual(refusal);
    const counts = flow.countWindow("count", new EventClockConfig((v: number) => v, 0), new TumblingWindowConfig(1000)).stream();
    const late = flow.late();
    expect(refusalOf(() => flow.from(late).late())).toEqual(refusal);
    expect(refusalOf(() => flow.merge([counts, pairs]).late())).toEqual(refusal);
    // A merge keeps each output once: the results and the late items of one step are two.
    flow.merge([counts, late, late, counts]).capture(new ManualOutputConfig(() => () => {}));
    expect(flow.steps.at(-1)!.upstream).toEqual([2, { step: 2, output: "late" }]);
  });
});
