/**
 * Live state of the simulated run, apart from the flow document (so updates never re-render the
 * canvas): status, per-step counts and latest items, the output (capped), the resume epoch and the
 * error. Step nodes subscribe to their own entry only.
 */

import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { OutputLine, SimulationError, SimulationStatus, SimulationUpdate, StepLive } from "../sim/simulatorApi.js";

/** Output lines kept in the page; older ones are dropped (the count says how many in all). */
export const OUTPUT_KEPT = 2000;

export type RunStatus = SimulationStatus | "idle" | "crashed";

/** Whether a run is under way (a worker is running, paused or stopping it). */
export function isActiveStatus(status: RunStatus): boolean {
  return status === "starting" || status === "running" || status === "paused" || status === "stopping";
}

/** `seq` numbers entries in arrival order: a stable key for rendering. */
export type OutputEntry = { kind: "line"; seq: number; value: OutputLine } | { kind: "marker"; seq: number; text: string };

let nextSeq = 0;

export interface LiveState {
  status: RunStatus;
  steps: Record<string, StepLive>;
  output: OutputEntry[];
  outputTotal: number;
  /** While the view is frozen, the run goes on but the output and previews on screen stay as they were. */
  frozen: { steps: Record<string, StepLive>; output: OutputEntry[] } | undefined;
  resumedFrom: number | undefined;
  epoch: number | undefined;
  virtualTime: number | undefined;
  error: SimulationError | undefined;
  /** While a run goes on: the page's warning that one call has run for seconds (callWatch.ts), else undefined. */
  stuck: string | undefined;
}

const initial: LiveState = {
  status: "idle",
  steps: {},
  output: [],
  outputTotal: 0,
  frozen: undefined,
  resumedFrom: undefined,
  epoch: undefined,
  virtualTime: undefined,
  error: undefined,
  stuck: undefined,
};

export const liveStore = createStore<LiveState>(() => ({ ...initial }));

export function useLive<T>(selector: (state: LiveState) => T): T {
  return useStore(liveStore, selector);
}

/** Forgets the previous run (a fresh start). */
export function resetLive(): void {
  liveStore.setState({ ...initial });
}

/**
 * When another flow opens (import, example, New): forgets what the previous flow's last run showed
 * (its error, counts and output), unless a run is still going.
 */
export function forgetRunOfPreviousFlow(): void {
  if (!isActiveStatus(liveStore.getState().status)) resetLive();
}

/** Freezes or unfreezes what the output and step previews show (the run is not affected). */
export function setFrozen(frozen: boolean): void {
  const state = liveStore.getState();
  liveStore.setState({ frozen: frozen ? { steps: state.steps, output: state.output } : undefined });
}

/** What the page shows: the frozen view when frozen, else the live one. */
export function visibleSteps(state: LiveState): Record<string, StepLive> {
  return state.frozen?.steps ?? state.steps;
}

export function visibleOutput(state: LiveState): OutputEntry[] {
  return state.frozen?.output ?? state.output;
}

/** Adds a line such as "crashed" or "resumed from epoch 4" to the output. */
export function addMarker(text: string): void {
  const state = liveStore.getState();
  liveStore.setState({ output: keepLast([...state.output, { kind: "marker", seq: nextSeq++, text }]) });
}

export function applyUpdate(update: SimulationUpdate): void {
  const state = liveStore.getState();
  const next: Partial<LiveState> = {
    status: update.status,
    epoch: update.epoch,
    virtualTime: update.virtualTime,
    outputTotal: state.outputTotal + update.output.length,
  };
  if (update.error !== undefined) next.error = update.error;
  if (update.resumedFrom !== undefined && state.resumedFrom !== update.resumedFrom) {
    next.resumedFrom = update.resumedFrom;
  }
  next.steps = update.steps;
  if (update.output.length > 0) {
    const added: OutputEntry[] = update.output.map((value) => ({ kind: "line", seq: nextSeq++, value }));
    next.output = keepLast(state.output.concat(added));
  }
  liveStore.setState(next);
}

function keepLast(entries: OutputEntry[]): OutputEntry[] {
  return entries.length > OUTPUT_KEPT ? entries.slice(entries.length - OUTPUT_KEPT) : entries;
}
