/**
 * The entry points a behaviour is checked across (Bytewax's test_execution.py pattern): `runMain`,
 * and `clusterMain` with 2 and 4 workers in this process. With a `clock`, the same runs go through
 * `execute`, which is what the public functions call, so that time can be simulated.
 */

import type { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { EpochConfig } from "../../engine/configs/epochs.js";
import { clusterMain, runMain } from "../../engine/api/execution.js";
import { execute } from "../../engine/runtime/execute.js";
import { ManualInputConfig } from "../../engine/configs/inputs.js";
import type { HostChanges } from "../../engine/host/index.js";
import { testHost } from "./host.js";

export interface RunOptions {
  epochConfig?: EpochConfig;
  host?: HostChanges;
}

export interface EntryPoint {
  readonly name: string;
  readonly workers: number;
  run(flow: Dataflow, options?: RunOptions): Promise<void>;
  /** The error user code threw, from what this entry point rejected with. */
  original(error: unknown): unknown;
}

function entry(workers: number): EntryPoint {
  const isMain = workers === 1;
  return {
    name: isMain ? "runMain" : `clusterMain with ${workers} workers`,
    workers,
    run(flow, options = {}) {
      if (options.host) {
        return execute(flow, { workerCount: workers, epochConfig: options.epochConfig, errors: isMain ? "original" : "wrapped", host: testHost(options.host) });
      }
      return isMain
        ? runMain(flow, { ...(options.epochConfig && { epochConfig: options.epochConfig }) })
        : clusterMain(flow, [], 0, { workerCountPerProc: workers, ...(options.epochConfig && { epochConfig: options.epochConfig }) });
    },
    original(error) {
      return isMain ? error : (error as Error).cause;
    },
  };
}

export const ENTRY_POINTS: readonly EntryPoint[] = [entry(1), entry(2), entry(4)];

/** Entry points by worker count, for property tests over 1..4 workers. */
export function entryPointFor(workers: number): EntryPoint {
  return entry(workers);
}

/** Items in a canonical order, for comparing multisets across worker counts. */
export function sorted<T>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Awaits `promise` and returns what it rejected with; fails if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the run to fail, but it finished");
}

/**
 * All items from worker 0, in order (other workers read nothing). The exchange still routes them
 * to their owners, and per-key order is kept, so order-sensitive results match on any worker count.
 * The resume state is the number of items already emitted.
 */
export function fromWorkerZero(items: readonly unknown[]): ManualInputConfig {
  return new ManualInputConfig((workerIndex, _count, resumeState) => {
    if (workerIndex !== 0) return [];
    const start = typeof resumeState === "number" ? resumeState : 0;
    return items.slice(start).map((item, i) => [start + i + 1, item]);
  });
}
