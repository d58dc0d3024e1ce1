/**
 * Runs of the on-screen draft: starts the simulator (the engine in a Web Worker), forwards its
 * updates to the live store, and implements pause, stop, crash (terminate the worker) and resume
 * (a new worker that resumes from the snapshots in IndexedDB). Always runs what is on screen.
 */

import { proxy } from "comlink";
import { createStore } from "zustand/vanilla";
import { useStore } from "zustand";
import type { FlowDefinition } from "../../engine/host/index.js";
import type { ClockChoice, SimulationSettings } from "../sim/protocol.js";
import { createSimulator, type SimulatorClient } from "../sim/client.js";
import { armHardStop, hardStopMarker } from "./hardStop.js";
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

function simulator(): SimulatorClient {
  client ??= createSimulator();
  return client;
}

function settingsFor(doc: FlowDefinition): SimulationSettings {
  const settings = runSettingsStore.getState();
  const clock: ClockChoice = settings.clockKind === "system" ? { kind: "system" } : { kind: "virtual", speed: settings.speed };
  return { workers: settings.workers, clock, recovery: settings.recovery, dbName: recoveryDbName(doc) };
}

function isActive(): boolean {
  return isActiveStatus(liveStore.getState().status);
}

async function start(doc: FlowDefinition, fresh: boolean): Promise<void> {
  if (isActive()) return;
  const token = ++runToken;
  if (fresh) resetLive();
  liveStore.setState({ status: "starting", error: undefined });
  const onUpdate = proxy((update: Parameters<typeof applyUpdate>[0]) => {
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
    const status = await simulator().api.run(structuredClone(doc), settingsFor(doc), onUpdate);
    if (token === runToken) liveStore.setState({ status });
  } catch (error) {
    if (token !== runToken) return;
    liveStore.setState({ status: "failed", error: { message: error instanceof Error ? error.message : String(error) } });
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
        crashedToken = runToken;
        runToken += 1;
        client?.terminate();
        client = undefined;
        liveStore.setState({ status: "stopped" });
        addMarker(hardStopMarker());
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
