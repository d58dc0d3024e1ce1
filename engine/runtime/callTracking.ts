/**
 * Call tracking: lets another thread see, from outside, that the thread running a flow is stuck
 * inside one call of a flow function (`x => { while (true) {} }`); a thread blocked in such a call
 * cannot answer messages. Each compiled flow function is wrapped so that every call bumps a counter
 * in a SharedArrayBuffer on the way in and again on the way out (two Int32 stores; no allocation,
 * no clock read), and records which function it is. An odd counter means "inside a call"; a counter
 * that stays odd and unchanged is one call that has not returned (stuckCalls.ts decides).
 *
 * Functions that return what the engine calls later are wrapped through: the iterator an input's
 * `input.fn` returns (its `next` is a call) and the handler an output's `output.fn` returns.
 *
 * Both hosts use it: the runner's worker threads (the main thread watches, and reads the stuck
 * call's arguments with the inspector: parameters WRAPPER_PARAMETERS of the frame named
 * WRAPPER_NAME) and the studio's Web Worker (the page watches). A tracker is a value the host makes
 * per thread; nothing here is module state.
 */

import type { AnyFn } from "../dataflow/steps.js";
import type { FunctionCompiler } from "../flow/compile.js";
import type { FunctionGenerator } from "./generatedCode.js";

/** Int32 slots per tracked thread in the shared buffer: [call counter, number of the function called]. */
export const SLOTS_PER_WORKER = 2;

/** The wrapper's name: how a debugger finds its frame. */
export const WRAPPER_NAME = "eddyTrackedCall";

/** The names of the wrapper's parameters, which hold a call's first four arguments. */
export const WRAPPER_PARAMETERS = ["eddyArg0", "eddyArg1", "eddyArg2", "eddyArg3"] as const;

/**
 * Wraps the flow functions of one thread so that their calls are counted in `slots` from `base` on
 * (SLOTS_PER_WORKER of them), and keeps what each function number stands for.
 *
 * @example
 * const slots = new Int32Array(new SharedArrayBuffer(8));
 * const tracker = new CallTracker(slots, 0);
 * const double = tracker.wrap((x: number) => x * 2, "double", "fn");
 * double(21); // 42; slots[0] is 2 (in and out), slots[1] is 0
 * tracker.names(); // ["double/fn"]
 */
export class CallTracker {
  /** `<step id>/<field>` of each wrapped function, by number. */
  private readonly functionNames: string[] = [];

  /**
   * `generate`: where the host generates code, its generator (Host.generateFunction). The wrapper
   * of a function that a chain calls is then compiled by it, for that one function
   * (generatedWrapper); the others stay closures of this realm, where the engine calls them.
   */
  constructor(
    readonly slots: Int32Array,
    readonly base: number,
    private readonly generate?: FunctionGenerator,
  ) {}

  /**
   * `fn` (compiled for `stepId`/`field`) wrapped so that its calls are counted; the iterable an
   * `input.fn` returns and the handler an `output.fn` returns are counted too. `inChain`: a chain
   * of stateless steps calls `fn` (FunctionCompiler's `where.inChain`).
   *
   * @example
   * const gen = tracker.wrap(function* () { yield 1; }, "numbers", "input.fn"); // each next() is a counted call
   */
  wrap(fn: AnyFn, stepId: string, field: string, inChain = false): AnyFn {
    const { slots, base, generate } = this;
    const number = this.functionNames.length;
    this.functionNames.push(`${stepId}/${field}`);
    const wrapped = inChain && generate !== undefined ? generatedWrapper(generate, fn, slots, base, number) : wrapCall(fn, slots, base, number);
    if (field === "input.fn") return (...args: unknown[]) => trackedIterable(wrapped(...args), slots, base, number);
    if (field === "output.fn") return (...args: unknown[]) => trackedHandler(wrapped(...args), slots, base, number);
    return wrapped;
  }

  /**
   * What each function number stands for (`<step id>/<field>`), for the watching thread.
   *
   * @example
   * tracker.names()[slots[base + 1]]; // "double/fn": the function called last (or still running)
   */
  names(): readonly string[] {
    return this.functionNames;
  }

  /**
   * `compile`, with every function it makes wrapped by this tracker (anything else is passed on
   * unchanged, for the flow compiler to refuse).
   *
   * @example
   * compileFlow(definition, { compileFunction: tracker.compiler(defaultFunctionCompiler) });
   */
  compiler(compile: FunctionCompiler): FunctionCompiler {
    return (source, where) => {
      const fn: unknown = compile(source, where);
      return typeof fn === "function" ? this.wrap(fn as AnyFn, where.stepId, where.field, where.inChain === true) : (fn as AnyFn);
    };
  }
}

/**
 * The wrapper of `fn` compiled for it alone by `generate`, in the realm where the chain that calls
 * it is compiled (Host.generateFunction): V8 never inlines a call from one realm into another, and
 * wrappers made by one closure share the JIT's feedback (the call inside them sees every function
 * of the thread). This one is inlined into the chain, with the flow function inside it. The same
 * body as wrapCall's, as source.
 */
function generatedWrapper(generate: FunctionGenerator, fn: AnyFn, slots: Int32Array, base: number, number: number): AnyFn {
  const [a, b, c, d] = WRAPPER_PARAMETERS;
  const body =
    `"use strict"; return function ${WRAPPER_NAME}(${a}, ${b}, ${c}, ${d}) {\n` +
    `  slots[base] = (slots[base] + 1) | 0;\n` +
    `  slots[base + 1] = number;\n` +
    `  try {\n` +
    `    switch (arguments.length) {\n` +
    `      case 0: return call();\n` +
    `      case 1: return call(${a});\n` +
    `      case 2: return call(${a}, ${b});\n` +
    `      case 3: return call(${a}, ${b}, ${c});\n` +
    `      default: return call(${a}, ${b}, ${c}, ${d});\n` +
    `    }\n` +
    `  } finally {\n` +
    `    slots[base] = (slots[base] + 1) | 0;\n` +
    `  }\n` +
    `};`;
  return generate(["call", "slots", "base", "number"], body)(fn, slots, base, number) as AnyFn;
}

/**
 * The wrapper forwards up to four arguments (the most the engine passes: an input builder's
 * worker, count and resume state) as plain parameters, as many as it was given (`arguments.length`
 * alone does not materialize an arguments object): `fn.apply(this, arguments)` or rest parameters
 * cost 3 to 10 times more per call (measured: about 400 ns and 100 ns against 50 ns). The
 * parameter names are WRAPPER_PARAMETERS, which the runner's inspector reads.
 */
function wrapCall(fn: AnyFn, slots: Int32Array, base: number, number: number): AnyFn {
  const call = fn as (a?: unknown, b?: unknown, c?: unknown, d?: unknown) => unknown;
  const name = {
    [WRAPPER_NAME]: function (eddyArg0: unknown, eddyArg1: unknown, eddyArg2: unknown, eddyArg3: unknown) {
      slots[base] = (slots[base]! + 1) | 0;
      slots[base + 1] = number;
      try {
        // As many arguments as the engine passed, so that rest parameters and `arguments` see what they would untracked.
        switch (arguments.length) {
          case 0:
            return call();
          case 1:
            return call(eddyArg0);
          case 2:
            return call(eddyArg0, eddyArg1);
          case 3:
            return call(eddyArg0, eddyArg1, eddyArg2);
          default:
            return call(eddyArg0, eddyArg1, eddyArg2, eddyArg3);
        }
      } finally {
        slots[base] = (slots[base]! + 1) | 0;
      }
    },
  };
  return name[WRAPPER_NAME] as AnyFn;
}

function trackedHandler(handler: unknown, slots: Int32Array, base: number, number: number): unknown {
  return typeof handler === "function" ? wrapCall(handler as AnyFn, slots, base, number) : handler;
}

/** An input's iterable, whose iterator's `next` (where a generator's body runs) is a tracked call. */
function trackedIterable(source: unknown, slots: Int32Array, base: number, number: number): unknown {
  if (source == null || (typeof source !== "object" && typeof source !== "function")) return source;
  const iterable = source as Record<symbol, unknown>;
  for (const key of [Symbol.asyncIterator, Symbol.iterator]) {
    if (typeof iterable[key] !== "function") continue;
    return {
      [key]: () => {
        const iterator = (iterable[key] as () => Iterator<unknown>).call(source);
        const tracker: Record<string, unknown> = { next: wrapCall(() => iterator.next(), slots, base, number) };
        if (typeof iterator.return === "function") tracker["return"] = wrapCall(() => iterator.return!(), slots, base, number);
        return tracker;
      },
    };
  }
  return source;
}
