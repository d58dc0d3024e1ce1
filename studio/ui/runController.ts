/**
 * Runs of the on-screen draft: starts the simulator (the engine in a Web Worker), forwards its
 * updates to the live store, and implements pause, stop, crash (terminate the worker) and resume
 * (a new worker that resumes from the snapshots in IndexedDB). Always runs what is on screen, with
 * its unconnected and half-configured steps skipped (state/runPlan.ts).
 *
 * On a cross-origin isolated page each run is watched (callWatch.ts): a call that runs for seconds
 * shows as a warning, and a hard stop names the step it was stuck in.
 */

import { proxy } from "comlink";
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { FlowDefinition } from "../../engine/host/index.js";
import { runPlan } from "../state/runPlan.js";
import type { ClockChoice, SimulationSettings } from "../sim/simulatorApi.js";
import { createSimulator, type SimulatorClient } from "../sim/client.js";
import { watchRunCalls, type RunCallWatch } from "./callWatch.js";
import { armHardStop, hardStopMarker } from "./hardStop.js";
import { stuckWarning } from "./stuckStep.js";
import { addMarker, applyUpdate, isActiveStatus, liveStore, resetLive } from "./live.js";

export interface RunSettings {
  workers: number;
  clockKind: ClockChoice["kind"];
  /** Virtual milliseconds per real millisecond; Infinity runs as fast as possible. */
  speed: number;
  recovery: boolean;
}

export const SPEEDS: readonly { label: string; value: number }[] = [
  { label: "1×", value: 1 },
  { label: "10×", value: 10 },
  { label: "100×", value: 100 },
  { label: "instant", value: Infinity },
];

export const runSettingsStore = createStore<RunSettings>(() => ({ workers: 1, clockKind: "virtual", speed: Infinity, recovery: false }));

export function useRunSettings<T>(selector: (settings: RunSettings) => T): T {
  return useStore(runSettingsStore, selector);
}

/** The IndexedDB database of a flow's simulated snapshots. */
export function recoveryDbName(doc: FlowDefinition): string {
  return `eddy-sim-${doc.name ?? "flow"}`;
}

let client: SimulatorClient | undefined;
let runToken = 0;
/** The run that was crashed: its last messages may still arrive, and their output is kept. */
let crashedToken = -1;
/** The current run's watch on its worker's calls (none when the page is not cross-origin isolated). */
let callWatch: RunCallWatch | undefined;

function simulator(): SimulatorClient {
  client ??= createSimulator();
  return client;
}

function settingsFor(doc: FlowDefinition, calls: SharedArrayBuffer | undefined): SimulationSettings {
  const settings = runSettingsStore.getState();
  const clock: ClockChoice = settings.clockKind === "system" ? { kind: "system" } : { kind: "virtual", speed: settings.speed };
  return { workers: settings.workers, clock, recovery: settings.recovery, dbName: recoveryDbName(doc), ...(calls !== undefined && { calls }) };
}

/** Starts watching the calls of run `token` of `doc`, showing a warning while one call runs on. */
function watchCalls(doc: FlowDefinition, token: number): RunCallWatch | undefined {
  endCallWatch();
  const ops = new Map<string, string>(doc.steps.map((step) => [step.id, step.op]));
  callWatch = watchRunCalls(
    (stepId) => ops.get(stepId),
    (stuck) => {
      if (token !== runToken) return;
      const text = stuck === undefined ? undefined : stuckWarning(stuck);
      if (liveStore.getState().stuck !== text) liveStore.setState({ stuck: text });
    },
  );
  return callWatch;
}

function endCallWatch(): void {
  callWatch?.stop();
  callWatch = undefined;
  if (liveStore.getState().stuck !== undefined) liveStore.setState({ stuck: undefined });
}

function isActive(): boolean {
  return isActiveStatus(liveStore.getState().status);
}

async function start(draft: FlowDefinition, fresh: boolean): Promise<void> {
  if (isActive()) return;
  // Unconnected and half-configured steps are skipped, as if disabled (state/runPlan.ts).
  const doc = runPlan(draft).runDoc;
  const token = ++runToken;
  if (fresh) resetLive();
  liveStore.setState({ status: "starting", error: undefined });
  const watch = watchCalls(doc, token);
  const onUpdate = proxy((update: Parameters<typeof applyUpdate>[0]) => {
    if (update.functions !== undefined && token === runToken) watch?.setFunctionNames(update.functions);
    if (token === crashedToken) {
      // Sent by the worker before it was killed (output of epochs it committed): keep the lines.
      applyUpdate(update);
      liveStore.setState({ status: "crashed" });
      return;
    }
    if (token !== runToken) return;
    if (update.resumedFrom !== undefined && liveStore.getState().resumedFrom !== update.resumedFrom) addMarker(`resumed from epoch ${update.resumedFrom}`);
    applyUpdate(update);
  });
  try {
    // Refused (RECOVERY_LOCKED) while another tab runs on the same store: the run fails with that message.
    if (fresh && runSettingsStore.getState().recovery) await simulator().api.clearState(recoveryDbName(doc));
    const status = await simulator().api.run(structuredClone(doc), settingsFor(doc, watch?.calls), onUpdate);
    if (token === runToken) liveStore.setState({ status });
  } catch (error) {
    if (token !== runToken) return;
    liveStore.setState({ status: "failed", error: { message: error instanceof Error ? error.message : String(error) } });
  } finally {
    if (token === runToken) endCallWatch();
  }
}

export const run = {
  /** Runs the draft from scratch (with recovery on, the stored snapshots are cleared first). */
  start: (doc: FlowDefinition) => start(doc, true),
  /** After a crash or a stop: a new run of the same draft that resumes from IndexedDB; the output continues. */
  resume: (doc: FlowDefinition) => start(doc, false),
  pause(): void {
    void client?.api.pause();
    if (liveStore.getState().status === "running") liveStore.setState({ status: "paused" });
  },
  unpause(): void {
    void client?.api.resume();
    if (liveStore.getState().status === "paused") liveStore.setState({ status: "running" });
  },
  stop(): void {
    void client?.api.stop();
    if (!isActive()) return;
    liveStore.setState({ status: "stopping" });
    // A worker stuck in a call never reaches the boundary: end it after a few seconds.
    const token = runToken;
    armHardStop({
      stillStopping: () => token === runToken && liveStore.getState().status === "stopping",
      hardStop: () => {
        // Read before the worker is ended: the step it is stuck in, if the page watches its calls.
        const stuck = callWatch?.stuckNow();
        endCallWatch();
        crashedToken = runToken;
        runToken += 1;
        client?.terminate();
        client = undefined;
        liveStore.setState({ status: "stopped" });
        addMarker(hardStopMarker(stuck));
      },
      setTimer: (callback, ms) => setTimeout(callback, ms),
    });
  },
  setSpeed(speed: number): void {
    runSettingsStore.setState({ speed });
    void client?.api.setSpeed(speed);
  },
  /** Kills the Web Worker at once, as a crash would: nothing is flushed, nothing is said goodbye to. */
  crash(): void {
    if (!isActive()) return;
    endCallWatch();
    crashedToken = runToken;
    runToken += 1;
    client?.terminate();
    client = undefined;
    liveStore.setState({ status: "crashed" });
    addMarker("crashed: the worker was killed");
  },
  async clearState(doc: FlowDefinition): Promise<void> {
    await simulator().api.clearState(recoveryDbName(doc));
    addMarker("stored state cleared");
  },
  async inspectState(doc: FlowDefinition): Promise<{ exists: boolean; resumeEpoch?: number }> {
    return simulator().api.inspectState(recoveryDbName(doc), runSettingsStore.getState().workers);
  },
  isActive,
};
