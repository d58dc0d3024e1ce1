/**
 * `runWorker` runs one worker of a larger run, as each thread of the runner does. Several of them,
 * each with its own scheduler, over one transport, must behave exactly like `clusterMain`.
 */

import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { clusterMain, testHost } from "../helpers/host.js";
import { InMemoryTransport } from "../../engine/ports/transport.js";
import { openRecoveryStore } from "../../engine/host/index.js";
import { prepareRecovery } from "../../engine/runtime/recoveryStart.js";
import { runWorker } from "../../engine/runtime/workerHost.js";
import { rejectionOf, sorted } from "../helpers/entryPoints.js";

const words = "the quick brown fox jumps over the lazy dog and the dog sleeps".split(" ");
const countWords = (out: unknown[], failOn?: string) =>
  new Dataflow()
    .input("words", new TestingInputConfig(words))
    .map((word: string) => {
      if (word === failOn) throw new Error(`bad word ${word}`);
      return [word, 1];
    })
    .statefulMap("count", () => 0, (n: number) => [n + 1, n + 1])
    .capture(new TestingOutputConfig(out));

async function runSeparately(flow: Dataflow, workerCount: number, recoveryConfig?: MemoryRecoveryConfig): Promise<void> {
  const transport = new InMemoryTransport(workerCount);
  const startEpoch = recoveryConfig ? await prepareRecovery(openRecoveryStore(testHost(), recoveryConfig), flow, workerCount) : 0;
  await Promise.all(
    Array.from({ length: workerCount }, (_, workerIndex) =>
      runWorker(flow, { workerIndex, workerCount, transport, epochConfig: new TestingEpochConfig(), recoveryConfig, startEpoch }),
    ),
  );
}

describe("workers run one by one with runWorker", () => {
  it("give the same output as clusterMain", async () => {
    const expected: unknown[] = [];
    await clusterMain(countWords(expected), [], 0, { workerCountPerProc: 3, epochConfig: new TestingEpochConfig() });
    const out: unknown[] = [];
    await runSeparately(countWords(out), 3);
    expect(sorted(out)).toEqual(sorted(expected));
  });

  it("resume from a shared store like clusterMain", async () => {
    const recoveryConfig = new MemoryRecoveryConfig();
    const crashed: unknown[] = [];
    await rejectionOf(runSeparately(countWords(crashed, "dog"), 2, recoveryConfig));
    const resumed: unknown[] = [];
    await runSeparately(countWords(resumed), 2, recoveryConfig);
    const final = new Map<string, number>();
    for (const [word, n] of [...crashed, ...resumed] as [string, number][]) final.set(word, Math.max(final.get(word) ?? 0, n));
    expect(final.get("the")).toBe(3);
    expect(final.get("dog")).toBe(2);
  });
});
