/** The keyed running sum workload: `statefulMap` over 10,000 keys, every update emitted. */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dataflow } from "../engine/dataflow/dataflow.js";
import { PeriodicEpochConfig } from "../engine/configs/epochs.js";
import { TestingInputConfig } from "../engine/configs/inputs.js";
import { ManualOutputConfig } from "../engine/configs/outputs.js";
import { FileRecoveryConfig } from "../engine/configs/recovery.js";
import { runMain } from "../node-runner/entries/execution.js";
import { seededRandom } from "./data.js";

/** `count` items over `keys` keys, drawn from a pool of at most a million distinct pairs (to bound memory). */
export function keyedItems(count: number, keys = 10_000, seed = 7): [string, number][] {
  const random = seededRandom(seed);
  const names = Array.from({ length: keys }, (_, i) => `key${i}`);
  const pool = Array.from({ length: Math.min(count, 1_000_000) }, (): [string, number] => [names[Math.floor(random() * keys)]!, Math.floor(random() * 100)]);
  return Array.from({ length: count }, (_, i) => pool[i % pool.length]!);
}

/** Returns a checksum: the sum of every emitted running sum, modulo 2^32. */
export async function eddyKeyedSum(items: readonly [string, number][], withRecovery: boolean): Promise<number> {
  let checksum = 0;
  const flow = new Dataflow()
    .input("items", new TestingInputConfig(items))
    .statefulMap("sum", () => 0, (sum: number, value: number) => [sum + value, sum + value])
    .capture(new ManualOutputConfig(() => ([, sum]: [string, number]) => {
      checksum = (checksum + sum) >>> 0;
    }));
  const dir = withRecovery ? mkdtempSync(join(tmpdir(), "eddy-bench-")) : undefined;
  try {
    await runMain(flow, { epochConfig: new PeriodicEpochConfig(1000), ...(dir && { recoveryConfig: new FileRecoveryConfig(dir) }) });
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  return checksum;
}

export function handKeyedSum(items: readonly [string, number][]): number {
  const sums = new Map<string, number>();
  let checksum = 0;
  for (const [key, value] of items) {
    const sum = (sums.get(key) ?? 0) + value;
    sums.set(key, sum);
    checksum = (checksum + sum) >>> 0;
  }
  return checksum;
}
