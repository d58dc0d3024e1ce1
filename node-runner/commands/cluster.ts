/**
 * `eddy cluster FLOW.json -p ID -a HOST:PORT -a HOST:PORT ... [-w W]`: one process of a cluster of
 * `eddy` processes, on one machine (`eddy run -n` starts them) or on several (a StatefulSet). Without
 * -p and -a it reads its place from the environment (`procEnv`: EDDY_PROCESS_ID or EDDY_POD_NAME,
 * EDDY_ADDRESSES or EDDY_HOSTFILE_PATH, EDDY_WORKERS_PER_PROCESS). It takes `eddy run`'s options.
 *
 * In order: the worker threads start and load (commands/runStart.ts) while the flow is checked and
 * compiled (exit 2) and, with `--metrics-port N`, the port is taken (exit 2; the metrics of this
 * process's workers, on 127.0.0.1:N); the processes connect and shake hands (cluster/connectMesh.ts:
 * exit 2 on a mismatch, 5 when one never answers), recovery is prepared and decided together
 * (cluster/processStore.ts, exit 4), then the threads run workers `ID * W` to `ID * W + W - 1`,
 * their frames to other processes through the router (cluster/router.ts). Any refusal ends the
 * threads before they ran anything. Fail-stop: the first failure anywhere (a worker's error, a process lost)
 * reaches every process, which ends its threads and exits with that failure's code, naming it. A
 * first SIGINT or SIGTERM anywhere stops every process at one epoch boundary (exit 130); a second
 * one exits at once. When every worker of this process is done, it waits for every other process
 * to be done before it closes its connections (exit 0).
 */

import { EddyError, PeriodicEpochConfig, blueprintText, flowDefinitionText, workersOfProcess } from "../../engine/host/index.js";
import { procEnv } from "../entries/parse.js";
import { exitCodeOf } from "../errors/report.js";
import { EXIT, type ExitCode } from "../exitCodes.js";
import type { CompiledFlowFile } from "../flowFile.js";
import { connectorsUsed } from "../host/runnerConnectors.js";
import type { HeldLock } from "../recovery/storeLock.js";
import type { RecoverySetting } from "../threads/messages.js";
import { startThreads, type ThreadRun } from "../threads/runThreads.js";
import { DEFAULT_CONNECT_TIMEOUT_MS, ENV_CONNECT_TIMEOUT_MS, checkLayout, connectMesh } from "../cluster/connectMesh.js";
import { ClusterFailedError, describeFailure, exitOf, failureOf, failureWith, type ClusterFailure } from "../cluster/failures.js";
import { helloOf, processName } from "../cluster/handshake.js";
import { clusterTag, prepareProcessStore } from "../cluster/processStore.js";
import { Router } from "../cluster/router.js";
import { WorkerChannels } from "../cluster/channels.js";
import { describeRun, epochSetting, onStopSignals, recoveryRefusal, runRecoveryConfig, sayStuck, type RunCommandOptions } from "./run.js";
import { checkedStart, say } from "./runStart.js";

/** `eddy run`'s options (`connectTimeoutMs`: DEFAULT_CONNECT_TIMEOUT_MS, ENV_CONNECT_TIMEOUT_MS with a place from the environment), with the place. */
export interface ClusterCommandOptions extends RunCommandOptions {
  readonly procId?: number | undefined;
  readonly addresses?: readonly string[] | undefined;
}

interface Place {
  readonly procId: number;
  readonly addresses: readonly string[];
  readonly workers: number | undefined;
  /** The connection bound when --connect-timeout is not given. */
  readonly connectTimeoutMs: number;
}

/**
 * -p and -a, or else the environment (with -w, when given, over EDDY_WORKERS_PER_PROCESS); checked
 * (CLUSTER_ADDRESS_INVALID) before the threads start: their placement follows from it.
 */
function placeOf(options: ClusterCommandOptions): Place {
  if (options.procId !== undefined && options.addresses !== undefined && options.addresses.length > 0) {
    checkLayout(options.addresses, options.procId);
    return { procId: options.procId, addresses: options.addresses, workers: options.workers, connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS };
  }
  if (options.procId !== undefined || (options.addresses !== undefined && options.addresses.length > 0)) {
    throw new Error("-p (this process's id) and -a (every process's address, in order) go together; give both, or neither to read EDDY_* variables");
  }
  const env = { ...process.env, ...(options.workers !== undefined && { EDDY_WORKERS_PER_PROCESS: String(options.workers) }) };
  const place = procEnv(env);
  checkLayout(place.addresses, place.procId);
  return { procId: place.procId, addresses: place.addresses, workers: place.workerCountPerProc, connectTimeoutMs: ENV_CONNECT_TIMEOUT_MS };
}

export async function clusterCommand(file: string, options: ClusterCommandOptions): Promise<ExitCode> {
  let place: Place;
  try {
    place = placeOf(options);
  } catch (error) {
    say(`${(error as Error).message}`);
    return EXIT.INVALID_FLOW;
  }
  const { procId, addresses } = place;
  const me = processName(procId, addresses[procId]);
  let run: ThreadRun | undefined;
  let router: Router | undefined;
  let lock: HeldLock | undefined;
  let runEnded = false;
  let stopped = false;
  // The threads keep their channels until every process is done (the final barrier), or this one leaves.
  let release!: () => void;
  const released = new Promise<void>((resolveRelease) => (release = resolveRelease));
  process.on("exit", () => {
    if (!run || runEnded) lock?.release();
  });

  // Leaving now: every other process is told first, the threads are ended, then the process exits.
  const leaveNow = (failure: ClusterFailure) => {
    void Promise.all([router?.fail(failure), run?.terminate()]).then(() => process.exit(exitOf(failure)));
  };
  onStopSignals(
    () => run,
    (running, signal) => {
      say(`${signal}: stopping every process at the next epoch boundary (send it again to exit at once)`);
      stopped = true;
      running.stop();
      router?.stop();
    },
    (signal) => leaveNow(failureWith(me, EXIT.INTERRUPTED, `${me} was interrupted (${signal}) and exited at once`)),
  );
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    say(`standard output failed (${error.code ?? error.message}); stopping`);
    leaveNow(failureWith(me, EXIT.RUN_FAILED, `standard output of ${me} failed (${error.code ?? error.message})`, "OUTPUT_STDOUT_FAILED"));
  });
  // Started by `eddy run -n` (an IPC channel to it): when it is gone, so is this process.
  if (process.channel) {
    process.channel.unref();
    process.on("disconnect", () => {
      say("the process that started this one is gone; stopping");
      leaveNow(failureOf(new EddyError("CLUSTER_SUPERVISOR_LOST", `the process that started ${me} is gone`), me));
    });
  }

  // The worker threads start at once (runStart.ts), with their channels to the other processes
  // (cluster/channels.ts), and load their code while the flow is checked, the processes connect
  // and recovery is decided: they run nothing before `go` (below) and are ended if anything is refused.
  const checked = await checkedStart(file, {
    workers: place.workers,
    metricsPort: options.metricsPort,
    start: async (count, source, metrics) => {
      const channels = new WorkerChannels({ procId, procCount: addresses.length, workersPerProcess: count });
      const started = await startThreads({
        source,
        workerCount: count,
        metrics,
        placement: { firstWorker: procId * count, clusterWorkers: count * addresses.length, remotePort: (worker, peer) => channels.portFor(worker, peer), exitAfter: released },
        onFailure: (_, report) => void router?.fail({ report, exit: exitCodeOf(report), origin: me }),
      });
      return Object.assign(started, { channels });
    },
  });
  if (typeof checked === "number") return checked;
  const { compiled, metrics, host, load } = checked;
  const workersPerProcess = place.workers ?? compiled.workers ?? 1;
  const threads = await checked.threads(workersPerProcess);
  const workerCount = workersPerProcess * addresses.length;
  const own = workersOfProcess(procId, workersPerProcess);
  const epoch = epochSetting(options.epochLength !== undefined ? new PeriodicEpochConfig(options.epochLength) : compiled.epochConfig);
  const recoveryConfig = runRecoveryConfig(options.recoveryDir, compiled);
  const hello = helloOf(procId, addresses, workersPerProcess, definitionText(compiled), {
    epochLength: epoch.type === "testing" ? "testing" : epoch.length,
    recovery: recoveryConfig?.type,
    settings: { "--fresh": options.fresh ? "yes" : "no" },
  });

  const connectTimeoutMs = options.connectTimeoutMs ?? place.connectTimeoutMs;
  say(`${me}, one of ${addresses.length}: connecting to the others (for at most ${connectTimeoutMs / 1000} s)`);
  let failed!: (failure: ClusterFailure) => void;
  const remoteFailure = new Promise<ClusterFailure>((resolveFailure) => (failed = resolveFailure));
  try {
    const peers = await connectMesh({ addresses, procId, hello, connectTimeoutMs });
    const layout = { procId, procCount: addresses.length, workersPerProcess, name: me };
    const events = {
      onFailure: failed,
      onStop: () => {
        if (stopped) return;
        stopped = true;
        say("another process was asked to stop: stopping at the next epoch boundary");
        run?.stop();
      },
    };
    router = new Router(peers, layout, events, threads.channels, { peerTimeoutMs: options.peerTimeoutMs });
  } catch (error) {
    await checked.cancel();
    const failure = failureOf(error, me);
    say(describeFailure(failure, me));
    return exitOf(failure);
  }

  let startEpoch = 0;
  let recovery: RecoverySetting | undefined;
  if (recoveryConfig) {
    try {
      await load(connectorsUsed(compiled.flow, recoveryConfig.type));
      const prepared = await prepareProcessStore(recoveryConfig, compiled.flow, { procId, cluster: clusterTag(hello.flow, addresses), own, workerCount, fresh: options.fresh === true }, router, host, say);
      ({ startEpoch, lock } = prepared);
      recovery = prepared.setting;
    } catch (error) {
      // A refusal is the same in every process (the same decision on the same summaries); a failure elsewhere is theirs.
      const failure = failureOf(error, me, EXIT.RECOVERY);
      say(error instanceof ClusterFailedError ? describeFailure(failure, me) : recoveryRefusal(failure.report));
      await Promise.all([router.fail(failure), checked.cancel()]);
      return exitOf(failure);
    }
  }

  const workers = own.length === 1 ? `worker ${own[0]}` : `workers ${own[0]} to ${own.at(-1)}`;
  say(`running ${file} as ${me}: ${workers} of ${workerCount} on threads, ${describeRun(epoch, recovery, startEpoch, metrics)}`);

  const cluster = router;
  run = threads.go({
    epoch,
    recovery,
    startEpoch,
    onStarted: options.verbose ? (workerIndex, threadId) => say(`worker ${workerIndex} started on thread ${threadId}`) : undefined,
  });
  if (stopped) run.stop();

  const outcome = await Promise.race([run.outcome, remoteFailure.then((failure) => ({ kind: "remote" as const, failure }))]);
  try {
    if (outcome.kind === "remote") {
      say(describeFailure(outcome.failure, me));
      await Promise.all([run.terminate(), cluster.leave()]);
      return exitOf(outcome.failure);
    }
    if (outcome.kind === "failed") {
      metrics?.failed(outcome.workerIndex, outcome.error.code ?? "none");
      const failure: ClusterFailure = { report: outcome.error, exit: exitCodeOf(outcome.error), origin: me };
      say(describeFailure(failure, me));
      // Told already (onFailure), unless the thread failed before the processes were connected: then now.
      await cluster.fail(failure);
      return exitOf(failure);
    }
    if (outcome.kind === "stuck") {
      sayStuck(outcome.diagnoses);
      await cluster.fail(failureWith(me, EXIT.INTERRUPTED, `${me} was stopped while a worker was stuck in a call; the run was ended`));
      return EXIT.INTERRUPTED;
    }
    // Every worker here is done: wait for every other process (the final barrier), then leave.
    try {
      await cluster.finish();
    } catch (error) {
      const failure = failureOf(error, me);
      say(describeFailure(failure, me));
      return exitOf(failure);
    }
    if (stopped || outcome.stopped) {
      say(recovery ? "stopped at an epoch boundary; run the cluster again with the same recovery directories to continue" : "stopped (without recovery, a new run starts over)");
      return EXIT.INTERRUPTED;
    }
    return EXIT.OK;
  } finally {
    runEnded = true;
    release();
    lock?.release();
    await metrics?.close();
  }
}

/** What the processes compare: the flow file's definition (paths as written), or the compiled flow when the text is not JSON. */
function definitionText(compiled: CompiledFlowFile): string {
  try {
    return flowDefinitionText(JSON.parse(compiled.text));
  } catch {
    return blueprintText(compiled.flow);
  }
}
