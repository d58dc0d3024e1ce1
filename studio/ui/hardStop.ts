/**
 * Stop, then hard stop: the studio's Stop asks the simulation to end at an epoch boundary; a
 * function that never returns (`x => { while (true) {} }`) blocks the Web Worker, so that boundary
 * never comes and the worker cannot even answer. If the run is still stopping HARD_STOP_MS after
 * Stop, the worker is terminated (as Crash does) and the run ends as "stopped" with a marker saying
 * why: naming the step when the page could watch the worker's calls (a cross-origin isolated page,
 * callWatch.ts) and one call had run for a while, else the likely cause. The timer is injected, so
 * the decision is tested without waiting.
 */

import { stuckStepText, type StuckStep } from "./stuckStep.js";

/** How long Stop waits for an epoch boundary before it terminates the worker. */
export const HARD_STOP_MS = 3_000;

export interface HardStopDeps {
  /** Whether the run asked to stop is still stopping (the same run, not ended). */
  readonly stillStopping: () => boolean;
  /** Ends the worker and marks the run as hard-stopped. */
  readonly hardStop: () => void;
  readonly setTimer: (callback: () => void, ms: number) => unknown;
}

/** Arms the hard stop after a Stop; returns nothing to cancel: a run that ended is left alone. */
export function armHardStop(deps: HardStopDeps, ms = HARD_STOP_MS): void {
  deps.setTimer(() => {
    if (deps.stillStopping()) deps.hardStop();
  }, ms);
}

/**
 * The marker of a hard stop: the step stuck in a call and for how long, when known; else what
 * happened and the likely cause.
 *
 * @example
 * hardStopMarker({ stepId: "slow", op: "map", field: "fn", runningMs: 3_240 });
 * // 'stopped hard: step "slow" (map fn) has been in one call for 3.2 s (an endless loop?); the worker was ended'
 * hardStopMarker(undefined);
 * // 'stopped hard: no epoch boundary within 3 s of Stop; a step is stuck in a call that does not return (an endless loop?), so the worker was ended'
 */
export function hardStopMarker(stuck: StuckStep | undefined, ms = HARD_STOP_MS): string {
  if (stuck !== undefined) return `stopped hard: ${stuckStepText(stuck)} (an endless loop?); the worker was ended`;
  return `stopped hard: no epoch boundary within ${ms / 1000} s of Stop; a step is stuck in a call that does not return (an endless loop?), so the worker was ended`;
}
