/**
 * Helpers for the simulator tests: run a flow through `Simulator` (no Web Worker) and collect
 * every update, and small flow definitions.
 */

import { Simulator } from "../../../studio/sim/simulator.js";
import type { OutputLine, SimulationSettings, SimulationStatus, SimulationUpdate } from "../../../studio/sim/simulatorApi.js";

export interface Collected {
  status: SimulationStatus;
  updates: SimulationUpdate[];
  output: OutputLine[];
  last: SimulationUpdate;
}

export const INSTANT: SimulationSettings = { workers: 1, clock: { kind: "virtual", speed: Infinity }, recovery: false, dbName: "unused" };

/** Starts `flow` on `simulator`; `done` resolves with every update and the output of all of them. */
export function start(simulator: Simulator, flow: unknown, settings: Partial<SimulationSettings> = {}): { done: Promise<Collected>; updates: SimulationUpdate[] } {
  const updates: SimulationUpdate[] = [];
  const done = simulator.run(flow, { ...INSTANT, ...settings }, (update) => void updates.push(update)).then((status) => ({
    status,
    updates,
    output: updates.flatMap((update) => update.output),
    last: updates[updates.length - 1]!,
  }));
  return { done, updates };
}

export function simulate(flow: unknown, settings: Partial<SimulationSettings> = {}): Promise<Collected> {
  return start(new Simulator(), flow, settings).done;
}

type Step = Record<string, unknown>;

export function flowOf(steps: Step[], execution?: Record<string, unknown>): Record<string, unknown> {
  return { format: "eddy.flow", version: 1, name: "test", steps, ...(execution && { execution }) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check()` is true, polling every 5 ms (fails after `timeoutMs`). */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting for a condition");
    await sleep(5);
  }
}
