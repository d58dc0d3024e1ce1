/**
 * DAGs in TypeScript: a flow with a branch, a merge, a join and a keyed step written as a flow file
 * and with the `Dataflow` builder's streams (`stream`, `from`, `merge`, `join`) gives the same
 * blueprint (the same steps, ids, upstream indices, configs and, through a function compiler that
 * maps each source to one function object, the same functions), and, with the functions written
 * in TypeScript, the same outputs. The builder's linear 0.11 calls still give what they gave.
 */

import { afterEach, describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { ManualOutputConfig, StdOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { compileFlow } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { execute } from "../../engine/runtime/execute.js";
import { comparableSteps, fileAndBuilderFlows, sharedFunctions } from "../helpers/blueprints.js";
import { sorted } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";
import { refusalOf } from "../helpers/refusals.js";

type Fn = (...args: any[]) => any;

const EVENTS = [
  { side: "user", id: "u1", value: "ada" },
  { side: "order", id: "u1", value: "book" },
  { side: "user", id: "u2", value: "grace" },
  { side: "order", id: "u1", value: "pen" },
  { side: "order", id: "u3", value: "lamp" },
  { side: "user", id: "u4", value: "alan" },
];

/** Every function of the flow, as flow-file source. */
const SOURCE = {
  isUser: "e => e.side === 'user'",
  isOrder: "e => e.side === 'order'",
  keyed: "e => [e.id, e.value]",
  label: "([id, row]) => `${id}: ${row.map((v) => v ?? '-').join(' + ')}`",
  count: "(n, _value) => [n + 1, n + 1]",
  zero: "() => 0",
  tag: "([id, value]) => `seen ${id} ${value}`",
  sink: "(worker, workers) => (item) => { globalThis.__eddyDag.push(item); }",
} as const;

function flowFile(): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: [
      { id: "events", op: "input", input: { type: "list", items: EVENTS } },
      { id: "users", op: "filter", after: ["events"], fn: SOURCE.isUser },
      { id: "user_pairs", op: "map", after: ["users"], fn: SOURCE.keyed },
      { id: "orders", op: "filter", after: ["events"], fn: SOURCE.isOrder },
      { id: "order_pairs", op: "map", after: ["orders"], fn: SOURCE.keyed },
      { id: "joined", op: "join", after: ["user_pairs", "order_pairs"], insertMode: "product", emitMode: "final" },
      { id: "show", op: "map", after: ["joined"], fn: SOURCE.label },
      { id: "per_id", op: "stateful_map", after: ["user_pairs", "order_pairs"], builder: SOURCE.zero, fn: SOURCE.count },
      { id: "seen", op: "map", after: ["user_pairs", "order_pairs"], fn: SOURCE.tag },
      { id: "out", op: "capture", after: ["show", "seen"], output: { type: "function", fn: SOURCE.sink } },
      { id: "counts", op: "capture", after: ["per_id"], output: { type: "stdout" } },
    ],
  };
}

/** The same flow with the builder; `fn` gives the function for each source. */
function builtFlow(fn: (name: keyof typeof SOURCE) => Fn): Dataflow {
  const flow = new Dataflow();
  const events = flow.input("events", new TestingInputConfig(EVENTS)).stream();
  const users = flow.from(events).filter(fn("isUser"), { stepId: "users" }).map(fn("keyed"), { stepId: "user_pairs" }).stream();
  const orders = flow.from(events).filter(fn("isOrder"), { stepId: "orders" }).map(fn("keyed"), { stepId: "order_pairs" }).stream();
  const show = flow.join("joined", [users, orders], { insertMode: "product", emitMode: "final" }).map(fn("label"), { stepId: "show" }).stream();
  const perId = flow.merge([users, orders]).statefulMap("per_id", fn("zero"), fn("count")).stream();
  const seen = flow.merge([users, orders]).map(fn("tag"), { stepId: "seen" }).stream();
  flow.merge([show, seen]).capture(new ManualOutputConfig(fn("sink")), { stepId: "out" });
  flow.from(perId).capture(new StdOutputConfig(), { stepId: "counts" });
  return flow;
}

const global = globalThis as unknown as { __eddyDag?: unknown[] };
afterEach(() => {
  delete global.__eddyDag;
});

describe("a DAG written as a flow file and with the builder's streams", () => {
  it("compiles to the same blueprint", () => {
    const { fromFile, fromBuilder } = fileAndBuilderFlows(flowFile(), (compiled) => builtFlow((name) => compiled(SOURCE[name])));
    expect(fromBuilder.steps).toHaveLength(11);
    expect(comparableSteps(fromBuilder.steps)).toStrictEqual(comparableSteps(fromFile.steps));
  });

  it("a different step, id, side order or mode makes another blueprint (the comparison can fail)", () => {
    const { compileFunction } = sharedFunctions();
    const variants: FlowDefinition[] = [];
    const swap = flowFile();
    (swap.steps[5] as { after: string[] }).after.reverse();
    variants.push(swap);
    const mode = flowFile();
    (mode.steps[5] as { emitMode: string }).emitMode = "running";
    variants.push(mode);
    const id = flowFile();
    id.steps[6]!.id = "shown";
    (id.steps[9] as { after: string[] }).after[0] = "shown";
    variants.push(id);
    const fromBuilder = builtFlow((name) => compileFunction(SOURCE[name], { stepId: "x", field: "fn" }));
    for (const variant of variants) expect(comparableSteps(fromBuilder.steps)).not.toStrictEqual(comparableSteps(compileFlow(variant, { compileFunction }).flow.steps));
  });

  for (const workerCount of [1, 3]) {
    it(`gives the same outputs, with the functions written in TypeScript (${workerCount} worker(s))`, async () => {
      const printed: string[] = [];
      const host = { writeStdout: (text: string) => void printed.push(text) };
      const runFlow = async (flow: Dataflow | ReturnType<typeof compileFlow>["flow"]) => {
        global.__eddyDag = [];
        printed.length = 0;
        await execute(flow, { workerCount, errors: "wrapped", epochConfig: new TestingEpochConfig(), host: testHost(host) });
        return { out: sorted(global.__eddyDag), counts: sorted(printed.join("").split("\n").filter(Boolean)) };
      };
      const fromFile = await runFlow(compileFlow(flowFile()).flow);

      type Event = (typeof EVENTS)[number];
      const written: Record<keyof typeof SOURCE, Fn> = {
        isUser: (e: Event) => e.side === "user",
        isOrder: (e: Event) => e.side === "order",
        keyed: (e: Event) => [e.id, e.value],
        label: ([id, row]: [string, (string | null)[]]) => `${id}: ${row.map((v) => v ?? "-").join(" + ")}`,
        count: (n: number) => [n + 1, n + 1],
        zero: () => 0,
        tag: ([id, value]: [string, string]) => `seen ${id} ${value}`,
        sink: () => (item: unknown) => global.__eddyDag!.push(item),
      };
      const fromBuilder = await runFlow(builtFlow((name) => written[name]));

      expect(fromBuilder).toEqual(fromFile);
      expect(fromFile.out).toEqual(
        sorted([
          "u1: ada + book",
          "u1: ada + pen",
          "u2: grace + -",
          "u3: - + lamp",
          "u4: alan + -",
          ...EVENTS.map((e) => `seen ${e.id} ${e.value}`),
        ]),
      );
      // per_id counts each id's events over both sides: u1 has three.
      expect(fromFile.counts.filter((line) => line.startsWith('["u1"'))).toEqual(['["u1",1]', '["u1",2]', '["u1",3]']);
    });
  }
});

describe("the builder's streams", () => {
  it("leave the linear 0.11 calls as they were: one chain, ids by kind and position", () => {
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig([1]))
      .map((x: number) => x)
      .filter(() => true)
      .capture(new StdOutputConfig());
    expect(flow.steps.map((step) => [step.op, step.stepId, step.upstream])).toEqual([
      ["input", "inp", []],
      ["map", "map_1", [0]],
      ["filter", "filter_2", [1]],
      ["capture", "capture_3", [2]],
    ]);
  });

  it("refuse what they cannot use, with FLOW_STREAM_INVALID naming the call", () => {
    const flow = new Dataflow();
    const other = new Dataflow().input("x", new TestingInputConfig([])).stream();
    expect(refusalOf(() => flow.stream())).toEqual(["FLOW_STREAM_INVALID", "stream: there is no stream yet; start one with `input`"]);
    flow.input("a", new TestingInputConfig([]));
    const a = flow.stream();
    expect(refusalOf(() => flow.from(other))).toEqual(["FLOW_STREAM_INVALID", "from: the stream belongs to another Dataflow; streams are used in the dataflow that made them"]);
    expect(refusalOf(() => flow.from("a" as never))).toEqual(["FLOW_STREAM_INVALID", "from: expected a Stream (from `flow.stream()`); got `\"a\"` instead"]);
    expect(refusalOf(() => flow.merge([]))).toEqual(["FLOW_STREAM_INVALID", "merge: expected a non-empty array of Streams; got `[]` instead"]);
    expect(refusalOf(() => flow.join("j", []))).toEqual(["FLOW_STREAM_INVALID", "join: expected a non-empty array of Streams; got `[]` instead"]);
    const b = flow.input("b", new TestingInputConfig([])).stream();
    const both = flow.merge([a, b]).stream();
    expect(refusalOf(() => flow.join("j", [both, a]))).toEqual(["FLOW_STREAM_INVALID", "join: side 0 is a merge of 2 steps; each side must be one step's stream (map the merge first)"]);
    expect(refusalOf(() => flow.join("j", [a, b], { emitMode: "eventually" as never }))).toEqual([
      "CONFIG_INVALID",
      'join: unknown emitMode `"eventually"`; expected one of "complete", "final", "running"',
    ]);
    expect(refusalOf(() => flow.map((x: unknown) => x, { stepId: "" }))).toEqual(["FLOW_INVALID_STEP_ID", "map: the step id must be a non-empty string; got `\"\"` instead"]);
  });
});
