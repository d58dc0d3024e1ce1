/**
 * A worker thread started at once: `eddy run` and `eddy cluster` start their first worker thread
 * as soon as the command line says they will run threads, before the command's code is loaded and
 * the flow file read. Starting a thread (Node's own start in it, then loading threadMain) is the
 * longest part of a run's start-up; started here it overlaps everything the main thread does
 * before it could start threads. The thread waits, unreferenced (it keeps no process alive), until
 * `startThreads` takes it and sends its setup (threads/threadMain.ts); one that is never taken (a
 * refused command, `--help`) ends with the process. Only from a build: from the TypeScript
 * sources threads start as before (threadEntry.ts). The `eddy` bin starts it earlier still, before
 * it loads the runner (node-runner/bin/prestartThread.js), and leaves it under a registered symbol:
 * `prestartThread` takes that one when it is there and usable.
 *
 * ```ts
 * if (startsThreads(process.argv.slice(2))) prestartThread();
 * // later, in startThreads:
 * const worker = takePrestartedThread(); // or undefined: start one now
 * ```
 */

import { Worker } from "node:worker_threads";
import type { ThreadData } from "./messages.js";
import { builtThreadModule } from "./threadEntry.js";

let waiting: Worker | undefined;

/** Where the bin leaves the thread it started: `{ worker, failed }` (node-runner/bin/prestartThread.js). */
const FROM_THE_BIN = Symbol.for("eddy.prestartedThread");

/** Whether the command line (without node and the script) runs worker threads in this process: `run` (not `-n`), `cluster`. */
export function startsThreads(args: readonly string[]): boolean {
  if (args[0] === "cluster") return true;
  return args[0] === "run" && !args.some((arg) => /^(-n|--processes)(=|$)|^-n\d/.test(arg));
}

/** Starts one worker thread now, or takes the one the bin started, to be taken by the first `startThreads` (once; nothing when threads cannot start this way). */
export function prestartThread(): void {
  const url = builtThreadModule();
  if (waiting !== undefined || url === undefined) return;
  const global = globalThis as { [FROM_THE_BIN]?: { readonly worker: Worker; readonly failed: boolean } };
  const fromTheBin = global[FROM_THE_BIN];
  delete global[FROM_THE_BIN];
  let worker: Worker;
  if (fromTheBin !== undefined && !fromTheBin.failed) {
    worker = fromTheBin.worker;
  } else {
    try {
      const data: ThreadData = { prestarted: true };
      worker = new Worker(url, { workerData: data, stdout: false, stderr: false });
    } catch {
      return;
    }
    worker.unref();
  }
  // A thread that failed or ended before it was taken is not used (its error is not this run's).
  const discard = () => {
    if (waiting === worker) waiting = undefined;
  };
  worker.once("error", discard);
  worker.once("exit", discard);
  waiting = worker;
}

/** The prestarted thread, referenced again (now the run's), or undefined; each is taken once. */
export function takePrestartedThread(): Worker | undefined {
  const worker = waiting;
  waiting = undefined;
  worker?.ref();
  return worker;
}
