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
import { FileRecoveryConfig, type RecoveryConfig } from "../../engine/host/index.js";
import type { ErrorCode } from "../../engine/host/index.js";
import { exitCodeOf, formatReport, reportError, type ErrorReport } from "../errors/report.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import type { CompiledFlowFile } from "../flowFile.js";
import type { EpochSetting, RecoverySetting } from "../threads/messages.js";
import { startThreads, type ThreadRun } from "../threads/runThreads.js";
import { kafkaStoreTopic } from "../recovery/kafkaStoreTopic.js";
import type { HeldLock } from "../recovery/storeLock.js";
import type { MetricsServer } from "../metrics/metricsServer.js";
import { checkedStart, say } from "./runStart.js";

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
  /** How long a process of a cluster may say nothing before the cluster stops (cluster/liveness.ts). */
  readonly peerTimeoutMs?: number | undefined;
}

/** Refusals that starting over fixes: their message ends with FRESH_HINT. */
const FRESH_HINT = "(run with --fresh to start over)";
const FRESH_FIXES: ReadonlySet<string> = new Set<ErrorCode>(["RECOVERY_WORKER_COUNT", "RECOVERY_UNKNOWN_STEPS", "RECOVERY_STEP_CHANGED", "RECOVERY_MISSING_PARTITION", "RECOVERY_CORRUPT", "RECOVERY_FORMAT_NEWER"]);

export async function runCommand(file: string, options: RunCommandOptions): Promise<ExitCode> {
  // Until the threads run, a signal simply ends the process: nothing has been read or written.
  let run: ThreadRun | undefined;
  let runEnded = false;
  let lock: HeldLock | undefined;
  // process.exit (a second signal, a failed stdout) ends the process: release the store, unless
  // threads may still be writing to it; then the lock ends with this process (its pid dies).
  process.on("exit", () => {
    if (!run || runEnded) lock?.release();
  });
  onStopSignals(
    () => run,
    (running, signal) => {
      say(`${signal}: stopping at the next epoch boundary (send it again to exit at once)`);
      running.stop();
    },
    () => exitAfterThreads(run, EXIT.INTERRUPTED),
  );
  // Standard output closed by its reader (`eddy run flow.json | head`): the stdout output failed.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    say(`standard output failed (${error.code ?? error.message}); stopping`);
    exitAfterThreads(run, EXIT.RUN_FAILED);
  });

  // The threads start at once and load while the flow is checked and recovery is prepared (runStart.ts).
  const checked = await checkedStart(file, {
    workers: options.workers,
    metricsPort: options.metricsPort,
    start: (count, source, metrics) => startThreads({ source, workerCount: count, metrics }),
  });
  if (typeof checked === "number") return checked;
  // The main thread's host compiled and checked the flow (each thread builds its own to run it).
  const { compiled, metrics, host, load } = checked;

  const workerCount = options.workers ?? compiled.workers ?? 1;
  const epoch = epochSetting(options.epochLength !== undefined ? new PeriodicEpochConfig(options.epochLength) : compiled.epochConfig);
  const recoveryConfig = runRecoveryConfig(options.recoveryDir, compiled);

  let startEpoch = 0;
  let recovery: RecoverySetting | undefined;
  if (recoveryConfig) {
    try {
      // The store's code (and its connector's) only for a run with recovery.
      const { prepareRunRecovery } = await import("./runRecovery.js");
      const onLocked = (held: HeldLock) => void (lock = held);
      ({ startEpoch, setting: recovery } = await prepareRunRecovery(recoveryConfig, compiled.flow, { workerCount, fresh: options.fresh === true, host, load, onLocked }));
    } catch (error) {
      lock = undefined;
      await checked.cancel();
      const report = reportError(error);
      say(recoveryRefusal(report));
      // An error without a code is not one Eddy raised on purpose: show where it came from.
      if (report.code === undefined && report.stack) process.stderr.write(`${report.stack}\n`);
      return EXIT.RECOVERY;
    }
  }

  say(`running ${file} on ${workerCount} worker thread${workerCount === 1 ? "" : "s"}, ${describeRun(epoch, recovery, startEpoch, metrics)}`);

  const startedAt = performance.now();
  const onStarted = options.verbose
    ? (workerIndex: number, threadId: number) => say(`worker ${workerIndex} started on thread ${threadId} (${(performance.now() - startedAt).toFixed(0)} ms)`)
    : undefined;
  run = (await checked.threads(workerCount)).go({ epoch, recovery, startEpoch, onStarted });
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
    sayStuck(outcome.diagnoses);
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
 * SIGINT and SIGTERM: the first while the threads run asks them to `stop` at the next epoch
 * boundary; one before they run (nothing read or written yet), or a second, leaves at once
 * (`exitNow`); any more are ignored while it does.
 */
export function onStopSignals(run: () => ThreadRun | undefined, stop: (run: ThreadRun, signal: NodeJS.Signals) => void, exitNow: (signal: NodeJS.Signals) => void): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    const running = run();
    if (running && signals === 1) return stop(running, signal);
    if (signals > 2) return;
    say(`${signal}: exiting now`);
    exitNow(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
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

/** Why the recovery store refused the run, or failed, and how to start over when that fixes it. */
export function recoveryRefusal(report: ErrorReport): string {
  const hint = report.code !== undefined && FRESH_FIXES.has(report.code) ? ` ${FRESH_HINT}` : "";
  return `the recovery store refused or failed (${report.code ?? "error"}): ${report.message}${hint}`;
}

/** The run's settings, as the line that starts it says them: epochs, recovery (and where it starts), metrics. */
export function describeRun(epoch: EpochSetting, recovery: RecoverySetting | undefined, startEpoch: number, metrics: MetricsServer | undefined): string {
  const epochs = epoch.type === "testing" ? "an epoch per item" : `epochs of ${epoch.length} ms`;
  const resumes = recovery ? `, recovery in ${recoveryPlace(recovery)} (${startEpoch === 0 ? "from the start" : `resuming at epoch ${startEpoch}`})` : ", no recovery";
  const serves = metrics ? `, metrics on http://127.0.0.1:${metrics.port}/metrics` : "";
  return `${epochs}${resumes}${serves}`;
}

/** A stop asked while workers were stuck in calls ended the run: one line per call. */
export function sayStuck(diagnoses: readonly string[]): void {
  for (const diagnosis of diagnoses) say(`stopped while ${diagnosis}: it cannot reach an epoch boundary`);
}

export function recoveryPlace(recovery: RecoverySetting): string {
  return recovery.type === "file" ? recovery.dir : `Kafka topic ${kafkaStoreTopic(recovery.topicPrefix)}`;
}
