/**
 * The scheduler: one loop per thread that drives the workers living in that thread, round-robin,
 * in a fixed order (so runs with testing epochs are deterministic). When no worker has work, it
 * sleeps until the next deadline (a window wake-up, a periodic epoch end, a source retry) or
 * until something wakes it (an async input, a message from another thread). While busy it still
 * lets the host run its own tasks every few milliseconds.
 */

import type { Clock } from "../ports/clock.js";
import type { Worker } from "./worker.js";

/** How long the loop may run before it lets the host process timers, I/O and messages. */
const SLICE_MS = 10;

/** A wake-up that is not lost when it arrives before anyone waits for it. */
export class WakeSignal {
  private waiting: (() => void) | undefined;
  private pending = false;

  readonly wake = (): void => {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve();
    } else {
      this.pending = true;
    }
  };

  next(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

/** Asks the workers of a run to stop at the next epoch boundary (Ctrl-C in the runner). */
export class StopSignal {
  private isRequested = false;
  private readonly listeners: (() => void)[] = [];

  get requested(): boolean {
    return this.isRequested;
  }

  request(): void {
    if (this.isRequested) return;
    this.isRequested = true;
    for (const listener of this.listeners) listener();
  }

  onRequest(listener: () => void): void {
    this.listeners.push(listener);
  }
}

/** The worker whose step failed, and what it threw. */
export class WorkerFailure {
  constructor(
    readonly workerIndex: number,
    readonly error: unknown,
  ) {}
}

const monotonic: () => number =
  typeof (globalThis as { performance?: { now(): number } }).performance?.now === "function"
    ? () => (globalThis as unknown as { performance: { now(): number } }).performance.now()
    : () => Date.now();

/** Runs `workers` until every one is done. Rejects with a `WorkerFailure` when one fails. */
export async function runWorkers(workers: readonly Worker[], clock: Clock, signal: WakeSignal, stop?: StopSignal): Promise<void> {
  let sliceStart = monotonic();
  stop?.onRequest(signal.wake);
  for (;;) {
    let worked = false;
    let allDone = true;
    for (const worker of workers) {
      if (worker.isDone) continue;
      allDone = false;
      let result: boolean | Promise<boolean>;
      try {
        // A stop can finish an idle worker at once: count it as work, or the loop would sleep.
        if (stop?.requested && worker.requestStop()) worked = true;
        result = worker.step();
        if (typeof result !== "boolean") result = await result;
      } catch (error) {
        throw new WorkerFailure(worker.workerIndex, error);
      }
      if (result) worked = true;
    }
    if (allDone) return;
    if (!worked) {
      let deadline = Infinity;
      for (const worker of workers) if (!worker.isDone) deadline = Math.min(deadline, worker.nextDeadline());
      await clock.sleepUntil(deadline, signal.next());
      sliceStart = monotonic();
    } else if (monotonic() - sliceStart > SLICE_MS) {
      await clock.yieldToHost();
      sliceStart = monotonic();
    }
  }
}
