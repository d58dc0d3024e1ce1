/**
 * Compiles a chain of fused stateless steps into one loop function, generated with `new Function`:
 * the user functions are called from one place each, so the JIT can inline them, and no closure
 * hop or intermediate array sits between two steps. Errors are attributed to the step and item
 * that failed from two variables the loop keeps (`stage`, `current`). Where the host does not
 * allow code generation (`Host.codeGeneration`: a Content-Security-Policy without 'unsafe-eval'),
 * the chain node does not call this and uses its closure pipeline instead.
 */

import type { StatelessStep } from "../dataflow/steps.js";
import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { notBoolean } from "../operators/keyed.js";
import { isThenable, returnedPromise } from "../operators/promises.js";

/** Runs the chain over `items`, pushing what comes out to `out`; on error reports `(stage, item)` and throws what `failed` returns. */
export type CompiledChain = (items: readonly unknown[], out: unknown[], epoch: number, failed: (error: unknown, stage: number, item: unknown) => unknown) => void;

/** The error for a flat_map's return value that is not iterable (shared with the closure pipeline). */
export function notIterable(step: StatelessStep, value: unknown): EddyTypeError {
  if (isThenable(value)) return returnedPromise(step.stepId, "flat_map", "mapper", value);
  return new EddyTypeError(
    "STEP_NOT_ITERABLE",
    step.stepId,
    `Step "${step.stepId}" (flat_map): return value of \`mapper\` in flat map operator must be iterable; got \`${preview(value)}\` instead`,
  );
}

/** The error for a filter's return value that is not a boolean (shared with the closure pipeline). */
export function notBooleanFilter(step: StatelessStep, value: unknown): EddyTypeError {
  if (isThenable(value)) return returnedPromise(step.stepId, "filter", "predicate", value);
  return notBoolean(step.stepId, "filter", "predicate", "filter", value);
}

/** Source text: is `variable` a thenable? Reads `then` only of objects (see operators/promises.ts). */
function thenable(variable: string): string {
  return `typeof ${variable} === "object" && ${variable} !== null && typeof ${variable}.then === "function"`;
}

/** The source of the body for stages `from..`, reading the item from variable `input`. */
function stageSource(steps: readonly StatelessStep[], from: number, input: string, depth: number): string {
  if (from === steps.length) return `out.push(${input});`;
  const step = steps[from]!;
  const enter = `stage = ${from}; current = ${input};`;
  const next = `v${from}`;
  const rest = (variable: string) => stageSource(steps, from + 1, variable, depth);
  switch (step.op) {
    case "map":
      return `${enter} const ${next} = f${from}(${input}); if (${thenable(next)}) throw promised${from}(${next}); ${rest(next)}`;
    case "filter":
      return `${enter} const k${from} = f${from}(${input}); if (k${from} !== true) { if (k${from} !== false) throw notBoolean${from}(k${from}); continue; } ${rest(input)}`;
    case "inspect":
      return `${enter} const r${from} = f${from}(${input}); if (${thenable(`r${from}`)}) throw promised${from}(r${from}); ${rest(input)}`;
    case "inspect_epoch":
      return `${enter} const r${from} = f${from}(epoch, ${input}); if (${thenable(`r${from}`)}) throw promised${from}(r${from}); ${rest(input)}`;
    case "flat_map": {
      const many = `m${from}`;
      const index = `j${from}`;
      return (
        `${enter} let ${many} = f${from}(${input}); ` +
        `if (!Array.isArray(${many})) { if (${many} == null || typeof ${many}[Symbol.iterator] !== "function") throw notIterable${from}(${many}); ${many} = Array.from(${many}); } ` +
        `for (let ${index} = 0; ${index} < ${many}.length; ${index}++) { const ${next} = ${many}[${index}]; if (${thenable(next)}) { stage = ${from}; current = ${input}; throw promised${from}(${next}); } ${stageSource(steps, from + 1, next, depth + 1)} }`
      );
    }
  }
}

/** The error for a thenable where a map, flat_map or inspector gives a value (shared with the closure pipeline). */
export function promisedIn(step: StatelessStep, value: unknown): EddyTypeError {
  if (step.op === "flat_map") return returnedPromise(step.stepId, step.op, "mapper", value, "an item of its iterable");
  return returnedPromise(step.stepId, step.op, step.op === "map" ? "mapper" : "inspector", value);
}

function functionOf(step: StatelessStep): (...args: never[]) => unknown {
  switch (step.op) {
    case "map":
    case "flat_map":
      return step.mapper;
    case "filter":
      return step.predicate;
    case "inspect":
    case "inspect_epoch":
      return step.inspector;
  }
}

export function compileChain(steps: readonly StatelessStep[]): CompiledChain {
  const names: string[] = [];
  const values: unknown[] = [];
  steps.forEach((step, index) => {
    names.push(`f${index}`);
    values.push(functionOf(step));
    if (step.op === "filter") {
      names.push(`notBoolean${index}`);
      values.push((value: unknown) => notBooleanFilter(step, value));
    } else {
      names.push(`promised${index}`);
      values.push((value: unknown) => promisedIn(step, value));
    }
    if (step.op === "flat_map") {
      names.push(`notIterable${index}`);
      values.push((value: unknown) => notIterable(step, value));
    }
  });
  const body =
    `"use strict";\n` +
    `return function chain(items, out, epoch, failed) {\n` +
    `  let stage = 0, current;\n` +
    `  try {\n` +
    `    for (let i = 0; i < items.length; i++) { const v = items[i]; ${stageSource(steps, 0, "v", 0)} }\n` +
    `  } catch (error) { throw failed(error, stage, current); }\n` +
    `};`;
  return new Function(...names, body)(...values) as CompiledChain;
}
