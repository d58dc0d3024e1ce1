/**
 * The runner's flow files run by `runMain` in this process: the same file as the `runner`
 * contender's (bench/flows.ts), compiled with `eddy/flow` and run on one worker in this thread. Its
 * time against the runner's, once the runner's start-up is subtracted, is what `eddy run` costs
 * beyond the flow itself (worker thread, standard error through the main thread, the vm context).
 *
 * The flow's capture prints the running checksum with `console.log`; here each function is
 * compiled with a `console` of its own that keeps the last sum instead of printing it (standard
 * output carries the result line).
 */

import { compileFlow, type FunctionCompiler } from "eddy/flow";
import { runMain } from "eddy/execution";
import { flowFile } from "./flows.js";
import { SUM_TAG, type Workload } from "./workloads.js";

/** Runs `workload` over `n` items; the time covers `runMain` only, as for the `eddy` contender. */
export async function runFlowMain(workload: Workload, n: number): Promise<{ checksum: number; seconds: number }> {
  let checksum = 0;
  const console = {
    log(text: string) {
      const match = new RegExp(`^${SUM_TAG} \\d+ (\\d+)$`).exec(String(text));
      if (match) checksum = Number(match[1]);
    },
  };
  const compileFunction: FunctionCompiler = (source) => new Function("console", `"use strict"; return (${source}\n);`)(console) as (...args: unknown[]) => unknown;
  const { flow } = compileFlow(JSON.parse(flowFile(workload, n)), { compileFunction });
  const started = performance.now();
  await runMain(flow);
  return { checksum, seconds: (performance.now() - started) / 1000 };
}
