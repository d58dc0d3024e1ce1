/**
 * Word count: reads a text file, splits it into words and counts each word.
 *
 *   npx tsx examples/wordcount.ts [-w WORKERS] [FILE]
 *
 * The count is a `reduceWindow` over a one-hour tumbling window of system time, as in Bytewax's own
 * wordcount example: the file is read in well under an hour, so every count lands in one window,
 * which closes at the end of input and emits each word's total.
 */

import { readFileSync } from "node:fs";
import { Dataflow } from "eddy/dataflow";
import { clusterMain } from "eddy/execution";
import { TestingInputConfig } from "eddy/inputs";
import { StdOutputConfig } from "eddy/outputs";
import { clusterArgs } from "eddy/parse";
import { SystemClockConfig, TumblingWindowConfig } from "eddy/window";

const argv = process.argv.slice(2);
const file = argv.find((arg, i) => !arg.startsWith("-") && !argv[i - 1]?.startsWith("-")) ?? new URL("data/wordcount.txt", import.meta.url).pathname;
const { workerCountPerProc } = clusterArgs(argv.filter((arg) => arg !== file));

const lines = readFileSync(file, "utf8").split("\n");

const flow = new Dataflow()
  .input("lines", new TestingInputConfig(lines))
  .map((line: string) => line.toLowerCase())
  .flatMap((line: string) => line.split(/[^a-z']+/).filter((word) => word.length > 0))
  .map((word: string) => [word, 1])
  .reduceWindow("count", new SystemClockConfig(), new TumblingWindowConfig(3_600_000), (total: number, one: number) => total + one)
  .map(([word, count]: [string, number]) => `${word}: ${count}`)
  .capture(new StdOutputConfig());

await clusterMain(flow, [], 0, { workerCountPerProc });
