/**
 * Compiling a checked flow definition into the engine's blueprint: the steps that run (disabled and
 * skipped steps are left out, stepActivity.ts) in topological order with `upstream` references
 * from `after` (several ids merge; several steps after one branch; `ID:late` is a window step's
 * late output), each step's
 * id as its `stepId`, blocks as the engine's config classes, functions compiled from source.
 * `$env` references are resolved here, from `options.env`, and never written back into the flow.
 * `compileFlow` (compile.ts) validates first; this file needs no schema (zod).
 */

import { EpochConfig, PeriodicEpochConfig, TestingEpochConfig } from "../configs/epochs.js";
import { FileInputConfig, KafkaInputConfig, ManualInputConfig, TestingInputConfig, type InputBuilder, type InputConfig } from "../configs/inputs.js";
import { FileOutputConfig, KafkaOutputConfig, ManualOutputConfig, StdOutputConfig, type OutputConfig } from "../configs/outputs.js";
import { FileRecoveryConfig, IndexedDbRecoveryConfig, KafkaRecoveryConfig, MemoryRecoveryConfig, RecoveryConfig } from "../configs/recovery.js";
import {
  EventClockConfig,
  SessionWindowConfig,
  SlidingWindowConfig,
  SystemClockConfig,
  TestingClockConfig,
  TumblingWindowConfig,
  type ClockConfig,
  type WindowConfig,
} from "../configs/window.js";
import type { AnyFn, Blueprint, Step, UpstreamRef } from "../dataflow/steps.js";
import { EddyError, describeError } from "../errors.js";
import { preview } from "../preview.js";
import type { ClockBlock, FlowDefinition, FlowStep, FunctionSource, InputBlock, OutputBlock, RecoveryBlock, StringOrEnv, WindowBlock } from "./schema.js";
import { assertFunctionSource, functionBody, functionSourceText } from "./functionSource.js";
import { sourceUrlComment } from "./functionFrame.js";
import { migrateFlow } from "./migrateFlow.js";
import { inactiveSteps, isInactive, stepActivity, type InactiveStep, type StepInput } from "./stepActivity.js";

/**
 * Turns a function's source into a function; `where` names the step and field for errors, and says
 * whether a chain of stateless steps calls the function (`inChain`: map, flat_map, filter,
 * inspect and inspect_epoch), which is generated code where the host generates code.
 */
export type FunctionCompiler = (source: string, where: { stepId: string; field: string; inChain?: boolean }) => AnyFn;

export interface CompileFlowOptions {
  /** How function sources become functions; `defaultFunctionCompiler` when absent. */
  compileFunction?: FunctionCompiler;
  /** Where `{ "$env": NAME }` references are read from; nothing is set when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Feed input steps that have a `sample` from the sample instead of their input (the studio's simulated runs). */
  useSamples?: boolean;
}

export interface CompiledFlow {
  /** The blueprint, ready for `execute` (or `runMain` / `clusterMain`). */
  flow: Blueprint;
  epochConfig?: EpochConfig;
  recoveryConfig?: RecoveryConfig;
  /** `execution.workers`, workers per process. */
  workers?: number;
  /** The steps left out because they do not run (disabled, or skipped), in file order. */
  inactive: InactiveStep[];
}

/**
 * The default function compiler, the one browsers use: `new Function` with `functionBody(source)`
 * (strict mode; a line break before the closing parenthesis lets the source end in a `//` comment),
 * then a `//# sourceURL=step:<id>/<field>` comment that names its frames in stack traces.
 * Source that `checkFunctionSource` refuses is never compiled: this throws `FLOW_FUNCTION_REFUSED`.
 */
export const defaultFunctionCompiler: FunctionCompiler = (source, where) => {
  assertFunctionSource(source, where);
  try {
    // The sourceURL names the function's frames in stack traces (functionFrame.ts); it is a comment.
    return new Function(`${functionBody(source)}${sourceUrlComment(where.stepId, where.field)}`)() as AnyFn;
  } catch (error) {
    throw new EddyError("FLOW_FUNCTION_COMPILE", `Step ${JSON.stringify(where.stepId)}: \`${where.field}\` does not compile: ${describeError(error)}`, { cause: error });
  }
};

/**
 * Builds the blueprint and configs of a flow that `validateFlow` accepted (a newer format version
 * is still refused). Validation is left out: the runner's worker threads compile the text the main
 * thread checked, and need not load the schema (zod) to do it.
 */
export function compileCheckedFlow(json: FlowDefinition, options: CompileFlowOptions = {}): CompiledFlow {
  const definition = migrateFlow(json) as FlowDefinition;
  const compiler = new Compiler(options);

  // Disabled and skipped steps are left out (nothing of theirs is compiled), and so are their
  // connections: a merge keeps the upstream steps that run.
  const activity = stepActivity(definition);
  const inactive = inactiveSteps(definition, activity);
  const running = (index: number) => !isInactive(activity, index);
  const order = topologicalOrder(definition.steps, activity.upstream, running);
  const position = new Map<number, number>();
  const steps: Step[] = [];
  for (const index of order) {
    const step = definition.steps[index]!;
    const upstream = activity.inputs[index]!.filter((input) => running(input.index)).map((input) => upstreamRef(input, position));
    position.set(index, steps.length);
    steps.push(compiler.step(step, index, upstream));
  }

  const inactiveStepIds = inactive.flatMap((step) => (step.stepId === undefined ? [] : [step.stepId]));
  const compiled: CompiledFlow = { flow: { steps, ...(inactiveStepIds.length > 0 && { inactiveStepIds }) }, inactive };
  const execution = definition.execution;
  if (execution?.epoch) compiled.epochConfig = execution.epoch.type === "periodic" ? new PeriodicEpochConfig(execution.epoch.length) : new TestingEpochConfig();
  if (execution?.recovery) compiled.recoveryConfig = compiler.recovery(execution.recovery);
  if (execution?.workers !== undefined) compiled.workers = execution.workers;
  return compiled;
}

/** A resolved `after` entry as a blueprint reference: `ID` is the step's items, `ID:late` its late items. */
function upstreamRef(input: StepInput, position: ReadonlyMap<number, number>): UpstreamRef {
  const step = position.get(input.index)!;
  return input.output === undefined ? step : { step, output: "late" };
}

/**
 * The indices of the steps that run, each after the steps that feed it; ties keep file order (a
 * file in order stays as it is). `upstream` holds each step's upstream indices (stepActivity).
 */
function topologicalOrder(steps: readonly FlowStep[], upstream: readonly (readonly number[])[], running: (index: number) => boolean): number[] {
  const waiting = steps.map((_, index) => (running(index) ? upstream[index]!.filter(running).length : -1));
  const downstream: number[][] = steps.map(() => []);
  steps.forEach((_, index) => {
    if (running(index)) for (const up of upstream[index]!) if (running(up)) downstream[up]!.push(index);
  });
  const ready = steps.flatMap((_, index) => (waiting[index] === 0 ? [index] : []));
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const next = ready.shift()!;
    order.push(next);
    for (const down of downstream[next]!) if (--waiting[down]! === 0) ready.push(down);
  }
  return order;
}

class Compiler {
  private readonly compileFunction: FunctionCompiler;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly useSamples: boolean;

  constructor(options: CompileFlowOptions) {
    this.compileFunction = options.compileFunction ?? defaultFunctionCompiler;
    this.env = options.env ?? {};
    this.useSamples = options.useSamples ?? false;
  }

  step(step: FlowStep, index: number, upstream: UpstreamRef[]): Step {
    const stepId = step.id;
    const at = `steps/${index}`;
    const fn = (source: FunctionSource, field: string) => this.fn(source, stepId, field);
    const chained = (source: FunctionSource) => this.fn(source, stepId, "fn", true);
    switch (step.op) {
      case "input": {
        const config = this.useSamples && step.sample ? new TestingInputConfig(step.sample.items) : this.input(step.input, stepId, `${at}/input`);
        return { op: "input", stepId, upstream, config };
      }
      case "capture":
        return { op: "capture", stepId, upstream, config: this.output(step.output, stepId, `${at}/output`) };
      case "map":
        return { op: "map", stepId, upstream, mapper: chained(step.fn) };
      case "flat_map":
        return { op: "flat_map", stepId, upstream, mapper: chained(step.fn) };
      case "filter":
        return { op: "filter", stepId, upstream, predicate: chained(step.fn) };
      case "inspect":
        return { op: "inspect", stepId, upstream, inspector: chained(step.fn) };
      case "inspect_epoch":
        return { op: "inspect_epoch", stepId, upstream, inspector: chained(step.fn) };
      case "reduce":
        return { op: "reduce", stepId, upstream, reducer: fn(step.fn, "fn"), isComplete: fn(step.isComplete, "isComplete") };
      case "stateful_map":
        return { op: "stateful_map", stepId, upstream, builder: fn(step.builder, "builder"), mapper: fn(step.fn, "fn") };
      case "reduce_window":
        return { op: "reduce_window", stepId, upstream, ...this.windowed(step, stepId), reducer: fn(step.fn, "fn") };
      case "fold_window":
        return {
          op: "fold_window",
          stepId,
          upstream,
          ...this.windowed(step, stepId),
          builder: fn(step.builder, "builder"),
          folder: fn(step.fn, "fn"),
          ...(step.merger !== undefined && { merger: fn(step.merger, "merger") }),
        };
      case "collect_window":
        return { op: "collect_window", stepId, upstream, ...this.windowed(step, stepId) };
      case "count_window":
        return { op: "count_window", stepId, upstream, ...this.windowed(step, stepId) };
      case "join":
        return { op: "join", stepId, upstream, insertMode: step.insertMode ?? "last", emitMode: step.emitMode ?? "complete" };
      case "join_window":
        return {
          op: "join_window",
          stepId,
          upstream,
          clock: this.clock(step.clock, stepId),
          window: windowConfig(step.window),
          insertMode: step.insertMode ?? "last",
          emitMode: step.emitMode ?? "final",
        };
    }
  }

  /** What every window step has: its clock and window, and `withWindow` when set. */
  private windowed(step: { clock: ClockBlock; window: WindowBlock; withWindow?: boolean | undefined }, stepId: string): { clock: ClockConfig; window: WindowConfig; withWindow?: true } {
    return { clock: this.clock(step.clock, stepId), window: windowConfig(step.window), ...(step.withWindow === true && { withWindow: true }) };
  }

  fn(source: FunctionSource, stepId: string, field: string, inChain = false): AnyFn {
    const text = functionSourceText(source)!;
    const compiled: unknown = this.compileFunction(text, inChain ? { stepId, field, inChain } : { stepId, field });
    if (typeof compiled !== "function") {
      throw new EddyError("FLOW_NOT_CALLABLE", `Step ${JSON.stringify(stepId)}: \`${field}\` did not compile to a function; got ${preview(compiled)}`);
    }
    return compiled as AnyFn;
  }

  input(block: InputBlock, stepId: string, at: string): InputConfig {
    switch (block.type) {
      case "list":
        return new TestingInputConfig(block.items);
      case "file":
        return new FileInputConfig(this.string(block.path, `${at}/path`));
      case "function":
        return new ManualInputConfig(this.fn(block.fn, stepId, "input.fn") as InputBuilder);
      case "kafka":
        return new KafkaInputConfig(this.brokers(block.brokers, `${at}/brokers`), this.string(block.topic, `${at}/topic`), {
          ...(block.tail !== undefined && { tail: block.tail }),
          ...(block.startingOffset !== undefined && { startingOffset: block.startingOffset }),
          ...(block.additionalProperties !== undefined && { additionalProperties: this.properties(block.additionalProperties, `${at}/additionalProperties`) }),
          ...(block.decode !== undefined && { decode: block.decode }),
        });
    }
  }

  output(block: OutputBlock, stepId: string, at: string): OutputConfig {
    switch (block.type) {
      case "stdout":
        return new StdOutputConfig();
      case "file":
        return new FileOutputConfig(this.string(block.path, `${at}/path`));
      case "function":
        return new ManualOutputConfig(this.fn(block.fn, stepId, "output.fn") as ConstructorParameters<typeof ManualOutputConfig>[0]);
      case "kafka":
        return new KafkaOutputConfig(this.brokers(block.brokers, `${at}/brokers`), this.string(block.topic, `${at}/topic`), {
          ...(block.additionalProperties !== undefined && { additionalProperties: this.properties(block.additionalProperties, `${at}/additionalProperties`) }),
          ...(block.exactlyOnce !== undefined && { exactlyOnce: block.exactlyOnce }),
        });
    }
  }

  clock(block: ClockBlock, stepId: string): ClockConfig {
    switch (block.type) {
      case "system":
        return new SystemClockConfig();
      case "testing":
        return new TestingClockConfig(block.itemIncr, instant(block.startAt));
      case "event":
        return new EventClockConfig(this.fn(block.fn, stepId, "clock.fn"), block.waitForSystemDuration);
    }
  }

  recovery(block: RecoveryBlock): RecoveryConfig {
    const at = "execution/recovery";
    switch (block.type) {
      case "file":
        return new FileRecoveryConfig(this.string(block.dir, `${at}/dir`));
      case "memory":
        return new MemoryRecoveryConfig();
      case "indexeddb":
        return new IndexedDbRecoveryConfig(this.string(block.dbName, `${at}/dbName`));
      case "kafka":
        return new KafkaRecoveryConfig(this.brokers(block.brokers, `${at}/brokers`), this.string(block.topicPrefix, `${at}/topicPrefix`));
    }
  }

  /** A string, or the value of the environment variable an `$env` reference names. */
  private string(value: StringOrEnv, at: string): string {
    if (typeof value === "string") return value;
    const resolved = this.env[value.$env];
    if (resolved === undefined) throw new EddyError("FLOW_ENV_MISSING", `Environment variable ${value.$env} is not set (${at})`);
    return resolved;
  }

  /** Brokers; a broker from `$env` may be a comma-separated list ("a:9092,b:9092"). */
  private brokers(values: readonly StringOrEnv[], at: string): string[] {
    return values.flatMap((value, index) => {
      const resolved = this.string(value, `${at}/${index}`);
      if (typeof value === "string") return [resolved];
      return resolved
        .split(",")
        .map((broker) => broker.trim())
        .filter((broker) => broker.length > 0);
    });
  }

  private properties(values: Readonly<Record<string, StringOrEnv>>, at: string): Record<string, string> {
    const resolved: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) resolved[key] = this.string(value, `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    return resolved;
  }
}

function windowConfig(block: WindowBlock): WindowConfig {
  switch (block.type) {
    case "tumbling":
      return new TumblingWindowConfig(block.length, block.startAt === undefined ? {} : { startAt: instant(block.startAt) });
    case "sliding":
      return new SlidingWindowConfig(block.length, block.offset, block.startAt === undefined ? {} : { startAt: instant(block.startAt) });
    case "session":
      return new SessionWindowConfig(block.gap);
  }
}

/** Epoch milliseconds from a number or an ISO 8601 date-time (validated before). */
function instant(value: number | string): number {
  return typeof value === "number" ? value : Date.parse(value);
}
