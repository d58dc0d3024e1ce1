/**
 * The two forms of a stateless chain, generated code (runtime/chainCompiler.ts) and closures
 * (runtime/chainClosures.ts), agree for every stateless op and every kind of return value or throw
 * of its function: the same items out, the same calls of user functions (and reads of `then`), and
 * the same failure (the very thrown value, or a refusal with the same class, code and message),
 * attributed to the same stage and item. Each op runs alone, before a step, and between two steps;
 * a second batch after each shows that a failure leaves nothing behind.
 */

import { describe, expect, it } from "vitest";
import type { AnyFn, StatelessStep } from "../../engine/dataflow/steps.js";
import { EddyTypeError } from "../../engine/errors.js";
import { STATELESS_OPS } from "../../engine/operators/statelessOps.js";
import { closureChain } from "../../engine/runtime/chainClosures.js";
import { compileChain, type CompiledChain } from "../../engine/runtime/chainCompiler.js";

type Op = StatelessStep["op"];

/** The item on which the op under test does what a behaviour says (it behaves normally on others). */
const TRIGGER = 2;

const THROWN = { error: new Error("boom"), object: { reason: "plain object" }, getter: new Error("then getter") };

/** What the op's function does on the trigger item: return `value()`, or throw (`throws`). */
interface Behaviour {
  readonly name: string;
  readonly value: (seen: unknown[]) => unknown;
  /** The value thrown, when the function throws it itself (checked by identity). */
  readonly throws?: unknown;
  /** Every op refuses the returned value as a thenable. */
  readonly thenable?: true;
}

function throwing(name: string, thrown: unknown): Behaviour {
  return {
    name,
    throws: thrown,
    value: () => {
      throw thrown;
    },
  };
}

function returning(name: string, value: (seen: unknown[]) => unknown, thenable?: true): Behaviour {
  return thenable ? { name, value, thenable } : { name, value };
}

const BEHAVIOURS: readonly Behaviour[] = [
  throwing("throws an Error", THROWN.error),
  throwing("throws a string", "boom"),
  throwing("throws undefined", undefined),
  throwing("throws null", null),
  throwing("throws 0", 0),
  throwing("throws a plain object", THROWN.object),
  throwing("throws a Promise", Promise.resolve("thrown")),
  returning("returns a resolved Promise", () => Promise.resolve(7), true),
  returning("returns a rejected Promise", () => Promise.reject(new Error("later")), true),
  returning("returns an async function's Promise", () => (async () => 1)(), true),
  returning("returns a thenable object", () => ({ then: () => {} }), true),
  returning("returns a function with `then` (not a thenable)", () => Object.assign(() => 1, { then: () => {} })),
  returning("returns an object whose `then` is not callable", () => ({ then: 1 })),
  returning("returns an object whose `then` getter throws", (seen) => ({
    get then() {
      seen.push("read then");
      throw THROWN.getter;
    },
  })),
  returning("returns undefined", () => undefined),
  returning("returns null", () => null),
  returning("returns a number", () => 42),
  returning("returns a string", () => "ab"),
  returning("returns true", () => true),
  returning("returns false", () => false),
  returning("returns a Boolean object", () => new Boolean(true)),
  returning("returns an empty object", () => ({})),
  returning("returns an empty array", () => []),
  returning("returns an array with a Promise second", () => [1, Promise.resolve(2), 3]),
  returning("returns an array with a thenable first", () => [{ then: () => {} }]),
  returning("returns a Set", () => new Set([1, 2])),
  returning("returns a generator", () => (function* () {
    yield 1;
    yield 2;
  })()),
  returning("returns a generator that throws after an item", () => (function* () {
    yield 1;
    throw THROWN.error;
  })()),
  returning("returns a generator that yields a Promise", () => (function* () {
    yield 1;
    yield Promise.resolve(2);
  })()),
  returning("returns an iterable whose iterator throws", () => ({
    [Symbol.iterator]() {
      throw THROWN.object;
    },
  })),
  returning("returns an object whose Symbol.iterator is not callable", () => ({ [Symbol.iterator]: 1 })),
];

/** What each op does with an item other than the trigger. */
const NORMAL: { readonly [K in Op]: (x: number) => unknown } = {
  map: (x) => x * 2,
  flat_map: (x) => [x, -x],
  filter: (x) => x !== 3,
  inspect: () => undefined,
  inspect_epoch: () => undefined,
};

function step(op: Op, index: number, fn: AnyFn): StatelessStep {
  return { op, stepId: `${op}_${index + 1}`, upstream: [index], [STATELESS_OPS[op].fn]: fn } as unknown as StatelessStep;
}

/** The op under test in a chain: `at` is its index; the other steps record what reaches them. */
const PLACES: { readonly [name: string]: (tested: AnyFn, op: Op, seen: unknown[]) => { steps: StatelessStep[]; at: number } } = {
  alone: (tested, op) => ({ steps: [step(op, 0, tested)], at: 0 }),
  "before an inspect_epoch": (tested, op, seen) => ({
    steps: [step(op, 0, tested), step("inspect_epoch", 1, (epoch: number, x: unknown) => void seen.push(["after", epoch, x]))],
    at: 0,
  }),
  "between a flat_map and a map": (tested, op, seen) => ({
    steps: [step("flat_map", 0, (x: number) => [x, x * 10]), step(op, 1, tested), step("map", 2, (x: unknown) => (seen.push(["after", x]), x))],
    at: 1,
  }),
};

interface Failure {
  readonly error: unknown;
  readonly stage: number;
  readonly item: unknown;
}

interface Run {
  readonly seen: unknown[];
  readonly batches: { out: unknown[]; failure?: Failure }[];
  readonly at: number;
}

/** Runs two batches (the trigger is in the first) through the chain that `form` builds. */
function run(form: (steps: readonly StatelessStep[]) => CompiledChain, op: Op, behaviour: Behaviour, place: string): Run {
  const seen: unknown[] = [];
  const tested = (...args: unknown[]): unknown => {
    seen.push([op, ...args]);
    const x = args[args.length - 1] as number;
    return x === TRIGGER ? behaviour.value(seen) : NORMAL[op](x);
  };
  const { steps, at } = PLACES[place]!(tested, op, seen);
  const chain = form(steps);
  const batches = ([[[1, TRIGGER, 3], 4], [[5, 6], 7]] as const).map(([items, epoch]) => {
    const out: unknown[] = [];
    try {
      chain(items, out, epoch, (error, stage, item): Failure => ({ error, stage, item }));
      return { out };
    } catch (failure) {
      return { out, failure: failure as Failure };
    }
  });
  return { seen, batches, at };
}

/**
 * A value as far as it can be compared across the two runs without running user code: each run
 * makes its own objects, and equality would iterate generators or read a throwing `then`.
 */
function shape(value: unknown): unknown {
  if (typeof value === "function") return "function";
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(shape);
  const keys = [...Object.getOwnPropertyNames(value), ...Object.getOwnPropertySymbols(value).map(String)];
  return `${Object.prototype.toString.call(value)} {${keys.join(", ")}}`;
}

function expectSameFailure(fromCode: Failure | undefined, fromClosures: Failure | undefined): void {
  expect(fromCode === undefined).toBe(fromClosures === undefined);
  if (fromCode === undefined || fromClosures === undefined) return;
  expect(fromCode.stage).toBe(fromClosures.stage);
  expect(shape(fromCode.item)).toEqual(shape(fromClosures.item));
  if (fromClosures.error instanceof EddyTypeError) {
    expect(fromCode.error).toBeInstanceOf(EddyTypeError);
    const { name, code, stepId, message } = fromCode.error as EddyTypeError;
    expect({ name, code, stepId, message }).toEqual({ name: fromClosures.error.name, code: fromClosures.error.code, stepId: fromClosures.error.stepId, message: fromClosures.error.message });
  } else {
    expect(Object.is(fromCode.error, fromClosures.error)).toBe(true);
  }
}

describe("generated and closure chains agree", () => {
  for (const op of Object.keys(STATELESS_OPS) as Op[]) {
    for (const behaviour of BEHAVIOURS) {
      it(`${op}: ${behaviour.name}`, () => {
        for (const place of Object.keys(PLACES)) {
          const fromCode = run(compileChain, op, behaviour, place);
          const fromClosures = run(closureChain, op, behaviour, place);
          expect(shape(fromCode.seen), place).toEqual(shape(fromClosures.seen));
          fromCode.batches.forEach((batch, index) => {
            expect(shape(batch.out), place).toEqual(shape(fromClosures.batches[index]!.out));
            expectSameFailure(batch.failure, fromClosures.batches[index]!.failure);
          });
          // Not only the same: right where it matters. A throw passes through as itself, from the
          // op's own stage; a thenable is refused by every op; the second batch always runs clean.
          const failure = fromClosures.batches[0]!.failure;
          if ("throws" in behaviour) {
            expect(failure?.stage).toBe(fromClosures.at);
            expect(Object.is(failure?.error, behaviour.throws)).toBe(true);
            expect(failure?.item).toBe(TRIGGER);
          }
          if (behaviour.thenable) expect((failure?.error as EddyTypeError | undefined)?.code).toBe("STEP_RETURNED_PROMISE");
          expect(fromClosures.batches[1]!.failure).toBeUndefined();
        }
      });
    }
  }
});
