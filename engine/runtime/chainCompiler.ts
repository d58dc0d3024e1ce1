/**
 * Compiles a chain of fused stateless steps into one loop function, generated with `new Function`:
 * the user functions are called from one place each, so the JIT can inline them, and no closure
 * hop or intermediate array sits between two steps. What each step does is written once, in
 * operators/statelessOps.ts (its source form is what this file assembles); errors are built by
 * operators/statelessErrors.ts, which the generated code calls by reference. Errors are attributed
 * to the step and item that failed from two variables the loop keeps (`stage`, `current`). Where
 * the host does not allow code generation (`Host.codeGeneration`: a Content-Security-Policy
 * without 'unsafe-eval'), the chain node does not call this and runs the same table as closures
 * (chainClosures.ts).
 */

import type { StatelessStep } from "../dataflow/steps.js";
import { defaultFunctionGenerator, type FunctionGenerator } from "./generatedCode.js";
import { STATELESS_ERRORS, type StatelessError } from "../operators/statelessErrors.js";
import { OUTCOMES, STATELESS_OPS, callSource, stepFunction } from "../operators/statelessOps.js";

/** Runs the chain over `items`, pushing what comes out to `out`; on error reports `(stage, item)` and throws what `failed` returns. */
export type CompiledChain = (items: readonly unknown[], out: unknown[], epoch: number, failed: (error: unknown, stage: number, item: unknown) => unknown) => void;

/** The parameters of the generated function: their names and the values bound to them. */
class Bindings {
  readonly names: string[] = [];
  readonly values: unknown[] = [];
  private readonly bound = new Set<string>();

  bind(name: string, value: () => unknown): string {
    if (!this.bound.has(name)) {
      this.bound.add(name);
      this.names.push(name);
      this.values.push(value());
    }
    return name;
  }
}

/** The source of the body for stages `from..`, reading the item from variable `input`. */
function stageSource(steps: readonly StatelessStep[], from: number, input: string, bindings: Bindings): string {
  if (from === steps.length) return `out.push(${input});`;
  const step = steps[from]!;
  const def = STATELESS_OPS[step.op];
  const fn = bindings.bind(`f${from}`, () => stepFunction(step));
  return OUTCOMES[def.outcome].source({
    call: callSource(def, fn, input),
    enter: `stage = ${from}; current = ${input};`,
    input,
    local: (letter) => `${letter}${from}`,
    refuse: (error: StatelessError, variable) => `${bindings.bind(`${error}${from}`, () => (value: unknown) => STATELESS_ERRORS[error](step, value))}(${variable})`,
    next: (variable) => stageSource(steps, from + 1, variable, bindings),
  });
}

/**
 * The chain as one generated loop, compiled by `generate` (Host.generateFunction; `new Function`
 * by default). Call it only where the host allows code generation (`Host.codeGeneration`).
 *
 * @example
 * const chain = compileChain(steps);
 * chain(items, out, epoch, (error, stage, item) => error);
 */
export function compileChain(steps: readonly StatelessStep[], generate: FunctionGenerator = defaultFunctionGenerator): CompiledChain {
  const bindings = new Bindings();
  // The globals that stage sources read (flat_map's), passed in: generated code reads no global (generatedCode.ts).
  bindings.bind("Array", () => Array);
  bindings.bind("Symbol", () => Symbol);
  const loop = stageSource(steps, 0, "v", bindings);
  const body =
    `"use strict";\n` +
    `return function chain(items, out, epoch, failed) {\n` +
    `  let stage = 0, current;\n` +
    `  try {\n` +
    `    for (let i = 0; i < items.length; i++) { const v = items[i]; ${loop} }\n` +
    `  } catch (error) { throw failed(error, stage, current); }\n` +
    `};`;
  return generate(bindings.names, body)(...bindings.values) as CompiledChain;
}
