/**
 * Preloaded into the runner's process (`node --import dist/bench/rssHook.js node-runner/bin/eddy.js
 * run ...`): when the process exits, writes its peak resident set size (all threads) to standard
 * error as `eddy-bench-maxrss <kB>`, for the harness to read. Nothing else changes.
 */

import { writeSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { MAXRSS_TAG } from "./workloads.js";

// Worker threads inherit --import: only the main thread reports (maxRSS is the whole process's).
if (isMainThread) {
  process.on("exit", () => {
    writeSync(2, `\n${MAXRSS_TAG} ${process.resourceUsage().maxRSS}\n`);
  });
}
