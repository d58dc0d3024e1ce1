/**
 * Lets the runner's main thread see, from outside, that a worker thread is stuck inside one call of
 * a flow function (`x => { while (true) {} }`): a thread blocked in such a call cannot answer
 * messages. Each compiled flow function is wrapped so that every call bumps a counter in a
 * SharedArrayBuffer on the way in and again on the way out (two Int32 stores; no allocation, no
 * clock read), and records which function it is. An odd counter means "inside a call"; a counter
 * that stays odd and unchanged is one call that has not returned (see stuckCalls.ts).
 *
 * Functions that return what the engine calls later are wrapped through: the iterator an input's
 * `input.fn` returns (its `next` is a call) and the handler an output's `output.fn` returns.
 *
 * The item a stuck call is working on is read by the main thread with the inspector, evaluating
 * ARGUMENTS_EXPRESSION in the wrapper's frame (see stuckInspector.ts).
 */

import { preview } from "../../engine/host/index.js";
import type { AnyFn } from "../../engine/host/index.js";

/** Int32 slots per worker in the shared buffer: [call counter, number of the function called]. */
export const SLOTS_PER_WORKER = 2;

/** The wrapper's name: how the inspector finds its frame. */
export const WRAPPER_NAME = "eddyTrackedCall";

/** The global (in a runner thread) the inspector calls to preview a stuck call's arguments. */
export const PREVIEW_KEY = "eddy.previewArguments";

interface Tracking {
  readonly slots: Int32Array;
  readonly base: number;
  /** `step:<id>/<field>` of each wrapped function, by number. */
  readonly names: string[];
}

let tracking: Tracking | undefined;

/** Turns tracking on in this thread: `slots` is shared with the main thread, this worker's slots start at `base`. */
export function trackCallsIn(slots: Int32Array, base: number): void {
  tracking = { slots, base, names: [] };
  (globalThis as Record<symbol, unknown>)[Symbol.for(PREVIEW_KEY)] = previewArguments;
}

/** What each function number stands for (`<step id>/<field>`), for the main thread. */
export function trackedFunctionNames(): readonly string[] {
  return tracking?.names ?? [];
}

/** A short rendering of a call's arguments (trailing undefined ones left out): the item alone when there is one, "" for none. */
export function previewArguments(args: readonly unknown[]): string {
  let count = args.length;
  while (count > 0 && args[count - 1] === undefined) count -= 1;
  if (count === 0) return "";
  if (count === 1) return preview(args[0]);
  return `(${args.slice(0, count).map((arg) => preview(arg, 60)).join(", ")})`;
}

/** Wraps `fn` (compiled for `stepId`/`field`) when tracking is on; returns it unchanged otherwise. */
export function tracked(fn: AnyFn, stepId: string, field: string): AnyFn {
  const state = tracking;
  if (state === undefined) return fn;
  const number = state.names.length;
  state.names.push(`${stepId}/${field}`);
  const wrapped = wrapCall(fn, state.slots, state.base, number);
  if (field === "input.fn") return (...args: unknown[]) => trackedIterable(wrapped(...args), state.slots, state.base, number);
  if (field === "output.fn") return (...args: unknown[]) => trackedHandler(wrapped(...args), state.slots, state.base, number);
  return wrapped;
}

/**
 * The wrapper forwards up to four arguments (the most the engine passes: an input builder's
 * worker, count and resume state) as plain parameters, as many as it was given (`arguments.length`
 * alone does not materialize an arguments object): `fn.apply(this, arguments)` or rest parameters
 * cost 3 to 10 times more per call (measured: about 400 ns and 100 ns against 50 ns). The
 * parameter names are the ones the inspector reads (ARGUMENTS_EXPRESSION).
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

/** What the inspector evaluates in a wrapper's frame: the preview of the call's arguments. */
export const ARGUMENTS_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(PREVIEW_KEY)})]([eddyArg0, eddyArg1, eddyArg2, eddyArg3])`;

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
