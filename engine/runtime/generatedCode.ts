/**
 * Generated code: functions the engine writes as source at run time (a chain's loop, a call
 * tracker's wrapper) and compiles with a host's FunctionGenerator, where the host allows code
 * generation (Host.codeGeneration). The runner's generator compiles in the realm of the flow's
 * functions (its node:vm context), because V8 never inlines a call from one realm into another: a
 * chain compiled beside the functions it calls runs them inline. Generated source reads no
 * globals (what it needs is passed as parameters), so it runs the same in any realm.
 */

import type { AnyFn } from "../dataflow/steps.js";

/**
 * Compiles `body` as the body of a function of `parameters` (what `new Function(...parameters, body)` does).
 *
 * @example
 * const generate: FunctionGenerator = defaultFunctionGenerator;
 * generate(["a", "b"], "return a + b;")(1, 2); // 3
 */
export type FunctionGenerator = (parameters: readonly string[], body: string) => AnyFn;

/**
 * The generator of this realm: `new Function`. It throws where a Content-Security-Policy forbids code generation.
 *
 * @example
 * defaultFunctionGenerator(["x"], '"use strict"; return x * 2;')(21); // 42
 */
export const defaultFunctionGenerator: FunctionGenerator = (parameters, body) => new Function(...parameters, body) as AnyFn;
