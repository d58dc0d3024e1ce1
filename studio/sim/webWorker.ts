/**
 * The studio's simulation Web Worker: exposes one `Simulator` (simulator.ts) over comlink. The UI
 * talks to it through client.ts. Terminating this worker is the studio's "crash".
 */

import { expose, releaseProxy, type Remote } from "comlink";
import type { SimulationUpdate, SimulatorApi } from "./simulatorApi.js";
import { Simulator } from "./simulator.js";

const simulator = new Simulator();

const api: SimulatorApi = {
  async run(flow, settings, onUpdate) {
    try {
      return await simulator.run(flow, settings, onUpdate);
    } finally {
      // The UI's proxy() of onUpdate holds a MessagePort open until released.
      (onUpdate as unknown as Remote<(update: SimulationUpdate) => void>)[releaseProxy]?.();
    }
  },
  pause: simulator.pause,
  resume: simulator.resume,
  setSpeed: simulator.setSpeed,
  stop: simulator.stop,
  clearState: simulator.clearState,
  inspectState: simulator.inspectState,
};

expose(api);
