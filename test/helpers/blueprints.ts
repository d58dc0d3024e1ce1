/**
 * Comparing blueprints: a flow written as a flow file and the same flow written with the
 * `Dataflow` builder compile to equal steps when every function source becomes one function object
 * on both sides (`sharedFunctions`), and when inputs whose configs hold a closure made per instance
 * are compared by what they hold (`comparableSteps`).
 */

import { TestingInputConfig } from "../../engine/configs/inputs.js";
import type { Step } from "../../engine/dataflow/steps.js";
import { defaultFunctionCompiler, type FunctionCompiler } from "../../engine/flow/compile.js";

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
 * Steps as they can be compared: a `TestingInputConfig` holds a generator closure made per
 * instance, so it is compared by its class and items; everything else as it is.
 *
 * @example
 * expect(comparableSteps(fromBuilder.steps)).toStrictEqual(comparableSteps(fromFile.steps));
 */
export function comparableSteps(steps: readonly Step[]): unknown[] {
  return steps.map((step) => (step.op === "input" && step.config instanceof TestingInputConfig ? { ...step, config: ["TestingInputConfig", step.config.iterable] } : step));
}
