/**
 * The page's watch on the calls of the simulation's Web Worker. A cross-origin isolated page (served
 * with COOP and COEP headers, as `npm start` and `vite preview` do) can share memory with its
 * worker: each run gets a SharedArrayBuffer of call counters, which the worker's function compiler
 * bumps around every flow function call (engine/runtime/callTracking.ts). The page samples them
 * every SAMPLE_MS, tells the run when one call has run STUCK_MS (the worker itself cannot say: it is
 * blocked in that call), and, at a hard stop, which step to name. A page that is not isolated has
 * no SharedArrayBuffer: no watch, and the hard stop keeps its generic marker.
 */

import { SLOTS_PER_WORKER } from "../../engine/host/index.js";
import { CallWatch, SAMPLE_MS, STUCK_MS } from "../../engine/host/index.js";
import { longestCall, stuckStepOf, type StuckStep } from "./stuckStep.js";

/** One run's watch. */
export interface RunCallWatch {
  /** The counters to hand to the worker with the run's settings (`SimulationSettings.calls`). */
  readonly calls: SharedArrayBuffer;
  /** What each function number stands for, from the worker's first update (`SimulationUpdate.functions`). */
  setFunctionNames(names: readonly string[]): void;
  /** The step to name now: the call in progress, if it has run at least NAMED_AFTER_MS and its function is known. */
  stuckNow(): StuckStep | undefined;
  /** Stops sampling (the run ended, crashed or was ended). */
  stop(): void;
}

/** What the watch needs from the page; injected in tests. */
export interface CallWatchEnvironment {
  /** Whether the page may share memory with its worker (`crossOriginIsolated`). */
  readonly isolated: boolean;
  readonly now: () => number;
  readonly setInterval: (callback: () => void, ms: number) => unknown;
  readonly clearInterval: (handle: unknown) => void;
}

/** The page's own environment. */
export function pageEnvironment(): CallWatchEnvironment {
  return {
    isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    now: () => performance.now(),
    setInterval: (callback, ms) => setInterval(callback, ms),
    clearInterval: (handle) => clearInterval(handle as Parameters<typeof clearInterval>[0]),
  };
}

/**
 * Starts watching a run's calls; undefined when the page is not cross-origin isolated. `onStuck` is
 * called at every sample with the step a call has been in for STUCK_MS or more, or undefined.
 *
 * @example
 * const watch = watchRunCalls((id) => opOfStep.get(id), (stuck) => showWarning(stuck));
 * const settings = { ...runSettings, ...(watch && { calls: watch.calls }) };
 * // later, at a hard stop: hardStopMarker(watch?.stuckNow())
 */
export function watchRunCalls(
  opOf: (stepId: string) => string | undefined,
  onStuck: (stuck: StuckStep | undefined) => void,
  env: CallWatchEnvironment = pageEnvironment(),
): RunCallWatch | undefined {
  if (!env.isolated) return undefined;
  // All the run's engine workers share the one Web Worker thread: one counter.
  const calls = new SharedArrayBuffer(SLOTS_PER_WORKER * Int32Array.BYTES_PER_ELEMENT);
  const names: (readonly string[] | undefined)[] = [undefined];
  const watch = new CallWatch(new Int32Array(calls), 1, names, STUCK_MS);
  const named = (call: ReturnType<typeof longestCall>) => (call === undefined ? undefined : stuckStepOf(call, opOf));
  const timer = env.setInterval(() => onStuck(named(longestCall(watch.sample(env.now()), STUCK_MS))), SAMPLE_MS);
  return {
    calls,
    setFunctionNames(list) {
      names[0] = list;
    },
    stuckNow: () => named(longestCall(watch.sample(env.now(), 0))),
    stop: () => env.clearInterval(timer),
  };
}
