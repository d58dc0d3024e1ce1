/**
 * `eddy run --metrics-port N` and `eddy cluster --metrics-port N`: Prometheus metrics of the run (of
 * a cluster: of this process's workers), served by prom-client on http://127.0.0.1:N/metrics (this
 * host only) while the run lasts. `eddy run -n P --metrics-port N` gives process i the port N + i.
 *
 * Each worker thread sends its worker's counts (engine/runtime/workerMetrics.ts) to the main thread
 * at most every METRICS_INTERVAL_MS (commands/runStart.ts, threads/threadMain.ts); a scrape reads
 * the latest of each, in the collect callbacks of a registry of our own (never prom-client's
 * global one). So a scrape costs the threads nothing, and what it shows is at most that interval
 * old. The runner imports this module (and prom-client with it) only for a run given
 * --metrics-port (commands/runStart.ts).
 */

import { createServer, type Server } from "node:http";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { STEP_KINDS, type StepOp, type WorkerMetrics } from "../../engine/host/index.js";
import { listenOn } from "./metricsPort.js";

/** The window steps: the only ones that count late items. */
const WINDOW_OPS: ReadonlySet<string> = new Set((Object.keys(STEP_KINDS) as StepOp[]).filter((op) => STEP_KINDS[op].windowed));

export interface MetricsServer {
  /** The port it listens on. */
  readonly port: number;
  /** The latest counts of one worker. */
  update(metrics: WorkerMetrics): void;
  /** A worker failed with `code` (an error code of engine/errorCodes.ts, or "none" for an error without one). */
  failed(workerIndex: number, code: string): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** The run's metrics in a registry of their own, read from the latest snapshot of each worker. */
export function createRunRegistry(latest: ReadonlyMap<number, WorkerMetrics>): { registry: Registry; failures: Counter<"worker" | "code"> } {
  const registry = new Registry();
  const workers = () => [...latest.values()].sort((a, b) => a.workerIndex - b.workerIndex);
  new Counter({
    name: "eddy_step_items_in_total",
    help: "Items that arrived at a step on a worker (for a fused chain of stateless steps: at its first step)",
    labelNames: ["step", "worker"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers()) {
        for (const step of worker.steps) if (step.itemsIn !== undefined) this.inc({ step: step.inStep, worker: String(worker.workerIndex) }, step.itemsIn);
      }
    },
  });
  new Counter({
    name: "eddy_step_items_out_total",
    help: "Items a step passed downstream on a worker (for a fused chain of stateless steps: its last step; for a capture: the items written)",
    labelNames: ["step", "worker"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers()) for (const step of worker.steps) this.inc({ step: step.outStep, worker: String(worker.workerIndex) }, step.itemsOut);
    },
  });
  new Counter({
    name: "eddy_step_late_items_total",
    help: "Items too late for a window step's windows on a worker (sent to its late output, or dropped when no step takes it)",
    labelNames: ["step", "worker"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers()) {
        for (const step of worker.steps) if (WINDOW_OPS.has(step.op)) this.inc({ step: step.inStep, worker: String(worker.workerIndex) }, step.lateItems);
      }
    },
  });
  new Gauge({
    name: "eddy_worker_epoch",
    help: "The lowest epoch a worker's steps may still see items of (+Inf once its inputs ended)",
    labelNames: ["worker"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers()) this.set({ worker: String(worker.workerIndex) }, worker.epoch);
    },
  });
  new Gauge({
    name: "eddy_durable_epoch",
    help: "With recovery: the last epoch every worker has saved (a resume starts after it; -1 before the first)",
    registers: [registry],
    collect() {
      this.reset();
      let durable: number | undefined;
      // Each worker's view is a lower bound (it learns the others' progress by message): take the highest.
      for (const worker of workers()) if (worker.durableEpoch !== undefined) durable = Math.max(durable ?? -Infinity, worker.durableEpoch);
      // Unknown (no recovery, or no worker reported yet): no sample rather than a made-up 0.
      if (durable === undefined) this.remove();
      else this.set(durable);
    },
  });
  new Gauge({
    name: "eddy_exchange_frames_in_flight",
    help: "Exchange frames a worker sent that their receivers have not taken yet (absent when the transport does not count them)",
    labelNames: ["worker"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers()) if (worker.framesInFlight !== undefined) this.set({ worker: String(worker.workerIndex) }, worker.framesInFlight);
    },
  });
  const failures = new Counter({
    name: "eddy_worker_failures_total",
    help: "Workers that failed, by error code (a failure ends the run, and with it this server)",
    labelNames: ["worker", "code"] as const,
    registers: [registry],
  });
  collectDefaultMetrics({ register: registry });
  return { registry, failures };
}


/**
 * Listens on 127.0.0.1:`port`; rejects with RUNNER_METRICS_PORT when it cannot (in use, not
 * allowed), before the run starts.
 */
export async function startMetricsServer(port: number): Promise<MetricsServer> {
  const latest = new Map<number, WorkerMetrics>();
  const { registry, failures } = createRunRegistry(latest);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("eddy: only GET /metrics is served here\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "Content-Type": registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" }).end(`eddy: cannot collect the metrics: ${(error as Error).message}\n`),
    );
  });
  await listenOn(server, port);
  // The server must not keep the process alive once the run is over.
  server.unref();
  return {
    port,
    update(metrics) {
      latest.set(metrics.workerIndex, metrics);
    },
    failed(workerIndex, code) {
      failures.inc({ worker: String(workerIndex), code });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
