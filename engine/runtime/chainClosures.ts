/**
 * A chain of fused stateless steps as a push pipeline of closures: the form that runs where code
 * generation is not allowed (see chainCompiler.ts). Each stage is the closure form of its op's
 * outcome in operators/statelessOps.ts, so it does what the generated loop does, with the same
 * errors and the same attribution (one cursor holds the running stage and its item).
 */

import type { StatelessStep } from "../dataflow/steps.js";
import { STATELESS_ERRORS, type StatelessError } from "../operators/statelessErrors.js";
import { OUTCOMES, STATELESS_OPS, callClosure, stepFunction, type ChainCursor } from "../operators/statelessOps.js";
import type { CompiledChain } from "./chainCompiler.js";

/**
 * The chain as closures, with the signature of a generated chain.
 *
 * @example
 * const chain = closureChain(steps);
 * chain(items, out, epoch, (error, stage, item) => error);
 */
export function closureChain(steps: readonly StatelessStep[]): CompiledChain {
  const cursor: ChainCursor & { out: unknown[] } = { stage: 0, current: undefined, epoch: 0, out: [] };
  let next = (item: unknown): void => {
    cursor.out.push(item);
  };
  for (let stage = steps.length - 1; stage >= 0; stage--) {
    const step = steps[stage]!;
    const def = STATELESS_OPS[step.op];
    next = OUTCOMES[def.outcome].closure({
      call: callClosure(def, stepFunction(step), cursor),
      cursor,
      stage,
      refuse: (error: StatelessError, value) => STATELESS_ERRORS[error](step, value),
      next,
    });
  }
  const head = next;
  return (items, out, epoch, failed) => {
    cursor.out = out;
    cursor.epoch = epoch;
    cursor.stage = 0;
    cursor.current = undefined;
    try {
      for (let i = 0; i < items.length; i++) head(items[i]);
    } catch (error) {
      throw failed(error, cursor.stage, cursor.current);
    }
  };
}
