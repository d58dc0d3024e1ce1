/**
 * Comparing blueprints: a flow written as a flow file and the same flow written with the
 * `Dataflow` builder compile to equal steps when every function source becomes one function object
 * on both sides (`sharedFunctions`), and when inputs whose configs hold a closure made per instance
 * are compared by what they hold (`comparableSteps`).
 */

import { TestingInputConfig } from "../../engine/configs/inputs.js";
import type { Step } from "../../engine/dataflow/steps.js";
import { compileFlow, defaultFunctionCompiler, type FunctionCompiler } from "../../engine/flow/compile.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";

type Fn = (...args: any[]) => any;

/**
 * A function compiler that compiles each source once, and the function it compiled for a source
 * (undefined before it has): hand `compileFunction` to `compileFlow` and `compiled` to the builder.
 *
 * @example
 * const { compileFunction, compiled } = sharedFunctions();
 * const fromFile = compileFlow(flowFile(), { compileFunction }).flow;
 * const fromBuilder = builtFlow((name) => compiled(SOURCE[name]));
 */
export function sharedFunctions(): { compileFunction: FunctionCompiler; compiled: (source: string) => Fn } {
  const functions = new Map<string, Fn>();
  const compileFunction: FunctionCompiler = (source, where) => {
    if (!functions.has(source)) functions.set(source, defaultFunctionCompiler(source, where));
    return functions.get(source)!;
  };
  return { compileFunction, compiled: (source) => functions.get(source)! };
}

/**
 * A flow file compiled, and the same flow built with the builder from the functions the flow file's
 * sources compiled to (`build` gets them by source), so that their steps can be compared.
 *
 * @example
 * const { fromFile, fromBuilder } = fileAndBuilderFlows(flowFile(), (compiled) => builtFlow((name) => compiled(SOURCE[name])));
 * expect(comparableSteps(fromBuilder.steps)).toStrictEqual(comparableSteps(fromFile.steps));
 */
export function fileAndBuilderFlows<B>(definition: FlowDefinition, build: (compiled: (source: string) => Fn) => B): { fromFile: ReturnType<typeof compileFlow>["flow"]; fromBuilder: B } {
  const { compileFunction, compiled } = sharedFunctions();
  const fromFile = compileFlow(definition, { compileFunction }).flow;
  return { fromFile, fromBuilder: build(compiled) };
}

/**
 * Steps as they can be compared: a `TestingInputConfig` holds a generator closure made per
 * instance, so it is compared by its class and items; everything else as it is.
 *
 * @example
 * expect(comparableSteps(fromBuilder.steps)).toStrictEqual(comparableSteps(fromFile.steps));
 */
export function comparableSteps(steps: readonly Step[]): unknown[] {
  return steps.map((step) => (step.op === "input" && step.config instanceof TestingInputConfig ? { ...step, config: ["TestingInputConfig", step.config.iterable] } : step));
}
