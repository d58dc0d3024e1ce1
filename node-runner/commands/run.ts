/**
 * `eddy run FLOW.json`: checks and compiles the flow in the main thread (every problem printed,
 * exit 2), prepares recovery once (a refusal is exit 4), then runs one worker per thread. SIGINT or
 * SIGTERM asks every worker to stop at the next epoch boundary (exit 130 once everything before it
 * is committed); a second signal exits at once (130). Values read from `$env` never appear on
 * standard error (`$env NAME` stands in for them, see errors/redact.ts). A recovery directory is
 * locked for the whole run (storeLock.ts): a second run on it is refused (exit 4). With
 * `--metrics-port N`, Prometheus metrics are served on 127.0.0.1:N from before the threads start
 * until the run ends (metrics/metricsServer.ts); a port it cannot listen on is refused (exit 2).
 */

import { resolve } from "node:path";
import { DEFAULT_EPOCH_LENGTH, PeriodicEpochConfig, type EpochConfig } from "../../engine/host/index.js";
import { FileRecoveryConfig, KafkaRecoveryConfig, type RecoveryConfig } from "../../engine/host/index.js";
import type { Blueprint } from "../../engine/host/index.js";
import type { WorkerMetrics } from "../../engine/host/index.js";
import { EddyError, type ErrorCode } from "../../engine/host/index.js";
import { openRecoveryStore, servesInput, servesOutput, unavailableHere, type Host } from "../../engine/host/index.js";
import { prepareRecovery } from "../../engine/host/index.js";
import { nodeHost } from "../host/nodeHost.js";
import { redactStandardError, redactorFor } from "../errors/redact.js";
import { exitCodeOf, formatReport, reportError, startExitCodeOf } from "../errors/report.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import { FlowFileError, compileFlowText, envNamesOf, formatProblem, readFlowFile, type CompiledFlowFile } from "../flowFile.js";
import { verifyStoreInChild } from "../recovery/verifyInChild.js";
import type { EpochSetting, RecoverySetting } from "../threads/messages.js";
import { startThreads, type ThreadRun } from "../threads/runThreads.js";
import { discardPartitions } from "../recovery/discardStore.js";
import { discardKafkaStore, kafkaStoreTopic } from "../recovery/kafkaStore.js";
import { lockStoreDir, type HeldLock } from "../recovery/storeLock.js";
import { METRICS_INTERVAL_MS, startMetricsServer, type MetricsServer } from "../metrics/metricsServer.js";

export interface RunCommandOptions {
  readonly workers?: number | undefined;
  readonly recoveryDir?: string | undefined;
  readonly epochLength?: number | undefined;
  /** Discard the recovery store's contents and start over (file outputs start empty, as on any fresh run). */
  readonly fresh?: boolean | undefined;
  /** Also tell when each worker thread starts. */
  readonly verbose?: boolean | undefined;
  /** Serve Prometheus metrics on 127.0.0.1 at this port while the run lasts. */
  readonly metricsPort?: number | undefined;
  /** How long the processes of a cluster may take to connect (cluster/connectMesh.ts). */
  readonly connectTimeoutMs?: number | undefined;
}

export const say = (text: string) => void process.stderr.write(`eddy: ${text}\n`);

/** Refusals that starting over fixes: their message ends with FRESH_HINT. */
export const FRESH_HINT = "(run with --fresh to start over)";
export const FRESH_FIXES: ReadonlySet<string> = new Set<ErrorCode>(["RECOVERY_WORKER_COUNT", "RECOVERY_UNKNOWN_STEPS", "RECOVERY_STEP_CHANGED", "RECOVERY_MISSING_PARTITION", "RECOVERY_CORRUPT", "RECOVERY_FORMAT_NEWER"]);

export async function runCommand(file: string, options: RunCommandOptions): Promise<ExitCode> {
  // Until the threads run, a signal simply ends the process: nothing has been read or written.
  let run: ThreadRun | undefined;
  // The main thread's host compiles and checks the flow (each thread builds its own to run it).
  const host = nodeHost();
  let runEnded = false;
  let lock: HeldLock | undefined;
  // process.exit (a second signal, a failed stdout) ends the process: release the store, unless
  // threads may still be writing to it; then the lock ends with this process (its pid dies).
  process.on("exit", () => {
    if (!run || runEnded) lock?.release();
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (!run || signals > 1) {
      if (signals > 2) return;
      say(`${signal}: exiting now`);
      exitAfterThreads(run, EXIT.INTERRUPTED);
      return;
    }
    say(`${signal}: stopping at the next epoch boundary (send it again to exit at once)`);
    run.stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Standard output closed by its reader (`eddy run flow.json | head`): the stdout output failed.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    say(`standard output failed (${error.code ?? error.message}); stopping`);
    exitAfterThreads(run, EXIT.RUN_FAILED);
  });

  let text: string;
  try {
    text = readFlowFile(file);
  } catch (error) {
    return reportStartError(error, file);
  }
  // The worker threads start now and load their code while the flow is checked and recovery is
  // prepared here: they run nothing before `go` (below) and are ended if the flow or the store is refused.
  const earlyCount = earlyWorkerCount(text, options.workers);
  // With --metrics-port the threads send their counts to the server, which starts below.
  let metrics: MetricsServer | undefined;
  const threadMetrics = options.metricsPort === undefined ? undefined : { intervalMs: METRICS_INTERVAL_MS, receive: (counts: WorkerMetrics) => metrics?.update(counts) };
  // Awaited (a few microtasks from the build, where the thread's entry is known): the threads exist before the checks run.
  const early = earlyCount === undefined ? undefined : await startThreads({ source: { path: resolve(file), text }, workerCount: earlyCount, metrics: threadMetrics }).catch(() => undefined);
  const cancelEarly = async () => void (await early?.cancel());

  let compiled: CompiledFlowFile;
  try {
    compiled = compileRunFlow(text, file, host);
  } catch (error) {
    await cancelEarly();
    return reportStartError(error, file);
  }

  // The port is taken before the recovery store is opened or locked: a busy one refuses the run at once.
  if (options.metricsPort !== undefined) {
    try {
      metrics = await startMetricsServer(options.metricsPort);
    } catch (error) {
      await cancelEarly();
      const report = reportError(error);
      if (report.code !== "RUNNER_METRICS_PORT") return reportStartError(error, file);
      say(`${report.message} (${report.code})`);
      return EXIT.INVALID_FLOW;
    }
  }

  const workerCount = options.workers ?? compiled.workers ?? 1;
  const epoch = epochSetting(options.epochLength !== undefined ? new PeriodicEpochConfig(options.epochLength) : compiled.epochConfig);
  const recoveryConfig = runRecoveryConfig(options.recoveryDir, compiled);

  let startEpoch = 0;
  let recovery: RecoverySetting | undefined;
  if (recoveryConfig) {
    try {
      const store = openRecoveryStore(host, recoveryConfig);
      if (recoveryConfig instanceof KafkaRecoveryConfig) {
        // One owner per partition: each partition's transactional writer fences an earlier run's
        // (recovery/kafkaStore.ts). kafkajs has no native code, so the store is read here: every
        // partition is read and checked by prepareRecovery before anything is written.
        if (options.fresh) {
          const topic = kafkaStoreTopic(recoveryConfig.topicPrefix);
          const discarded = await discardKafkaStore(recoveryConfig);
          say(discarded ? `--fresh: deleted the recovery store's Kafka topic ${topic}; starting over` : `--fresh: the recovery store's Kafka topic ${topic} does not exist; starting over`);
        }
        startEpoch = await prepareRecovery(store, compiled.flow, workerCount);
        recovery = { type: "kafka", brokers: recoveryConfig.brokers, topicPrefix: recoveryConfig.topicPrefix };
      } else {
        if (!(recoveryConfig instanceof FileRecoveryConfig)) throw new EddyError("ADAPTER_MISSING", `${recoveryConfig.type} recovery is not available in the runner; use a file store (--recovery-dir) or a Kafka store`);
        // One run per store, from before anything is read until every thread is done.
        lock = lockStoreDir(recoveryConfig.dbDir);
        if (options.fresh) {
          const discarded = discardPartitions(recoveryConfig.dbDir);
          say(`--fresh: discarded ${discarded} partition${discarded === 1 ? "" : "s"} of the recovery store in ${recoveryConfig.dbDir}; starting over`);
        }
        // Everything in the store is read and checked, in a child process, before anything is written.
        await verifyStoreInChild(recoveryConfig.dbDir);
        startEpoch = await prepareRecovery(store, compiled.flow, workerCount);
        recovery = { type: "file", dir: recoveryConfig.dbDir };
      }
    } catch (error) {
      lock?.release();
      await cancelEarly();
      await metrics?.close();
      const report = reportError(error);
      const hint = report.code !== undefined && FRESH_FIXES.has(report.code) ? ` ${FRESH_HINT}` : "";
      process.stderr.write(`eddy: the recovery store refused or failed (${report.code ?? "error"}): ${report.message}${hint}\n`);
      // An error without a code is not one Eddy raised on purpose: show where it came from.
      if (report.code === undefined && report.stack) process.stderr.write(`${report.stack}\n`);
      return EXIT.RECOVERY;
    }
  }

  const epochs = epoch.type === "testing" ? "an epoch per item" : `epochs of ${epoch.length} ms`;
  const resumes = recovery ? `, recovery in ${recoveryPlace(recovery)} (${startEpoch === 0 ? "from the start" : `resuming at epoch ${startEpoch}`})` : ", no recovery";
  const serves = metrics ? `, metrics on http://127.0.0.1:${metrics.port}/metrics` : "";
  say(`running ${file} on ${workerCount} worker thread${workerCount === 1 ? "" : "s"}, ${epochs}${resumes}${serves}`);

  const startedAt = performance.now();
  const onStarted = options.verbose
    ? (workerIndex: number, threadId: number) => say(`worker ${workerIndex} started on thread ${threadId} (${(performance.now() - startedAt).toFixed(0)} ms)`)
    : undefined;
  let threads = early;
  if (threads === undefined || earlyCount !== workerCount) {
    await threads?.cancel();
    threads = await startThreads({ source: { path: compiled.path, text: compiled.text }, workerCount, metrics: threadMetrics });
  }
  run = threads.go({ epoch, recovery, startEpoch, onStarted });
  const outcome = await run.outcome;
  runEnded = true;
  lock?.release();
  if (outcome.kind === "failed") metrics?.failed(outcome.workerIndex, outcome.error.code ?? "none");
  await metrics?.close();
  if (outcome.kind === "failed") {
    const code = exitCodeOf(outcome.error);
    process.stderr.write(`eddy: ${formatReport(outcome.error, { stack: code === EXIT.INTERNAL })}\n`);
    return code;
  }
  if (outcome.kind === "stuck") {
    for (const diagnosis of outcome.diagnoses) say(`stopped while ${diagnosis}: it cannot reach an epoch boundary`);
    say(recovery ? "the run was ended; a new run with the same recovery directory resumes at the last committed epoch" : "the run was ended (without recovery, a new run starts over)");
    return EXIT.INTERRUPTED;
  }
  if (outcome.stopped) {
    say(recovery ? "stopped at an epoch boundary; run again with the same recovery directory to continue" : "stopped (without recovery, a new run starts over)");
    return EXIT.INTERRUPTED;
  }
  return EXIT.OK;
}

/**
 * Exits with `code` once the worker threads have ended. They are ended first, outside native calls
 * (threads/nativeFence.ts): `process.exit` joins threads still running, and a thread ended inside
 * an LMDB call aborted the process (SIGABRT) or hung it. What a thread had not committed is lost,
 * as with a crash; the recovery store keeps the last committed epoch. A thread that does not end
 * (a native call that never returns) would hang `process.exit`: the process is killed instead.
 */
function exitAfterThreads(run: ThreadRun | undefined, code: ExitCode): void {
  if (!run) process.exit(code);
  void run.terminate().then((ended) => {
    if (ended) process.exit(code);
    say("a worker thread did not end (inside a native call); killing the process");
    process.kill(process.pid, "SIGKILL");
  });
}

/** Threads started before the flow is checked: at most this many (a refused flow could ask for any number). */
const EARLY_THREADS_MAX = 64;

/**
 * How many worker threads a run of `text` will have, read before the flow is checked (`-w`, else
 * `execution.workers`, else 1); undefined when the text is not JSON or asks for many threads: the
 * threads then start once the flow is checked.
 */
export function earlyWorkerCount(text: string, workers: number | undefined): number | undefined {
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

/** Checks and compiles the flow file's text; from here on, no value read from `$env` reaches standard error (the threads' included). */
export function compileRunFlow(text: string, file: string, host: Host): CompiledFlowFile {
  redactStandardError(redactorFor(envNamesOf(text), process.env));
  const compiled = compileFlowText(text, file, process.env, host.compileFunction);
  checkAdapters(compiled.flow, host);
  return compiled;
}

/** The run's recovery: `--recovery-dir`, else the file's (a memory store lives only as long as one run: none). */
export function runRecoveryConfig(recoveryDir: string | undefined, compiled: CompiledFlowFile): RecoveryConfig | undefined {
  const recoveryConfig = recoveryDir !== undefined ? new FileRecoveryConfig(resolve(recoveryDir)) : compiled.recoveryConfig;
  if (recoveryConfig?.type !== "memory") return recoveryConfig;
  say("the flow's memory recovery lives only as long as one run; running without recovery");
  return undefined;
}

export function epochSetting(config: EpochConfig | undefined): EpochSetting {
  if (config === undefined) return { type: "periodic", length: DEFAULT_EPOCH_LENGTH };
  if (config.type === "testing") return { type: "testing" };
  return { type: "periodic", length: (config as PeriodicEpochConfig).epochLength };
}

/** Every input and output of the flow can be served by the threads' host (a Kafka step fails now, not in a thread). */
export function checkAdapters(flow: Blueprint, host: Host): void {
  for (const step of flow.steps) {
    if (step.op === "input" && !servesInput(host, step.config.type)) {
      const unavailable = unavailableHere("input", step.stepId, step.config.type);
      if (unavailable) throw unavailable;
      throw new FlowFileError("unknown input", [{ path: "", stepId: step.stepId, message: `no input of type ${JSON.stringify(step.config.type)} on this host` }]);
    }
    if (step.op === "capture" && !servesOutput(host, step.config.type)) {
      const unavailable = unavailableHere("output", step.stepId, step.config.type);
      if (unavailable) throw unavailable;
      throw new FlowFileError("unknown output", [{ path: "", stepId: step.stepId, message: `no output of type ${JSON.stringify(step.config.type)} on this host` }]);
    }
  }
}

/** Before any thread started: flow file problems (2, from the table of error codes) or a bug (1). */
export function reportStartError(error: unknown, file: string): ExitCode {
  if (error instanceof FlowFileError) {
    process.stderr.write(`eddy: ${error.message}\n`);
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
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

export function recoveryPlace(recovery: RecoverySetting): string {
  return recovery.type === "file" ? recovery.dir : `Kafka topic ${kafkaStoreTopic(recovery.topicPrefix)}`;
}
