/**
 * Call tracking (engine/runtime/callTracking.ts), the value both hosts use: a wrapped function
 * counts each call in and out in its thread's slots and records its number; the arguments reach the
 * function as they were passed; an input's iterator and an output's handler count their calls too;
 * the wrapper's parameters are the ones the runner's inspector reads.
 */

import { describe, expect, it } from "vitest";
import { CallTracker, SLOTS_PER_WORKER, WRAPPER_NAME, WRAPPER_PARAMETERS } from "../../engine/runtime/callTracking.js";
import type { AnyFn } from "../../engine/dataflow/steps.js";
import { defaultFunctionCompiler } from "../../engine/flow/compile.js";
import type { FunctionGenerator } from "../../engine/runtime/generatedCode.js";
import vm from "node:vm";

function tracker(threads = 2, thread = 1) {
  const slots = new Int32Array(new SharedArrayBuffer(threads * SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT));
  return { slots, tracker: new CallTracker(slots, thread * SLOTS_PER_WORKER) };
}

describe("call tracking", () => {
  it("counts each call in (odd while inside) and out, in its own slots, and records the function's number", () => {
    const { slots, tracker: calls } = tracker();
    let seenInside: number[] = [];
    const first = calls.wrap((x: number) => x + 1, "inc", "fn");
    const second = calls.wrap((x: number) => {
      seenInside = [slots[2]!, slots[3]!];
      return x * 2;
    }, "double", "fn");
    expect(first(1)).toBe(2);
    expect(second(21)).toBe(42);
    expect(seenInside).toEqual([3, 1]);
    expect([...slots]).toEqual([0, 0, 4, 1]);
    expect(calls.names()).toEqual(["inc/fn", "double/fn"]);
  });

  it("leaves the counter even when the function throws", () => {
    const { slots, tracker: calls } = tracker(1, 0);
    const failing = calls.wrap(() => {
      throw new RangeError("no");
    }, "bad", "fn");
    expect(() => failing()).toThrow(RangeError);
    expect(slots[0]).toBe(2);
  });

  it("passes exactly the arguments it was given (rest parameters and `arguments` see no extra undefined)", () => {
    const { tracker: calls } = tracker();
    const counted = calls.wrap((...args: unknown[]) => args.length, "args", "fn");
    expect([counted(), counted(1), counted(1, undefined), counted(1, 2, 3), counted(1, 2, 3, 4)]).toEqual([0, 1, 2, 3, 4]);
  });

  it("counts every next() of an input's iterator and every call of an output's handler", () => {
    const { slots, tracker: calls } = tracker(1, 0);
    const input = calls.wrap(function* () {
      yield 1;
      yield 2;
    } as AnyFn, "numbers", "input.fn");
    expect([...(input() as Iterable<number>)]).toEqual([1, 2]);
    // The builder call, then three next() calls (1, 2, done): 4 calls, 8 bumps.
    expect(slots[0]).toBe(8);
    const written: unknown[] = [];
    const output = calls.wrap(() => (item: unknown) => void written.push(item), "sink", "output.fn");
    const handler = output() as (item: unknown) => void;
    handler("a");
    expect(written).toEqual(["a"]);
    expect([slots[0], slots[1]]).toEqual([12, 1]);
  });

  it("wraps what a compiler makes, and passes on what is not a function", () => {
    const { slots, tracker: calls } = tracker(1, 0);
    const compile = calls.compiler(defaultFunctionCompiler);
    expect(compile("x => x * 3", { stepId: "triple", field: "fn" })(2)).toBe(6);
    expect(slots[0]).toBe(2);
    const notAFunction = calls.compiler(() => 42 as unknown as AnyFn);
    expect(notAFunction("42", { stepId: "n", field: "fn" })).toBe(42);
    expect(calls.names()).toEqual(["triple/fn"]);
  });

  it("is a function named WRAPPER_NAME whose parameters are WRAPPER_PARAMETERS (what the runner's inspector reads)", () => {
    const { tracker: calls } = tracker();
    const wrapped = calls.wrap((x: unknown) => x, "id", "fn");
    expect(wrapped.name).toBe(WRAPPER_NAME);
    const parameters = /^function\s*[\w$]*\s*\(([^)]*)\)/.exec(wrapped.toString())?.[1]?.split(",").map((name) => name.trim());
    expect(parameters).toEqual([...WRAPPER_PARAMETERS]);
  });

  describe("with a generator (where the host generates code)", () => {
    /** A generator that compiles in a node:vm context of its own (as the runner's does) and counts what it compiled. */
    function realmGenerator() {
      const context = vm.createContext({});
      const compiled: string[] = [];
      const generate: FunctionGenerator = (parameters, body) => {
        compiled.push(body);
        return vm.compileFunction(body, [...parameters], { parsingContext: context }) as AnyFn;
      };
      return { generate, compiled, realmFunction: vm.runInContext("Function", context) as FunctionConstructor };
    }

    it("compiles the wrapper of a function a chain calls in the generator's realm, counting alike; the others stay closures here", () => {
      const { generate, compiled, realmFunction } = realmGenerator();
      const slots = new Int32Array(new SharedArrayBuffer(2 * SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT));
      const calls = new CallTracker(slots, SLOTS_PER_WORKER, generate);
      let seenInside: number[] = [];
      const chained = calls.wrap((x: number) => ((seenInside = [slots[2]!, slots[3]!]), x * 2), "double", "fn", true);
      const notChained = calls.wrap((state: number, x: number) => state + x, "sum", "fn");
      expect(compiled).toHaveLength(1);
      expect(chained).toBeInstanceOf(realmFunction);
      expect(notChained).toBeInstanceOf(Function);
      expect(notChained).not.toBeInstanceOf(realmFunction);
      expect(chained(21)).toBe(42);
      expect(seenInside).toEqual([1, 0]);
      expect(notChained(1, 2)).toBe(3);
      expect([...slots]).toEqual([0, 0, 4, 1]);
      expect(calls.names()).toEqual(["double/fn", "sum/fn"]);
    });

    it("passes exactly the arguments given, leaves the counter even on a throw, and has the name and parameters the inspector reads", () => {
      const { generate } = realmGenerator();
      const slots = new Int32Array(new SharedArrayBuffer(SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT));
      const calls = new CallTracker(slots, 0, generate);
      const counted = calls.wrap((...args: unknown[]) => args.length, "args", "fn", true);
      expect([counted(), counted(1), counted(1, undefined), counted(1, 2, 3), counted(1, 2, 3, 4)]).toEqual([0, 1, 2, 3, 4]);
      const failing = calls.wrap(() => {
        throw new RangeError("no");
      }, "bad", "fn", true);
      const before = slots[0]!;
      expect(() => failing()).toThrow(RangeError);
      expect(slots[0]).toBe(before + 2);
      expect(failing.name).toBe(WRAPPER_NAME);
      const parameters = /^function\s*[\w$]*\s*\(([^)]*)\)/.exec(failing.toString())?.[1]?.split(",").map((name) => name.trim());
      expect(parameters).toEqual([...WRAPPER_PARAMETERS]);
    });

    it("takes inChain from what the compiler is told", () => {
      const { generate, compiled } = realmGenerator();
      const calls = new CallTracker(new Int32Array(new SharedArrayBuffer(8)), 0, generate);
      const compile = calls.compiler(defaultFunctionCompiler);
      expect(compile("x => x + 1", { stepId: "inc", field: "fn", inChain: true })(1)).toBe(2);
      expect(compile("(s, x) => s + x", { stepId: "sum", field: "fn" })(1, 2)).toBe(3);
      expect(compiled).toHaveLength(1);
    });
  });
});
