/**
 * `spawnCluster(flow, { procCount, workerCountPerProc, ... })` in Node, the way Node's `cluster`
 * module works: the parent re-runs the same entry script (`process.execPath`, `process.execArgv`,
 * `process.argv.slice(1)`) `procCount` times, with the process id and every address in the
 * environment (EDDY_PROCESS_ID, EDDY_ADDRESSES, EDDY_WORKERS_PER_PROCESS, as `procEnv` reads them,
 * and EDDY_SPAWNED_BY, the parent's pid). The script builds its flow again (a flow file is read
 * again from its path: nothing is serialized), and in a child the same call runs `clusterMain` for
 * that process, then ends the child: the code after `spawnCluster` runs in the parent only.
 *
 * The parent forwards SIGINT and SIGTERM to its children (they share a file store's directory and
 * its lock), and resolves when every child finished; it rejects when one failed, with its message
 * (worker, step, original message, process), or when one was killed.
 */

import { spawn } from "node:child_process";
import { EddyError, isErrorCode, preview, type Blueprint } from "../../engine/host/index.js";
import { exitCodeOf, reportError, type ErrorReport } from "../errors/report.js";
import { procEnv } from "../entries/parse.js";
import { ClusterFailedError } from "./failures.js";
import { describeChildEnd } from "./spawnLocal.js";
import { describingExit, freeLocalAddresses, LocalProcesses } from "./localProcesses.js";
import { checkPeerTimeout } from "./liveness.js";
import type { TcpClusterOptions } from "./clusterMain.js";

export interface SpawnClusterOptions extends TcpClusterOptions {
  readonly procCount?: number | undefined;
}

type ClusterMain = (flow: Blueprint, addresses: readonly string[], procId: number, options: TcpClusterOptions) => Promise<void>;

/** Whether this process is a child that `spawnCluster` started (its parent's pid is the one it was given). */
function isSpawnedChild(): boolean {
  return process.env["EDDY_SPAWNED_BY"] === String(process.ppid) && process.channel !== undefined;
}

export async function spawnCluster(flow: Blueprint, options: SpawnClusterOptions, clusterMain: ClusterMain): Promise<void> {
  if (isSpawnedChild()) return runChild(flow, options, clusterMain);
  const procCount = options.procCount ?? 1;
  const workersPerProcess = options.workerCountPerProc ?? 1;
  for (const [name, value] of [["procCount", procCount], ["workerCountPerProc", workersPerProcess]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new EddyError("CONFIG_INVALID", `${name} must be a positive integer; got ${preview(value)}`);
  }
  checkPeerTimeout(options.peerTimeoutMs);
  const script = process.argv[1];
  if (script === undefined) throw new EddyError("NOT_SUPPORTED", "spawnCluster re-runs this process's entry script, and this process has none (node -e, a REPL)");
  const addresses = await freeLocalAddresses(procCount);
  const processes = new LocalProcesses(procCount, (procId) =>
    spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: {
        ...process.env,
        EDDY_PROCESS_ID: String(procId),
        EDDY_ADDRESSES: addresses.join(";"),
        EDDY_WORKERS_PER_PROCESS: String(workersPerProcess),
        EDDY_SPAWNED_BY: String(process.pid),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      detached: true,
    }),
  );
  const forward = (signal: NodeJS.Signals) => processes.signal(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const exits = await processes.exits.finally(() => {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
  });
  const describing = describingExit(exits);
  if (describing === undefined) return;
  if (describing.report) throw errorOf(describing.report);
  throw new EddyError("CLUSTER_PROCESS_FAILED", `spawnCluster: ${describeChildEnd(describing)} without reporting an error`);
}

/** In a child: this process's part, then the end of the child (its exit code is the failure's). */
async function runChild(flow: Blueprint, options: SpawnClusterOptions, clusterMain: ClusterMain): Promise<never> {
  const { procId, addresses, workerCountPerProc } = procEnv(process.env);
  process.channel?.unref();
  // The parent is gone: stop (its children must not outlive it).
  process.on("disconnect", () => process.exit(5));
  try {
    await clusterMain(flow, addresses, procId, { ...options, workerCountPerProc });
  } catch (error) {
    const report = reportError(error);
    await new Promise<void>((resolve) => process.send!({ type: "failed", report }, () => resolve()));
    process.exit((error instanceof ClusterFailedError ? error.failure.exit : exitCodeOf(report)) || 1);
  }
  process.exit(0);
}

/** The child's error, as the parent rejects with it. */
function errorOf(report: ErrorReport): Error {
  const error = new EddyError(isErrorCode(report.code) ? report.code : "WORKER_FAILED", report.message);
  return Object.assign(error, { report });
}
