/**
 * The start that `eddy run`, `eddy cluster` and `eddy run -n` share, before any store is locked,
 * any process connected or anything decided: the flow file is read; the worker threads start at
 * once and load their code while the main thread checks and compiles the flow (every problem
 * printed, exit 2) and, with `--metrics-port`, takes the port (exit 2 when it cannot). The threads
 * run nothing before `go` and are ended when the run is refused. From the check on, no value read
 * from `$env` reaches standard error (the threads' included).
 *
 * What is not needed to start the threads is imported once they are started, so that they start
 * sooner: the flow's checks (runCheck.ts, with the schema: zod, most of the main thread's code, and
 * the function compiler) and, with `--metrics-port`, the metrics server (with prom-client,
 * imported for no other run).
 */

import { resolve } from "node:path";
import type { Host, WorkerMetrics } from "../../engine/host/index.js";
import { formatReport, reportError, startExitCodeOf } from "../errors/report.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import type { CompiledFlowFile } from "../flowFile.js";
import type { CheckedFlow } from "./runCheck.js";
import { FlowFileError, formatProblem, readFlowFile } from "../flowFileProblems.js";
import type { RunnerConnectors } from "../host/runnerConnectors.js";
import type { MetricsServer } from "../metrics/metricsServer.js";
import type { FlowSource } from "../threads/messages.js";
import type { StartedThreads, ThreadStartOptions } from "../threads/runThreads.js";

/** With --metrics-port: how often a worker thread sends its counts while it runs (and once more when it ends). */
export const METRICS_INTERVAL_MS = 250;

/** A line on standard error, as every command says things. */
export const say = (text: string) => void process.stderr.write(`eddy: ${text}\n`);

/** How a command starts `count` threads of `source` (they send their counts to `metrics`, with --metrics-port). */
export type StartThreads<T extends StartedThreads> = (count: number, source: FlowSource, metrics: ThreadStartOptions["metrics"]) => Promise<T>;

export interface StartSettings<T extends StartedThreads> {
  /** `-w` (else the file's `execution.workers`, else 1): how many threads to start before the flow is checked. */
  readonly workers?: number | undefined;
  readonly metricsPort?: number | undefined;
  /** Starts the threads; none start here without it (`eddy run -n`, whose processes start their own). */
  readonly start?: StartThreads<T> | undefined;
}

export interface CheckedStart<T extends StartedThreads> {
  readonly compiled: CompiledFlowFile;
  /** The main thread's host, which compiled the flow (runCheck.ts). */
  readonly host: Host;
  /** Loads the host's connectors that the run uses (its recovery store's), before they are opened. */
  readonly load: RunnerConnectors["load"];
  /** With --metrics-port: the server, listening. */
  readonly metrics: MetricsServer | undefined;
  /** `count` threads, waiting for `go`: the early ones when they are that many, else new ones (the early ones are ended). */
  threads(count: number): Promise<T>;
  /** The run is refused after the checks: ends the early threads and closes the metrics server. */
  cancel(): Promise<void>;
}

/** Reads, starts the threads early, checks and compiles, takes the metrics port; or the exit code of a refusal (said on standard error). */
export async function checkedStart<T extends StartedThreads>(file: string, settings: StartSettings<T>): Promise<CheckedStart<T> | ExitCode> {
  let text: string;
  try {
    text = readFlowFile(file);
  } catch (error) {
    return reportStartError(error, file);
  }
  // With --metrics-port the threads send their counts to the server, which starts below.
  let metrics: MetricsServer | undefined;
  const threadMetrics = settings.metricsPort === undefined ? undefined : { intervalMs: METRICS_INTERVAL_MS, receive: (counts: WorkerMetrics) => metrics?.update(counts) };
  const { start } = settings;
  const earlyCount = start === undefined ? undefined : earlyWorkerCount(text, settings.workers);
  // Awaited (a few microtasks from the build, where the thread's entry is known): the threads exist before the checks run.
  let early = earlyCount === undefined ? undefined : await start!(earlyCount, { path: resolve(file), text }, threadMetrics).catch(() => undefined);
  const cancelEarly = async () => void (await early?.cancel());

  let checked: CheckedFlow;
  try {
    const { checkRunFlow } = await import("./runCheck.js");
    checked = checkRunFlow(text, file, say);
  } catch (error) {
    await cancelEarly();
    return reportStartError(error, file);
  }

  // The port is taken before the recovery store is opened or locked: a busy one refuses the run at once.
  if (settings.metricsPort !== undefined) {
    try {
      const { startMetricsServer } = await import("../metrics/metricsServer.js");
      metrics = await startMetricsServer(settings.metricsPort);
    } catch (error) {
      await cancelEarly();
      const report = reportError(error);
      if (report.code !== "RUNNER_METRICS_PORT") return reportStartError(error, file);
      say(`${report.message} (${report.code})`);
      return EXIT.INVALID_FLOW;
    }
  }

  const { compiled, host, load } = checked;
  return {
    compiled,
    host,
    load,
    metrics,
    async threads(count) {
      if (early !== undefined && earlyCount === count) return early;
      await cancelEarly();
      if (start === undefined) throw new Error("checkedStart: threads asked for without a way to start them");
      early = await start(count, { path: compiled.path, text: compiled.text }, threadMetrics);
      return early;
    },
    async cancel() {
      await cancelEarly();
      await metrics?.close();
    },
  };
}

/** Threads started before the flow is checked: at most this many (a refused flow could ask for any number). */
const EARLY_THREADS_MAX = 64;

/**
 * How many worker threads a run of `text` will have, read before the flow is checked (`-w`, else
 * `execution.workers`, else 1); undefined when the text is not JSON or asks for many threads: the
 * threads then start once the flow is checked.
 */
function earlyWorkerCount(text: string, workers: number | undefined): number | undefined {
  let count = workers;
  if (count === undefined) {
    try {
      const execution = (JSON.parse(text) as { execution?: { workers?: unknown } } | null)?.execution;
      count = typeof execution?.workers === "number" && Number.isSafeInteger(execution.workers) && execution.workers >= 1 ? execution.workers : 1;
    } catch {
      return undefined;
    }
  }
  return count <= EARLY_THREADS_MAX ? count : undefined;
}

/** Before any thread ran: flow file problems (2, from the table of error codes) or a bug (1). */
function reportStartError(error: unknown, file: string): ExitCode {
  if (error instanceof FlowFileError) {
    process.stderr.write(`eddy: ${error.message}\n`);
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    for (const note of error.notes) process.stderr.write(`${note}\n`);
    return EXIT.INVALID_FLOW;
  }
  const report = reportError(error);
  if (startExitCodeOf(report) === EXIT.INVALID_FLOW) {
    process.stderr.write(`eddy: ${file}: ${report.message}\n`);
    return EXIT.INVALID_FLOW;
  }
  process.stderr.write(`eddy: unexpected error: ${formatReport(report, { stack: true })}\n`);
  return EXIT.INTERNAL;
}
