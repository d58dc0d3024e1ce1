/**
 * Stateless operators, defined once. `STATELESS_OPS` says, per op kind, which function of the step
 * runs, how it is called, and what happens to its return value (its outcome). Each outcome is
 * written here in its two forms, side by side: the source text that a generated chain inlines
 * (runtime/chainCompiler.ts, the fast path) and the closure that runs where code generation is not
 * allowed (runtime/chainClosures.ts). Neither builder knows any op; both only read this table.
 *
 * Both forms follow one protocol. A stage first marks itself and its item as the ones running (for
 * the failure context: `stage`, `current`), calls the function, checks the result, and passes an
 * item on or drops it. A refused value is turned into an error by one of the `STATELESS_ERRORS`,
 * which generated source calls by reference. Neither form allocates per item, except a flat_map
 * whose mapper returns an iterable that is not an array (it is copied into one before any of its
 * items goes on, in both forms).
 */

import type { AnyFn, StatelessStep } from "../dataflow/steps.js";
import type { EddyTypeError } from "../errors.js";
import { isThenable, thenableSource } from "./promises.js";
import type { StatelessError } from "./statelessErrors.js";

/** What a stage does with the return value of its function. */
export type Outcome = "emit" | "keep" | "pass" | "spread";

/** One stateless operator: its function, how that is called, and what its result does. */
export interface StatelessOpDef {
  /** The field of the step that holds the user function; also its name in error messages. */
  readonly fn: "mapper" | "predicate" | "inspector";
  /** The function is called as `fn(epoch, item)` rather than `fn(item)`. */
  readonly withEpoch: boolean;
  /** emit: the result goes on; keep: the item goes on if the result is `true` (it must be a boolean); pass: the item goes on, the result is ignored; spread: every item of the returned iterable goes on. */
  readonly outcome: Outcome;
}

/**
 * Every stateless operator, keyed by op kind. Results that are thenables are refused everywhere
 * (operators/promises.ts).
 *
 * @example
 * STATELESS_OPS.inspect_epoch; // { fn: "inspector", withEpoch: true, outcome: "pass" }
 */
export const STATELESS_OPS: { readonly [K in StatelessStep["op"]]: StatelessOpDef } = {
  map: { fn: "mapper", withEpoch: false, outcome: "emit" },
  flat_map: { fn: "mapper", withEpoch: false, outcome: "spread" },
  filter: { fn: "predicate", withEpoch: false, outcome: "keep" },
  inspect: { fn: "inspector", withEpoch: false, outcome: "pass" },
  inspect_epoch: { fn: "inspector", withEpoch: true, outcome: "pass" },
} satisfies { readonly [K in StatelessStep["op"]]: StatelessOpDef & { readonly fn: keyof Extract<StatelessStep, { op: K }> } };

/**
 * The user function of a stateless step.
 *
 * @example
 * stepFunction({ op: "filter", predicate: (x) => x > 0, stepId: "filter_1", upstream: [0] }); // the predicate
 */
export function stepFunction(step: StatelessStep): AnyFn {
  return (step as unknown as Readonly<Record<string, AnyFn>>)[STATELESS_OPS[step.op].fn]!;
}

/** Which stage runs and on which item (for the failure context), and the epoch of the batch. */
export interface ChainCursor {
  stage: number;
  current: unknown;
  epoch: number;
}

/** What the source of one stage is written over. */
export interface StageSource {
  /** The source of the call of the step's function on the item: `f2(v1)`, or `f2(epoch, v1)`. */
  readonly call: string;
  /** Statements that mark this stage and its item as running: `stage = 2; current = v1;`. */
  readonly enter: string;
  /** The name of a local of this stage: `local("k")` is `k2` (any letter but `f`, `i` and `v` alone). */
  local(letter: string): string;
  /** An expression that builds the named error for the value in `variable`. */
  refuse(error: StatelessError, variable: string): string;
  /** The source of the rest of the chain for the item in `variable`; `continue` drops an item. */
  next(variable: string): string;
  /** The variable holding this stage's item. */
  readonly input: string;
}

/** What the closure of one stage is built from. */
export interface StageClosure {
  /** Calls the step's function on the item (with the cursor's epoch where the op takes it). */
  readonly call: (item: unknown) => unknown;
  readonly cursor: ChainCursor;
  /** This stage's index in the chain. */
  readonly stage: number;
  refuse(error: StatelessError, value: unknown): EddyTypeError;
  /** The rest of the chain; returning instead of calling it drops an item. */
  readonly next: (item: unknown) => void;
}

/**
 * The source of a stage's call: `fn(item)`, or `fn(epoch, item)` with the batch's `epoch`.
 *
 * @example
 * callSource(STATELESS_OPS.inspect_epoch, "f3", "v2"); // "f3(epoch, v2)"
 */
export function callSource(def: StatelessOpDef, fn: string, input: string): string {
  return def.withEpoch ? `${fn}(epoch, ${input})` : `${fn}(${input})`;
}

/**
 * A stage's call as a function of the item: `fn` itself, or `fn(cursor.epoch, item)`.
 *
 * @example
 * const call = callClosure(STATELESS_OPS.map, (x: number) => x + 1, cursor); // call(1) === 2
 */
export function callClosure(def: StatelessOpDef, fn: AnyFn, cursor: ChainCursor): (item: unknown) => unknown {
  return def.withEpoch ? (item) => fn(cursor.epoch, item) : fn;
}

/** An outcome in its two forms, which must behave the same (test/operators/statelessAgreement.test.ts). */
interface OutcomeForms {
  readonly source: (s: StageSource) => string;
  readonly closure: (c: StageClosure) => (item: unknown) => void;
}

/**
 * Every outcome, as generated source and as a closure.
 *
 * @example
 * const stage = OUTCOMES.emit.closure({ call: (x) => x, cursor, stage: 0, refuse, next: (x) => out.push(x) });
 */
export const OUTCOMES: { readonly [K in Outcome]: OutcomeForms } = {
  emit: {
    source: (s) => {
      const value = s.local("v");
      return `${s.enter} const ${value} = ${s.call}; if (${thenableSource(value)}) throw ${s.refuse("returnedPromise", value)}; ${s.next(value)}`;
    },
    closure: ({ call, cursor, stage, refuse, next }) => (item) => {
      cursor.stage = stage;
      cursor.current = item;
      const value = call(item);
      if (isThenable(value)) throw refuse("returnedPromise", value);
      next(value);
    },
  },

  keep: {
    source: (s) => {
      const keep = s.local("k");
      return `${s.enter} const ${keep} = ${s.call}; if (${keep} !== true) { if (${keep} !== false) throw ${s.refuse("notBoolean", keep)}; continue; } ${s.next(s.input)}`;
    },
    closure: ({ call, cursor, stage, refuse, next }) => (item) => {
      cursor.stage = stage;
      cursor.current = item;
      const keep = call(item);
      if (keep !== true) {
        if (keep !== false) throw refuse("notBoolean", keep);
        return;
      }
      next(item);
    },
  },

  pass: {
    source: (s) => {
      const returned = s.local("r");
      return `${s.enter} const ${returned} = ${s.call}; if (${thenableSource(returned)}) throw ${s.refuse("returnedPromise", returned)}; ${s.next(s.input)}`;
    },
    closure: ({ call, cursor, stage, refuse, next }) => (item) => {
      cursor.stage = stage;
      cursor.current = item;
      const returned = call(item);
      if (isThenable(returned)) throw refuse("returnedPromise", returned);
      next(item);
    },
  },

  // An item of the iterable that is a thenable is reported with the flat_map's own item, after the
  // items before it went on (so `enter` again: a later stage may be the one marked).
  spread: {
    source: (s) => {
      const [many, index, one] = [s.local("m"), s.local("j"), s.local("v")];
      return (
        `${s.enter} let ${many} = ${s.call}; ` +
        `if (!Array.isArray(${many})) { if (${many} == null || typeof ${many}[Symbol.iterator] !== "function") throw ${s.refuse("notIterable", many)}; ${many} = Array.from(${many}); } ` +
        `for (let ${index} = 0; ${index} < ${many}.length; ${index}++) { const ${one} = ${many}[${index}]; ` +
        `if (${thenableSource(one)}) { ${s.enter} throw ${s.refuse("yieldedPromise", one)}; } ${s.next(one)} }`
      );
    },
    closure: ({ call, cursor, stage, refuse, next }) => (item) => {
      cursor.stage = stage;
      cursor.current = item;
      const returned = call(item);
      let many: readonly unknown[];
      if (Array.isArray(returned)) many = returned;
      else {
        if (returned == null || typeof (returned as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") throw refuse("notIterable", returned);
        many = Array.from(returned as Iterable<unknown>);
      }
      for (let index = 0; index < many.length; index++) {
        const one = many[index];
        if (isThenable(one)) {
          cursor.stage = stage;
          cursor.current = item;
          throw refuse("yieldedPromise", one);
        }
        next(one);
      }
    },
  },
};
