/**
 * `reduce`: per key, the first value is the accumulator and later values are combined with
 * `reducer`; `isComplete` runs after every value, and a complete accumulator is emitted and
 * forgotten. Incomplete accumulators are dropped at end of input, as in Bytewax.
 */

import type { ReduceStep } from "../dataflow/steps.js";
import { assertKeyed, notBoolean } from "./keyed.js";
import { isThenable, returnedPromise } from "./promises.js";
import type { LogicContext } from "./keyedLogic.js";
import { SlotLogic } from "./keyedState.js";

export class ReduceLogic extends SlotLogic {
  constructor(
    private readonly step: ReduceStep,
    ctx: LogicContext,
  ) {
    super(ctx);
  }

  onItems(items: readonly unknown[], _now: number, out: unknown[]): void {
    const { reducer, isComplete, stepId } = this.step;
    const { checkKeys } = this.ctx;
    const accumulators = this.slots;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "reduce");
        const key = (item as [string, unknown])[0];
        const value = (item as [string, unknown])[1];
        let slot = accumulators.get(key);
        if (slot === undefined) slot = accumulators.create(key, value);
        else {
          const reduced: unknown = reducer(slot.value, value);
          if (typeof reduced === "object" && reduced !== null && typeof (reduced as { then?: unknown }).then === "function") throw returnedPromise(stepId, "reduce", "reducer", reduced);
          slot.value = reduced;
        }
        accumulators.touch(slot);
        const complete: unknown = isComplete(slot.value);
        if (complete === true) {
          accumulators.forget(slot);
          out.push([key, slot.value]);
        } else if (complete !== false) {
          throw isThenable(complete) ? returnedPromise(stepId, "reduce", "isComplete", complete) : notBoolean(stepId, "reduce", "isComplete", "reduce", complete);
        }
      }
    } catch (error) {
      throw this.ctx.failedOn(error, item);
    }
  }
}
