/**
 * The accumulators of the window steps: how each kind starts, grows, merges (sessions bridged by an
 * item) and reports a window's value. A thenable returned by a user function is refused
 * (operators/promises.ts).
 *
 * - `reduce_window`: the first value, then `reducer(acc, value)`; merged with `reducer(earlier, later)`.
 * - `fold_window`: `folder(builder(), value)`, then `folder(acc, value)`; merged with `merger(earlier, later)`.
 * - `collect_window`: the values, emitted as an array in clock-time order (ties in arrival order), as
 *   Bytewax 0.14's `collect_window` does; merged by concatenation.
 * - `count_window`: how many values; merged by adding.
 */

import type { WindowStep } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";
import { returnedPromise } from "../operators/promises.js";
import type { WindowAccumulator } from "./windower.js";

/**
 * The accumulator of a window step.
 *
 * @example
 * const acc = accumulatorOf(step);            // a collect_window step
 * acc.result(acc.next(acc.first("b", 2), "a", 1)); // ["a", "b"]
 */
export function accumulatorOf(step: WindowStep): WindowAccumulator {
  const { stepId, op } = step;
  const checked = (fnName: string, value: unknown): unknown => {
    if (typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function") throw returnedPromise(stepId, op, fnName, value);
    return value;
  };
  switch (step.op) {
    case "reduce_window": {
      const reducer = step.reducer;
      return {
        first: (value) => value,
        next: (acc, value) => checked("reducer", reducer(acc, value)),
        merge: (into, from) => checked("reducer", reducer(into, from)),
        result: (acc) => acc,
      };
    }
    case "fold_window": {
      const { builder, folder, merger } = step;
      return {
        first: (value) => checked("folder", folder(checked("builder", builder()), value)),
        next: (acc, value) => checked("folder", folder(acc, value)),
        merge(into, from) {
          // Dataflow.foldWindow and flow validation ask for a merger wherever windows can merge.
          if (merger === undefined) throw new EddyError("FLOW_NOT_CALLABLE", `Step "${stepId}" (fold_window): two windows merged, and the step has no \`merger\``);
          return checked("merger", merger(into, from));
        },
        result: (acc) => acc,
      };
    }
    case "collect_window":
      return collectAccumulator;
    case "count_window":
      return countAccumulator;
  }
}

/** Collected values as one flat array, `[time, value, time, value, ...]` (one array per window). */
const collectAccumulator: WindowAccumulator = {
  first: (value, time) => [time, value],
  next(acc, value, time) {
    (acc as unknown[]).push(time, value);
    return acc;
  },
  merge(into, from) {
    const target = into as unknown[];
    const source = from as unknown[];
    for (let i = 0; i < source.length; i++) target.push(source[i]);
    return target;
  },
  result: (acc) => valuesInTimeOrder(acc as readonly unknown[]),
};

const countAccumulator: WindowAccumulator = {
  first: () => 1,
  next: (acc) => (acc as number) + 1,
  merge: (into, from) => (into as number) + (from as number),
  result: (acc) => acc,
};

/** The values of a flat `[time, value, ...]` array, ordered by time, ties in the order they came. */
function valuesInTimeOrder(pairs: readonly unknown[]): unknown[] {
  const count = pairs.length / 2;
  let ordered = true;
  for (let i = 2; i < pairs.length && ordered; i += 2) ordered = (pairs[i - 2] as number) <= (pairs[i] as number);
  if (ordered) {
    const values = new Array<unknown>(count);
    for (let i = 0; i < count; i++) values[i] = pairs[2 * i + 1];
    return values;
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => (pairs[2 * a] as number) - (pairs[2 * b] as number) || a - b);
  return order.map((i) => pairs[2 * i + 1]);
}
