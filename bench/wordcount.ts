/** The word count workload: Eddy (one and four workers in this process) and a hand-written loop. */

import { Dataflow } from "../engine/dataflow/dataflow.js";
import { clusterMain } from "../engine/api/execution.js";
import { TestingInputConfig } from "../engine/configs/inputs.js";
import { ManualOutputConfig } from "../engine/configs/outputs.js";
import { SystemClockConfig, TumblingWindowConfig } from "../engine/configs/window.js";

/** Returns a checksum: the sum over words of count × (length of word), order-free. */
export async function eddyWordCount(lines: readonly string[], workers: number): Promise<number> {
  let checksum = 0;
  const flow = new Dataflow()
    .input("lines", new TestingInputConfig(lines))
    .flatMap((line: string) => line.split(" "))
    .map((word: string) => [word, 1])
    .reduceWindow("count", new SystemClockConfig(), new TumblingWindowConfig(3_600_000), (a: number, b: number) => a + b)
    .capture(new ManualOutputConfig(() => ([word, count]: [string, number]) => {
      checksum += count * word.length;
    }));
  await clusterMain(flow, [], 0, { workerCountPerProc: workers });
  return checksum;
}

/** The practical limit: one loop, one Map. */
export function handWordCount(lines: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const word of line.split(" ")) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  let checksum = 0;
  for (const [word, count] of counts) checksum += count * word.length;
  return checksum;
}
