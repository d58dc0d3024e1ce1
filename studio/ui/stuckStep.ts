/**
 * Naming the step a stuck call is in, for the studio: the page watches the Web Worker's call
 * counters (callWatch.ts, engine/runtime/stuckCalls.ts) and turns a call that has not returned into
 * words a user acts on: the step, its kind, the function field and how long the call has run.
 * Pure: the calls and the step kinds come in as data.
 */

import type { StuckCall } from "../../engine/host/index.js";

/** A call that has not returned, placed in the flow. */
export interface StuckStep {
  readonly stepId: string;
  /** The step's kind ("map", "input", ...), when the flow on screen has the step. */
  readonly op: string | undefined;
  /** The function's field: "fn", "builder", "isComplete", "clock.fn", "input.fn", "output.fn". */
  readonly field: string;
  readonly runningMs: number;
}

/**
 * How long a call must have run when the worker is ended for the hard stop to name it as the cause
 * (a shorter one is a worker busy with many calls, not one stuck in a call).
 */
export const NAMED_AFTER_MS = 1_000;

/**
 * The step of `call`, or undefined when the page does not know the function's name (the worker had
 * not sent the names yet).
 *
 * @example
 * stuckStepOf({ workerIndex: 0, counter: 7, functionName: "slow/fn", runningMs: 3_200 }, () => "map");
 * // { stepId: "slow", op: "map", field: "fn", runningMs: 3_200 }
 */
export function stuckStepOf(call: StuckCall, opOf: (stepId: string) => string | undefined): StuckStep | undefined {
  const name = call.functionName;
  const slash = name === undefined ? -1 : name.indexOf("/");
  if (name === undefined || slash < 0) return undefined;
  const stepId = name.slice(0, slash);
  return { stepId, op: opOf(stepId), field: name.slice(slash + 1), runningMs: call.runningMs };
}

/**
 * Of the calls in progress, the one to name: the longest, if it has run at least `minMs`.
 *
 * @example
 * longestCall([{ workerIndex: 0, counter: 3, functionName: "a/fn", runningMs: 4_000 }]); // that call
 * longestCall([{ workerIndex: 0, counter: 3, functionName: "a/fn", runningMs: 200 }]); // undefined
 */
export function longestCall(calls: readonly StuckCall[], minMs = NAMED_AFTER_MS): StuckCall | undefined {
  let longest: StuckCall | undefined;
  for (const call of calls) if (call.runningMs >= minMs && (longest === undefined || call.runningMs > longest.runningMs)) longest = call;
  return longest;
}

/**
 * The step and function, as the studio names them.
 *
 * @example
 * stepFunctionText({ stepId: "slow", op: "map", field: "fn", runningMs: 0 }); // 'step "slow" (map fn)'
 * stepFunctionText({ stepId: "gen", op: "input", field: "input.fn", runningMs: 0 }); // 'step "gen" (input.fn)'
 */
export function stepFunctionText(step: StuckStep): string {
  const { op, field } = step;
  const what = op === undefined || field.startsWith(`${op}.`) ? field : `${op} ${field}`;
  return `step ${JSON.stringify(step.stepId)} (${what})`;
}

/**
 * Which step, which function, for how long.
 *
 * @example
 * stuckStepText({ stepId: "slow", op: "map", field: "fn", runningMs: 3_240 });
 * // 'step "slow" (map fn) has been in one call for 3.2 s'
 */
export function stuckStepText(step: StuckStep): string {
  return `${stepFunctionText(step)} has been in one call for ${(step.runningMs / 1000).toFixed(1)} s`;
}

/**
 * The warning shown while a call runs on, before anyone stops the run.
 *
 * @example
 * stuckWarning({ stepId: "slow", op: "map", field: "fn", runningMs: 3_000 });
 * // 'step "slow" (map fn) has been in one call for 3.0 s; it may never return (Stop ends it)'
 */
export function stuckWarning(stuck: StuckStep): string {
  return `${stuckStepText(stuck)}; it may never return (Stop ends it)`;
}
