/**
 * Running the processes of a cluster for the tests of test/cluster/: `eddy cluster` processes on
 * free ports of 127.0.0.1, and the program runFlowFile.ts (the Node entry of `eddy/execution`: runMain,
 * clusterMain, spawnCluster). Every process has a hard timeout and is SIGKILLed by its PID; each
 * result carries when its process ended, to compare exit times.
 */

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freeLocalAddresses } from "../../node-runner/cluster/localProcesses.js";
import { lmdbPartition } from "../../node-runner/recovery/fileStore.js";
import { expect } from "vitest";
import { eddy, filesIn, fixtureCopy, lines, runNode, type CliOptions, type CliResult } from "../runner/cli.js";

export const RUN_FLOW_FILE = join(dirname(fileURLToPath(import.meta.url)), "fixtures/runFlowFile.ts");

export interface Ended extends CliResult {
  /** performance.now() when the process ended. */
  readonly endedAt: number;
}

function ended(result: Promise<CliResult>): Promise<Ended> {
  return result.then((value) => ({ ...value, endedAt: performance.now() }));
}

/** `-a` for every address. */
export function addressArgs(addresses: readonly string[]): string[] {
  return addresses.flatMap((address) => ["-a", address]);
}

/** Every process of an `eddy cluster` on fresh addresses: `args(procId)` are the arguments after `cluster FLOW`. */
export async function eddyCluster(flow: string, procCount: number, args: (procId: number, addresses: readonly string[]) => string[], options: (procId: number) => CliOptions = () => ({})): Promise<Ended[]> {
  const addresses = await freeLocalAddresses(procCount);
  return Promise.all(Array.from({ length: procCount }, (_, procId) => ended(eddy(["cluster", flow, "-p", String(procId), ...addressArgs(addresses), ...args(procId, addresses)], { timeoutMs: 90_000, ...options(procId) }))));
}

/** runFlowFile.ts in `tcp` mode for every process of a cluster of `procCount` × `workers`. */
export async function apiCluster(flow: string, procCount: number, workers: number, options: (procId: number) => CliOptions = () => ({})): Promise<Ended[]> {
  const addresses = await freeLocalAddresses(procCount);
  return Promise.all(Array.from({ length: procCount }, (_, procId) => ended(runNode([RUN_FLOW_FILE, flow, "tcp", String(workers), String(procId), ...addresses], { timeoutMs: 90_000, ...options(procId) }))));
}

/** runFlowFile.ts in one of its other modes (main, local W, spawn P W). */
export function apiRun(flow: string, mode: readonly string[], options: CliOptions = {}): Promise<Ended> {
  return ended(runNode([RUN_FLOW_FILE, flow, ...mode], { timeoutMs: 90_000, ...options }));
}

/** Sorted lines: what the processes printed and every line of the files in `outDir`. */
export function outputOf(results: readonly CliResult[], outDir: string): string[] {
  const written = [...filesIn(outDir, /./).values()].flatMap(lines);
  return [...results.flatMap((result) => lines(result.stdout)), ...written].sort();
}

export function describeAll(results: readonly CliResult[]): string {
  return results.map((result, i) => `--- process ${i}: exit ${result.code ?? result.signal}${result.timedOut ? " (TIMED OUT)" : ""} after ${result.ms.toFixed(0)} ms\n${result.stderr}`).join("\n");
}

/**
 * The lowest durable frontier of the partitions `indexes` in the file store `dir`, read while the
 * run writes (read-only, in a read transaction): 0 while one is missing or has none.
 */
export async function durableFrontier(dir: string, indexes: readonly number[]): Promise<number> {
  let lowest = Infinity;
  for (const index of indexes) {
    const path = join(dir, `worker-${index}.mdb`);
    if (!existsSync(path)) return 0;
    try {
      const partition = await lmdbPartition(path, { readOnly: true });
      try {
        lowest = Math.min(lowest, (await partition.load())?.frontier ?? 0);
      } finally {
        await partition.close();
      }
    } catch {
      return 0;
    }
  }
  return lowest;
}

/** The items of paced-sum-generated (test/runner/fixtures), and its keys. */
export const PACED_ITEMS = 16_000;
const PACED_KEYS = 16;

/**
 * paced-sum-generated: a running sum per key into out/sums.<worker>.jsonl, in a fresh directory;
 * `endless` never ends (only a signal or a kill ends its run, whatever the machine's speed), `ending` does.
 */
export function pacedSum(): { endless: string; ending: string; dir: string } {
  const template = fixtureCopy("paced-sum-generated");
  const dir = dirname(template);
  const text = readFileSync(template, "utf8");
  writeFileSync(join(dir, "endless.json"), text.replace("__ENDS__", "false"));
  writeFileSync(join(dir, "ending.json"), text.replace("__ENDS__", "true"));
  return { endless: join(dir, "endless.json"), ending: join(dir, "ending.json"), dir };
}

/** The lines of the output files under `dir`/out, sorted. */
export function writtenLines(dir: string): string[] {
  return [...filesIn(join(dir, "out"), /\.jsonl$/).values()].flatMap(lines).sort();
}

/** The output files under `dir`/out hold what an uninterrupted run writes: every running sum, once. */
export function expectExactlyOnce(dir: string): void {
  const sums = new Map<string, { sum: number; count: number }>();
  const expected = Array.from({ length: PACED_ITEMS }, (_, seq) => {
    const key = `k${seq % PACED_KEYS}`;
    const state = sums.get(key) ?? { sum: 0, count: 0 };
    const next = { sum: state.sum + ((seq * 7919) % 97) + 1, count: state.count + 1 };
    sums.set(key, next);
    return JSON.stringify([key, { seq, ...next }]);
  }).sort();
  const written = writtenLines(dir);
  expect(written.filter((line, i) => i > 0 && written[i - 1] === line).slice(0, 5), "records written twice").toEqual([]);
  expect(written).toEqual(expected);
}
