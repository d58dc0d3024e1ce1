/**
 * The simulator: the `SimulatorApi` the studio's Web Worker exposes over comlink (webWorker.ts), usable
 * without a worker too (tests run it in Node with fake-indexeddb). One run at a time; the controls
 * (pause, resume, setSpeed, stop) act on the current run and do nothing between runs.
 *
 * A crash needs nothing from here: the UI terminates the Web Worker, and a later `run` with
 * recovery on resumes from what IndexedDB committed (each commit is one atomic transaction).
 */

import { EddyError } from "../../engine/host/index.js";
import { realTime } from "./pacedClock.js";
import type { SimulationSettings, SimulationStatus, SimulationUpdate, SimulatorApi, StoredState } from "./simulatorApi.js";
import { SimulationRun, simulationError, type RunEnvironment } from "./simulationRun.js";
import { deleteStoredState, inspectStoredState } from "./storedState.js";

export class Simulator implements SimulatorApi {
  private current: SimulationRun | undefined;
  private readonly env: RunEnvironment;

  constructor(env: Partial<RunEnvironment> = {}) {
    this.env = { real: env.real ?? realTime, startAt: env.startAt };
  }

  // Methods are arrow properties so that comlink (or anyone) may call them unbound.

  readonly run = async (flow: unknown, settings: SimulationSettings, onUpdate: (update: SimulationUpdate) => void): Promise<SimulationStatus> => {
    if (this.current) throw new EddyError("SIM_BUSY", "A simulation is already running in this worker; stop it before starting another");
    let run: SimulationRun;
    try {
      run = new SimulationRun(settings, onUpdate, this.env);
    } catch (error) {
      // Bad settings: a failed run, reported like any other.
      try {
        await onUpdate({ status: "failed", steps: {}, output: [], outputDropped: 0, error: simulationError(error) });
      } catch {
        // The UI went away.
      }
      return "failed";
    }
    this.current = run;
    try {
      return await run.run(flow);
    } finally {
      this.current = undefined;
    }
  };

  readonly pause = (): void => this.current?.pause();

  readonly resume = (): void => this.current?.resume();

  readonly setSpeed = (speed: number): void => this.current?.setSpeed(speed);

  readonly stop = (): void => this.current?.stop();

  readonly clearState = async (dbName: string): Promise<void> => {
    if (this.current?.dbName === dbName) {
      throw new EddyError("SIM_STATE_IN_USE", `The stored state "${dbName}" is in use by the running simulation; stop it before clearing the state`);
    }
    await deleteStoredState(dbName);
  };

  readonly inspectState = (dbName: string, workers: number): Promise<StoredState> => inspectStoredState(dbName, workers);
}
