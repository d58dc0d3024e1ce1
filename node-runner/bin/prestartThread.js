/**
 * The bin's start of the first worker thread (node-runner/threads/prestart.ts explains why a
 * thread starts before its command knows the flow): as soon as the build is known to be fresh, the
 * bin starts threadMain.cjs of that build for `eddy run` (without -n) and `eddy cluster`, before
 * it loads the runner itself, and leaves it under a registered symbol, where the runner's
 * prestart.ts takes it. The rule for which commands run threads is prestart.ts's `startsThreads`;
 * a difference would only start a thread nobody takes (unreferenced, it ends with the process) or
 * leave the runner to start its own.
 *
 * ```js
 * prestartThread(process.argv.slice(2)); // then import the runner: it takes the thread
 * ```
 */

import { BUNDLE_DIR, requireBuiltin } from "./runnerPaths.js";

/** Where the thread is left for prestart.ts: `{ worker, failed }` (failed: it errored or ended before it was taken). */
export const PRESTARTED_THREAD = Symbol.for("eddy.prestartedThread");

/** Starts the first worker thread of `eddy run` and `eddy cluster` (`args`: the command line without node and the script). */
export function prestartThread(args) {
  const runs = args[0] === "cluster" || (args[0] === "run" && !args.some((arg) => /^(-n|--processes)(=|$)|^-n\d/.test(arg)));
  if (!runs) return;
  // Loaded only to start a thread: node:worker_threads costs milliseconds that other commands do not spend.
  const { Worker } = requireBuiltin("node:worker_threads");
  const { join } = requireBuiltin("node:path");
  let worker;
  try {
    worker = new Worker(join(BUNDLE_DIR, "threadMain.cjs"), { workerData: { prestarted: true }, stdout: false, stderr: false });
  } catch {
    return;
  }
  worker.unref();
  const handoff = { worker, failed: false };
  const discard = () => void (handoff.failed = true);
  worker.once("error", discard);
  worker.once("exit", discard);
  globalThis[PRESTARTED_THREAD] = handoff;
}
