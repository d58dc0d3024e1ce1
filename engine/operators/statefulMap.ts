/**
 * `statefulMap`: per key, `mapper(state, value)` returns `[updatedState, out]` and `[key, out]` is
 * emitted for every value. A missing state is built with `builder()` (no arguments, as in Bytewax
 * 0.11); an updated state of null or undefined forgets the key.
 */

import type { StatefulMapStep } from "../dataflow/steps.js";
import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { assertKeyed } from "./keyed.js";
import { RETURN_RULES } from "../dataflow/returnRules.js";
import { isThenable, returnedPromise } from "./promises.js";
import type { LogicContext } from "./keyedLogic.js";
import { SlotLogic } from "./keyedState.js";

export class StatefulMapLogic extends SlotLogic {
  constructor(
    private readonly step: StatefulMapStep,
    ctx: LogicContext,
  ) {
    super(ctx);
  }

  onItems(items: readonly unknown[], _now: number, out: unknown[]): void {
    const { builder, mapper, stepId } = this.step;
    const { checkKeys } = this.ctx;
    const states = this.slots;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "stateful_map");
        const key = (item as [string, unknown])[0];
        let slot = states.get(key);
        const result: unknown = mapper(slot === undefined ? built(stepId, builder()) : slot.value, (item as [string, unknown])[1]);
        if (!Array.isArray(result) || result.length !== 2) throw notAPair(stepId, result);
        const updated: unknown = result[0];
        const emitted: unknown = result[1];
        if (typeof updated === "object" && updated !== null && typeof (updated as { then?: unknown }).then === "function") throw returnedPromise(stepId, "stateful_map", "mapper", updated, "the updated state");
        if (typeof emitted === "object" && emitted !== null && typeof (emitted as { then?: unknown }).then === "function") throw returnedPromise(stepId, "stateful_map", "mapper", emitted, "the value");
        if (updated == null) {
          if (slot !== undefined) states.forget(slot);
        } else {
          if (slot === undefined) slot = states.create(key, updated);
          else slot.value = updated;
          states.touch(slot);
        }
        out.push([key, emitted]);
      }
    } catch (error) {
      throw this.ctx.failedOn(error, item);
    }
  }
}

/** The state `builder` returned, unless it is a thenable. */
function built(stepId: string, state: unknown): unknown {
  if (isThenable(state)) throw returnedPromise(stepId, "stateful_map", "builder", state);
  return state;
}

function notAPair(stepId: string, value: unknown): EddyTypeError {
  if (isThenable(value)) return returnedPromise(stepId, "stateful_map", "mapper", value);
  return new EddyTypeError(
    "STEP_NOT_PAIR",
    stepId,
    `Step "${stepId}" (stateful_map): return value of \`mapper\` in stateful map operator ${RETURN_RULES.statePair}; got \`${preview(value)}\` instead`,
  );
}
