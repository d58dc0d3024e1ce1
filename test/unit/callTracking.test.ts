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
});
