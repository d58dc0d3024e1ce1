/**
 * Compiling flow definitions: the blueprint runs on the engine and gives what the same flow built
 * with the TypeScript `Dataflow` builder gives; branches and merges work; blocks become the
 * engine's configs; `$env` is resolved (and never written back); Kafka blocks compile and fail at
 * run time with the engine's message.
 */

import { afterEach, describe, expect, it } from "vitest";
import { PeriodicEpochConfig, TestingEpochConfig } from "../../engine/configs/epochs.js";
import { FileInputConfig, KafkaInputConfig, ManualInputConfig, TestingInputConfig } from "../../engine/configs/inputs.js";
import { FileOutputConfig, KafkaOutputConfig, ManualOutputConfig, StdOutputConfig, TestingOutputConfig } from "../../engine/configs/outputs.js";
import { FileRecoveryConfig, IndexedDbRecoveryConfig, KafkaRecoveryConfig, MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { EventClockConfig, SystemClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { Blueprint } from "../../engine/dataflow/steps.js";
import { WorkerFailedError } from "../../engine/errors.js";
import { FlowInvalidError, compileFlow, defaultFunctionCompiler, type FunctionCompiler } from "../../engine/flow/compile.js";
import { parseFlow } from "../../engine/flow/parseFlowText.js";
import type { FlowDefinition, FlowStep } from "../../engine/flow/schema.js";
import { execute } from "../../engine/runtime/execute.js";
import { rejectionOf, sorted } from "../helpers/entryPoints.js";
import { DESIGN_EXAMPLE, everyBlockFlow } from "./fixtures.js";
import { testHost } from "../helpers/host.js";

const RUNS = [
  { workerCount: 1, errors: "original" },
  { workerCount: 3, errors: "wrapped" },
] as const;

function run(flow: Blueprint, options: { workerCount: number; errors: "original" | "wrapped" }, extra: Parameters<typeof execute>[1] extends infer O ? Partial<O> : never = {}): Promise<void> {
  return execute(flow, { ...options, ...extra });
}

function flowOf(steps: FlowStep[], execution?: FlowDefinition["execution"]): FlowDefinition {
  return { format: "eddy.flow", version: 1, steps, ...(execution && { execution }) };
}

/** Output functions that push to `outputs[name]`, through a global the default compiler's code can reach. */
const sink = (name: string) => `(workerIndex, workerCount) => (item) => { globalThis.__eddyFlowTest.push([${JSON.stringify(name)}, item]); }`;
const global = globalThis as unknown as { __eddyFlowTest?: unknown[] };
function collected(): unknown[] {
  return (global.__eddyFlowTest = []);
}
afterEach(() => {
  delete global.__eddyFlowTest;
});

const LINES = ["To be, or not to be: that is the question", "Whether 'tis nobler in the mind to suffer", "The slings and arrows of outrageous fortune", "Or to take arms against a sea of troubles"];

function wordCountFile(): FlowDefinition {
  return flowOf([
    { id: "lines", op: "input", input: { type: "list", items: LINES } },
    { id: "lower", op: "map", after: ["lines"], fn: "line => line.toLowerCase()" },
    { id: "words", op: "flat_map", after: ["lower"], fn: ["line => line", "  .split(/[^a-z']+/)", "  .filter((word) => word.length > 0)"] },
    { id: "pairs", op: "map", after: ["words"], fn: "word => [word, 1]" },
    { id: "count", op: "reduce_window", after: ["pairs"], clock: { type: "system" }, window: { type: "tumbling", length: 3_600_000 }, fn: "(total, one) => total + one" },
    { id: "out", op: "capture", after: ["count"], output: { type: "function", fn: sink("out") } },
  ]);
}

describe("a compiled word count gives what the Dataflow builder gives", () => {
  for (const options of RUNS) {
    it(`with ${options.workerCount} worker(s), errors ${options.errors}`, async () => {
      const fromFile = collected();
      await run(compileFlow(wordCountFile()).flow, options);

      const fromBuilder: unknown[] = [];
      const built = new Dataflow()
        .input("lines", new TestingInputConfig(LINES))
        .map((line: string) => line.toLowerCase())
        .flatMap((line: string) => line.split(/[^a-z']+/).filter((word) => word.length > 0))
        .map((word: string) => [word, 1])
        .reduceWindow("count", new SystemClockConfig(), new TumblingWindowConfig(3_600_000), (total: number, one: number) => total + one)
        .capture(new TestingOutputConfig(fromBuilder));
      await run(built, options);

      expect(fromBuilder.length).toBeGreaterThan(20);
      expect(sorted(fromFile)).toEqual(sorted(fromBuilder.map((item) => ["out", item])));
      expect(sorted(fromBuilder)).toContainEqual(["to", 4]);
    });
  }

  it("through a custom function compiler that maps sources to real functions", async () => {
    const out: unknown[] = [];
    const table: Record<string, (...args: any[]) => any> = {
      "line => line.toLowerCase()": (line: string) => line.toLowerCase(),
      "line => line\n  .split(/[^a-z']+/)\n  .filter((word) => word.length > 0)": (line: string) => line.split(/[^a-z']+/).filter((word) => word.length > 0),
      "word => [word, 1]": (word: string) => [word, 1],
      "(total, one) => total + one": (total: number, one: number) => total + one,
      [sink("out")]: () => (item: unknown) => out.push(item),
    };
    const seen: unknown[] = [];
    const compileFunction: FunctionCompiler = (source, where) => {
      seen.push([where.stepId, where.field]);
      const fn = table[source];
      if (!fn) throw new Error(`no function for ${source}`);
      return fn;
    };
    await run(compileFlow(wordCountFile(), { compileFunction }).flow, { workerCount: 2, errors: "wrapped" });
    expect(seen).toEqual([["lower", "fn"], ["words", "fn"], ["pairs", "fn"], ["count", "fn"], ["out", "output.fn"]]);
    expect(sorted(out)).toContainEqual(["to", 4]);
    expect(out).toHaveLength(new Set(LINES.join(" ").toLowerCase().split(/[^a-z']+/).filter(Boolean)).size);
  });
});

describe("keyed steps compiled from a file match the builder", () => {
  const START = "2022-01-01T00:00:00Z";
  const items = [["a", 1], ["b", 10], ["a", 2], ["a", 3], ["b", 20], ["a", 4], ["a", 5]];

  for (const options of RUNS) {
    it(`stateful_map, reduce and fold_window with a testing clock (${options.workerCount} worker(s))`, async () => {
      const fromFile = collected();
      const file = flowOf([
        { id: "inp", op: "input", input: { type: "list", items } },
        { id: "running", op: "stateful_map", after: ["inp"], builder: "() => 0", fn: "(sum, v) => [sum + v, sum + v]" },
        { id: "until10", op: "reduce", after: ["inp"], fn: "(acc, v) => acc + v", isComplete: "acc => acc >= 10" },
        {
          id: "windows",
          op: "fold_window",
          after: ["inp"],
          clock: { type: "testing", itemIncr: 4000, startAt: START },
          window: { type: "tumbling", length: 10_000, startAt: Date.parse(START) },
          builder: "() => []",
          fn: "(acc, v) => [...acc, v]",
        },
        { id: "out-running", op: "capture", after: ["running"], output: { type: "function", fn: sink("running") } },
        { id: "out-reduce", op: "capture", after: ["until10"], output: { type: "function", fn: sink("until10") } },
        { id: "out-windows", op: "capture", after: ["windows"], output: { type: "function", fn: sink("windows") } },
      ]);
      await run(compileFlow(file).flow, options, { epochConfig: new TestingEpochConfig() });

      const expected: unknown[] = [];
      const capture = (name: string) => new ManualOutputConfig(() => (item) => void expected.push([name, item]));
      const clock = () => new TestingClockConfig(4000, new Date(START));
      const window = () => new TumblingWindowConfig(10_000, { startAt: new Date(START) });
      const input = () => new TestingInputConfig(items);
      for (const flow of [
        new Dataflow().input("inp", input()).statefulMap("running", () => 0, (sum: number, v: number) => [sum + v, sum + v]).capture(capture("running")),
        new Dataflow().input("inp", input()).reduce("until10", (acc: number, v: number) => acc + v, (acc: number) => acc >= 10).capture(capture("until10")),
        new Dataflow().input("inp", input()).foldWindow("windows", clock(), window(), () => [], (acc: number[], v: number) => [...acc, v]).capture(capture("windows")),
      ]) {
        await run(flow, options, { epochConfig: new TestingEpochConfig() });
      }
      expect(sorted(fromFile)).toEqual(sorted(expected));
      if (options.workerCount === 1) expect(sorted(fromFile)).toContainEqual(["windows", ["a", [1, 2, 3]]]);
    });
  }
});

describe("DAGs", () => {
  for (const options of RUNS) {
    describe(`${options.workerCount} worker(s)`, () => {
      it("a branch: one step feeds two, each to its own capture", async () => {
        const out = collected();
        const file = flowOf([
          { id: "nums", op: "input", input: { type: "list", items: [1, 2, 3] } },
          { id: "double", op: "map", after: ["nums"], fn: "x => x * 2" },
          { id: "plus", op: "map", after: ["nums"], fn: "x => x + 100" },
          { id: "out-double", op: "capture", after: ["double"], output: { type: "function", fn: sink("double") } },
          { id: "out-plus", op: "capture", after: ["plus"], output: { type: "function", fn: sink("plus") } },
        ]);
        await run(compileFlow(file).flow, options);
        expect(sorted(out)).toEqual(sorted([["double", 2], ["double", 4], ["double", 6], ["plus", 101], ["plus", 102], ["plus", 103]]));
      });

      it("a merge: two inputs into one step, a union", async () => {
        const out = collected();
        const file = flowOf([
          { id: "small", op: "input", input: { type: "list", items: [1, 2] } },
          { id: "large", op: "input", input: { type: "list", items: [10, 20, 30] } },
          { id: "both", op: "map", after: ["small", "large"], fn: "x => -x" },
          { id: "out", op: "capture", after: ["both"], output: { type: "function", fn: sink("out") } },
        ]);
        await run(compileFlow(file).flow, options);
        expect(sorted(out)).toEqual(sorted([-1, -2, -10, -20, -30].map((x) => ["out", x])));
      });

      it("a merge into a keyed step: the exchange takes both streams", async () => {
        const out = collected();
        const file = flowOf([
          { id: "left", op: "input", input: { type: "list", items: [["x", 1], ["y", 2], ["x", 3]] } },
          { id: "right", op: "input", input: { type: "list", items: [["x", 10], ["z", 5]] } },
          { id: "sum", op: "stateful_map", after: ["left", "right"], builder: "() => 0", fn: "(sum, v) => [sum + v, sum + v]" },
          { id: "last", op: "reduce", after: ["sum"], fn: "(a, b) => Math.max(a, b)", isComplete: "total => total >= 14 || total === 2 || total === 5" },
          { id: "out", op: "capture", after: ["last"], output: { type: "function", fn: sink("out") } },
        ]);
        await run(compileFlow(file).flow, options, { epochConfig: new TestingEpochConfig() });
        expect(sorted(out)).toEqual(sorted([["out", ["x", 14]], ["out", ["y", 2]], ["out", ["z", 5]]]));
      });

      it("a diamond, listed out of order, with a step fed by a capture", async () => {
        const out = collected();
        const file = flowOf([
          { id: "out2", op: "capture", after: ["tens"], output: { type: "function", fn: sink("out2") } },
          { id: "tens", op: "map", after: ["out1"], fn: "x => x * 10" },
          { id: "out1", op: "capture", after: ["join"], output: { type: "function", fn: sink("out1") } },
          { id: "join", op: "filter", after: ["left", "right"], fn: "x => x !== 4" },
          { id: "left", op: "map", after: ["src"], fn: "x => x" },
          { id: "right", op: "map", after: ["src"], fn: "x => x + 1" },
          { id: "src", op: "input", input: { type: "list", items: [1, 3] } },
        ]);
        await run(compileFlow(file).flow, options);
        expect(sorted(out)).toEqual(sorted([["out1", 1], ["out1", 3], ["out1", 2], ["out2", 10], ["out2", 30], ["out2", 20]]));
      });
    });
  }

  it("the blueprint: topological order (file order kept where possible), ids as step ids, upstream indices", () => {
    const { flow } = compileFlow(
      flowOf([
        { id: "out", op: "capture", after: ["join"], output: { type: "stdout" } },
        { id: "b", op: "input", input: { type: "list", items: [] } },
        { id: "join", op: "map", after: ["b", "a2"], fn: "x => x" },
        { id: "a", op: "input", input: { type: "list", items: [] } },
        { id: "a2", op: "inspect", after: ["a"], fn: "x => {}" },
        { id: "side", op: "inspect_epoch", after: ["a"], fn: "(e, x) => {}" },
        { id: "out-side", op: "capture", after: ["side"], output: { type: "stdout" } },
      ]),
    );
    expect(flow.steps.map((step) => [step.stepId, step.op, step.upstream])).toEqual([
      ["b", "input", []],
      ["a", "input", []],
      ["a2", "inspect", [1]],
      ["join", "map", [0, 2]],
      ["out", "capture", [3]],
      ["side", "inspect_epoch", [1]],
      ["out-side", "capture", [5]],
    ]);
  });
});

describe("blocks become the engine's configs", () => {
  const ENV = { IN_PATH: "/data/in.txt", MORE_BROKERS: "k1:9092, k2:9092,", TOPIC: "events", PASSWORD: "secret", KAFKA_BROKERS: "k3:9092" };

  it("every block of the format", () => {
    const compiled = compileFlow(everyBlockFlow(), { env: ENV });
    const step = (id: string) => compiled.flow.steps.find((s) => s.stepId === id)! as any;

    expect(step("list").config).toBeInstanceOf(TestingInputConfig);
    expect([...step("list").config.iterable]).toEqual([1, "two", { three: 3 }, [4], null]);
    expect(step("file").config).toEqual(new FileInputConfig("/data/in.txt"));
    expect(step("fn-in").config).toBeInstanceOf(ManualInputConfig);
    expect([...step("fn-in").config.inputBuilder(0, 1, undefined)]).toEqual([[1, "x"]]);
    expect(step("kafka").config).toEqual(
      new KafkaInputConfig(["localhost:9092", "k1:9092", "k2:9092"], "events", { tail: false, startingOffset: "end", additionalProperties: { "security.protocol": "SSL", "sasl.password": "secret" } }),
    );
    expect(step("m").upstream).toHaveLength(4);
    expect(step("fm").mapper("a")).toEqual(["a", "a"]);
    expect(step("f").predicate("")).toBe(false);
    expect(step("r").isComplete(3)).toBe(true);
    expect(step("sm").builder()).toBe(0);

    expect(step("rw").clock).toEqual(new TestingClockConfig(1000, Date.parse("2024-01-01T00:00:00Z")));
    expect(step("rw").window).toEqual(new TumblingWindowConfig(5000, { startAt: 1704067200000 }));
    expect(step("fw").clock).toBeInstanceOf(EventClockConfig);
    expect(step("fw").clock.dtGetter({ at: 7 })).toBe(7);
    expect(step("fw").clock.waitForSystemDuration).toBe(0);
    expect(step("fw").window).toEqual(new TumblingWindowConfig(60000));
    expect(step("sys").clock).toBeInstanceOf(SystemClockConfig);

    expect(step("out-std").config).toBeInstanceOf(StdOutputConfig);
    expect(step("out-std").upstream).toHaveLength(2);
    expect(step("out-file").config).toEqual(new FileOutputConfig("out.jsonl"));
    expect(step("out-fn").config).toBeInstanceOf(ManualOutputConfig);
    expect(step("out-kafka").config).toEqual(new KafkaOutputConfig(["k3:9092"], "out", { additionalProperties: { acks: "all" } }));

    expect(compiled.epochConfig).toBeInstanceOf(TestingEpochConfig);
    expect(compiled.recoveryConfig).toEqual(new KafkaRecoveryConfig(["b:9092"], "eddy-"));
    expect(compiled.workers).toBe(2);
  });

  it("epochs and recovery", () => {
    const base = wordCountFile();
    const compile = (execution: FlowDefinition["execution"]) => compileFlow({ ...base, execution }, { env: { STATE: "/var/state", DB: "eddy-db" } });
    expect(compile({ epoch: { type: "periodic", length: 500 }, recovery: { type: "file", dir: { $env: "STATE" } } })).toMatchObject({
      epochConfig: new PeriodicEpochConfig(500),
      recoveryConfig: new FileRecoveryConfig("/var/state"),
    });
    expect(compile({ recovery: { type: "memory" } }).recoveryConfig).toBeInstanceOf(MemoryRecoveryConfig);
    expect(compile({ recovery: { type: "indexeddb", dbName: { $env: "DB" } } }).recoveryConfig).toEqual(new IndexedDbRecoveryConfig("eddy-db"));
    const plain = compile(undefined);
    expect(plain).not.toHaveProperty("epochConfig");
    expect(plain).not.toHaveProperty("recoveryConfig");
    expect(plain).not.toHaveProperty("workers");
  });

  it("a flow with a memory recovery block runs with its compiled recovery config", async () => {
    const out = collected();
    const file = { ...wordCountFile(), execution: { recovery: { type: "memory" as const } } };
    const compiled = compileFlow(file);
    await run(compiled.flow, { workerCount: 1, errors: "original" }, { recoveryConfig: compiled.recoveryConfig });
    expect(out.length).toBeGreaterThan(0);
  });
});

describe("$env references", () => {
  it("are resolved from options.env and never written back into the flow", () => {
    const parsed = parseFlow(DESIGN_EXAMPLE);
    if (!parsed.ok) throw new Error("the example parses");
    const before = JSON.stringify(parsed.value);
    const compiled = compileFlow(parsed.value as FlowDefinition, { env: { KAFKA_BROKERS: "b1:9092,b2:9092" } });
    expect(compiled.flow.steps[0]!.op === "input" && compiled.flow.steps[0]!.config).toEqual(new KafkaInputConfig(["b1:9092", "b2:9092"], "lines", { tail: false }));
    expect(compiled.recoveryConfig).toEqual(new FileRecoveryConfig("./state"));
    expect(compiled.epochConfig).toEqual(new PeriodicEpochConfig(10000));
    expect(JSON.stringify(parsed.value)).toBe(before);
  });

  it("a missing variable is an error naming it and where it is used", () => {
    const parsed = parseFlow(DESIGN_EXAMPLE);
    if (!parsed.ok) throw new Error("the example parses");
    expect(() => compileFlow(parsed.value as FlowDefinition, { env: { OTHER: "x" } })).toThrowError(
      expect.objectContaining({ code: "FLOW_ENV_MISSING", message: "Environment variable KAFKA_BROKERS is not set (steps/0/input/brokers/0)" }),
    );
    expect(() => compileFlow(parsed.value as FlowDefinition)).toThrowError("Environment variable KAFKA_BROKERS is not set (steps/0/input/brokers/0)");
  });

  it("in recovery and output blocks too", () => {
    const file = wordCountFile();
    file.steps[5] = { id: "out", op: "capture", after: ["count"], output: { type: "file", path: { $env: "OUT_PATH" } } };
    expect(() => compileFlow(file, { env: {} })).toThrowError("Environment variable OUT_PATH is not set (steps/5/output/path)");
    const withRecovery = { ...wordCountFile(), execution: { recovery: { type: "kafka" as const, brokers: ["b:9092"], topicPrefix: { $env: "PREFIX" } } } };
    expect(() => compileFlow(withRecovery, { env: {} })).toThrowError("Environment variable PREFIX is not set (execution/recovery/topicPrefix)");
  });

  it("with useSamples, an input with a sample reads the sample and needs no environment", async () => {
    const parsed = parseFlow(DESIGN_EXAMPLE);
    if (!parsed.ok) throw new Error("the example parses");
    const compiled = compileFlow(parsed.value as FlowDefinition, { useSamples: true });
    const lines: string[] = [];
    await run(compiled.flow, { workerCount: 1, errors: "original" }, { host: testHost({ writeStdout: (text) => void lines.push(text) }) });
    expect(sorted(lines.join("").split("\n").filter(Boolean))).toEqual(sorted(['["to",2]', '["be",2]', '["or",1]', '["not",1]']));
  });
});

describe("Kafka blocks compile, and running them on the engine's own host fails with its message", () => {
  const env = { KAFKA_BROKERS: "127.0.0.1:9092" };

  it("a Kafka input", async () => {
    const parsed = parseFlow(DESIGN_EXAMPLE);
    if (!parsed.ok) throw new Error("the example parses");
    const compiled = compileFlow(parsed.value as FlowDefinition, { env });
    const error = (await rejectionOf(run(compiled.flow, { workerCount: 1, errors: "original" }))) as Error & { code: string };
    expect(error.message).toBe(
      'Step "lines" (input): Kafka input needs Node: a browser cannot connect to Kafka brokers (run the flow with the eddy runner, or import eddy/execution in Node; in the studio, give the step a sample)',
    );
    expect(error.code).toBe("ADAPTER_MISSING");
  });

  it("a Kafka output", async () => {
    const file = wordCountFile();
    file.steps[5] = { id: "out", op: "capture", after: ["count"], output: { type: "kafka", brokers: [{ $env: "KAFKA_BROKERS" }], topic: "counts" } };
    const error = (await rejectionOf(run(compileFlow(file, { env }).flow, { workerCount: 1, errors: "original" }))) as Error;
    expect(error.message).toBe(
      'Step "out" (capture): Kafka output needs Node: a browser cannot connect to Kafka brokers (run the flow with the eddy runner, or import eddy/execution in Node; in the studio, give the step a sample)',
    );
  });

  it("Kafka recovery", async () => {
    const file = { ...wordCountFile(), execution: { recovery: { type: "kafka" as const, brokers: [{ $env: "KAFKA_BROKERS" }], topicPrefix: "eddy" } } };
    const compiled = compileFlow(file, { env });
    const error = (await rejectionOf(run(compiled.flow, { workerCount: 1, errors: "original" }, { recoveryConfig: compiled.recoveryConfig }))) as Error;
    expect(error.message).toBe(
      "KafkaRecoveryConfig needs Node: a browser cannot connect to Kafka brokers (import eddy/execution in Node, or run the flow with the eddy runner); in a browser use MemoryRecoveryConfig or IndexedDbRecoveryConfig",
    );
  });
});

describe("errors", () => {
  it("an invalid flow throws FlowInvalidError (code FLOW_INVALID) listing every problem", () => {
    const file = wordCountFile() as any;
    file.steps[3].fn = "word => [word, 1";
    file.steps[4].after = ["pair"];
    const error = (() => {
      try {
        compileFlow(file);
      } catch (thrown) {
        return thrown;
      }
      throw new Error("expected compileFlow to throw");
    })() as FlowInvalidError;
    expect(error).toBeInstanceOf(FlowInvalidError);
    expect(error.code).toBe("FLOW_INVALID");
    expect(error.problems.map((problem) => problem.code)).toEqual(["FLOW_FUNCTION_SYNTAX", "FLOW_UNKNOWN_AFTER"]);
    expect(error.message).toBe(
      [
        "The flow is invalid (2 problems):",
        '- /steps/3/fn: Step "pairs" (map): `fn` does not parse: Unexpected token (line 1, column 17 of the function)',
        '- /steps/4/after/0: Step "count" (reduce_window): `after[0]` names "pair", but no step has that id (did you mean "pairs"?)',
      ].join("\n"),
    );
  });

  it("user code in a compiled flow fails with the original error, or wrapped naming the step id", async () => {
    const boom = new Error("boom");
    const file = wordCountFile();
    file.steps[3] = { id: "pairs", op: "map", after: ["words"], fn: "word => { if (word === 'question') throw globalThis.__eddyFlowBoom; return [word, 1]; }" };
    (globalThis as any).__eddyFlowBoom = boom;
    try {
      expect(await rejectionOf(run(compileFlow(file).flow, { workerCount: 1, errors: "original" }))).toBe(boom);
      const wrapped = (await rejectionOf(run(compileFlow(file).flow, { workerCount: 3, errors: "wrapped" }))) as WorkerFailedError;
      expect(wrapped).toBeInstanceOf(WorkerFailedError);
      expect(wrapped.stepId).toBe("pairs");
      expect(wrapped.message).toMatch(/^Worker \d failed in step "pairs" \(map\) on item "question": Error: boom$/);
      expect(wrapped.cause).toBe(boom);
    } finally {
      delete (globalThis as any).__eddyFlowBoom;
    }
  });

  it("the default compiler runs in strict mode, allows a trailing comment, and names the step and field when source does not compile", () => {
    expect(defaultFunctionCompiler("x => x + 1 // one more", { stepId: "s", field: "fn" })(1)).toBe(2);
    expect(defaultFunctionCompiler("function () { return this; }", { stepId: "s", field: "fn" })()).toBeUndefined();
    expect(() => defaultFunctionCompiler("x =>", { stepId: "s", field: "clock.fn" })).toThrowError(
      expect.objectContaining({ code: "FLOW_FUNCTION_REFUSED", message: expect.stringMatching(/^Step "s": `clock.fn` is refused: Unexpected token/) }),
    );
  });

  it("a custom compiler that returns something other than a function", () => {
    expect(() => compileFlow(wordCountFile(), { compileFunction: () => 42 as never })).toThrowError(
      expect.objectContaining({ code: "FLOW_NOT_CALLABLE", message: 'Step "lower": `fn` did not compile to a function; got 42' }),
    );
  });
});
