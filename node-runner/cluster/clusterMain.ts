/**
 * `clusterMain(flow, addresses, procId, options)` with addresses, in Node: process `procId` of a TCP
 * cluster, whose workers `procId * workerCountPerProc` to the next process's first run in this
 * thread (flow functions are closures: they cannot go to worker threads). The steps are those of
 * `eddy cluster` (commands/cluster.ts): connect and shake hands, decide recovery together, run,
 * then the final barrier. A failure anywhere rejects every process's promise: here with a
 * WorkerFailedError whose `cause` is the original error, elsewhere with a ClusterFailedError naming
 * the worker, the step, the original message and the process. While it runs, a first SIGINT or
 * SIGTERM stops every process of the cluster at one epoch boundary (the promise then resolves); a
 * second one ends the process as Node would.
 */

import {
  DEFAULT_WINDOW,
  EddyError,
  FileRecoveryConfig,
  StopSignal,
  WorkerFailedError,
  WorkerFailure,
  blueprintText,
  epochPolicyOf,
  errorContext,
  openRecoveryStore,
  openWorkerRecovery,
  planDataflow,
  preview,
  runPart,
  workersOfProcess,
  type Blueprint,
  type EpochConfig,
  type Host,
  type RecoveryConfig,
  type StoreLease,
  type WorkerRecovery,
} from "../../engine/host/index.js";
import { exitCodeOf, reportError } from "../errors/report.js";
import { prepareClusterRecovery } from "./clusterRecovery.js";
import { connectMesh } from "./connectMesh.js";
import { ClusterFailedError, failureOf, type ClusterFailure } from "./failures.js";
import { helloOf, processName } from "./handshake.js";
import { lockStoreDir } from "../recovery/storeLock.js";
import { clusterTag } from "./processStore.js";
import { ProcessTransport } from "./processTransport.js";
import { Router } from "./router.js";
import { checkPeerTimeout } from "./liveness.js";

export interface TcpClusterOptions {
  readonly epochConfig?: EpochConfig | undefined;
  readonly recoveryConfig?: RecoveryConfig | undefined;
  readonly workerCountPerProc?: number | undefined;
  /** How long connecting to every other process may take in all (default 30 s). */
  readonly connectTimeoutMs?: number | undefined;
  /** How long another process may say nothing before the cluster stops (liveness.ts; default 10 s). */
  readonly peerTimeoutMs?: number | undefined;
}

export async function tcpClusterMain(flow: Blueprint, addresses: readonly string[], procId: number, options: TcpClusterOptions, host: Host): Promise<void> {
  const workersPerProcess = options.workerCountPerProc ?? 1;
  if (!Number.isSafeInteger(workersPerProcess) || workersPerProcess < 1) {
    throw new EddyError("CONFIG_INVALID", `workerCountPerProc must be a positive integer; got ${preview(workersPerProcess)}`);
  }
  checkPeerTimeout(options.peerTimeoutMs);
  // A flow or an epoch config that cannot run fails here, before any connection.
  const plan = planDataflow(flow);
  const epochPolicy = epochPolicyOf(options.epochConfig);
  const me = processName(procId, addresses[procId]);
  const workerCount = workersPerProcess * addresses.length;
  const own = workersOfProcess(procId, workersPerProcess);
  const hello = helloOf(procId, addresses, workersPerProcess, blueprintText(flow), {
    epochLength: epochPolicy.kind === "testing" ? "testing" : epochPolicy.length,
    recovery: options.recoveryConfig?.type,
  });

  const peers = await connectMesh({ addresses, procId, hello, connectTimeoutMs: options.connectTimeoutMs });
  const stop = new StopSignal();
  let transport: ProcessTransport | undefined;
  let remote: ClusterFailure | undefined;
  const router = new Router(peers, { procId, procCount: addresses.length, workersPerProcess, name: me }, {
    onFailure: (failure) => {
      remote = failure;
      transport?.fail(new ClusterFailedError(failure));
    },
    onStop: () => stop.request(),
  }, undefined, { peerTimeoutMs: options.peerTimeoutMs });
  const signals = stopOnSignals(stop, router, host);
  let lease: StoreLease | undefined;
  const recoveries: WorkerRecovery[] = [];
  try {
    let startEpoch = 0;
    if (options.recoveryConfig) {
      const store = openRecoveryStore(host, options.recoveryConfig);
      const config = options.recoveryConfig;
      if (config instanceof FileRecoveryConfig) {
        const held = lockStoreDir(config.dbDir, { cluster: clusterTag(hello.flow, addresses) });
        lease = { release: async () => held.release() };
      } else {
        lease = await store.lock();
      }
      startEpoch = await prepareClusterRecovery(store, flow, own, workerCount, router);
      for (const index of own) recoveries.push(await openWorkerRecovery(store, flow, index, workerCount, startEpoch));
    }
    transport = new ProcessTransport(own, workerCount, (worker, peer) => router.portFor(worker, peer), DEFAULT_WINDOW, host.codeGeneration, host.generateFunction);
    if (remote) transport.fail(new ClusterFailedError(remote));
    await runPart(plan, { workers: own, transport, wakeOnArrival: true, epochPolicy, startEpoch, host, recoveries, stop });
    await router.finish();
  } catch (error) {
    throw await failed(error, router, me);
  } finally {
    signals.remove();
    transport?.close();
    await Promise.allSettled(recoveries.map((recovery) => recovery.writer.close()));
    await lease?.release();
  }
}

/** Tells every other process (unless the failure came from one), and returns what the promise rejects with. */
async function failed(error: unknown, router: Router, me: string): Promise<unknown> {
  const thrown = error instanceof WorkerFailure ? error.error : error;
  if (thrown instanceof ClusterFailedError) {
    await router.leave();
    return thrown;
  }
  if (error instanceof WorkerFailure) {
    const report = reportError(error.error, error.workerIndex);
    await router.fail({ report, exit: exitCodeOf(report), origin: me });
    return new WorkerFailedError(error.workerIndex, errorContext(error.error), error.error);
  }
  await router.fail(failureOf(error, me));
  return error;
}

/** A first SIGINT or SIGTERM stops the cluster at an epoch boundary; a second one does what it would without Eddy. */
function stopOnSignals(stop: StopSignal, router: Router, host: Host): { remove(): void } {
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.requested) {
      host.log(`eddy: ${signal}: stopping every process of the cluster at the next epoch boundary (send it again to end this process)\n`);
      stop.request();
      router.stop();
      return;
    }
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return { remove };
}
