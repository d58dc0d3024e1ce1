/// <reference lib="dom" />
/**
 * The UI side of the simulator: starts the Web Worker (Vite's `new Worker(new URL(...))` syntax)
 * and wraps its comlink API. Pass `onUpdate` to `api.run` through comlink's `proxy()`.
 *
 * Crash: `terminate()` kills the worker at once, as a crash would: nothing is flushed, the run's
 * pending calls never settle (ignore them), and this client is dead. Create a new client for the
 * next run; with recovery on, `api.run` there resumes from the epochs IndexedDB committed.
 */

import { releaseProxy, wrap, type Remote } from "comlink";
import type { SimulatorApi } from "./simulatorApi.js";

export interface SimulatorClient {
  readonly api: Remote<SimulatorApi>;
  /** Kills the worker (the studio's "crash"); the client cannot be used afterwards. */
  terminate(): void;
}

export function createSimulator(): SimulatorClient {
  const worker = new Worker(new URL("./webWorker.ts", import.meta.url), { type: "module", name: "eddy-simulator" });
  const api = wrap<SimulatorApi>(worker);
  return {
    api,
    terminate() {
      api[releaseProxy]();
      worker.terminate();
    },
  };
}
