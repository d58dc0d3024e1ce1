/**
 * The Clock port: the only way the engine reads time or waits. `systemClock` is real time;
 * `VirtualClock` is simulated time that jumps to the next deadline whenever the engine is idle, so
 * windows and periodic epochs are deterministic and instant in tests and simulations.
 */

export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /**
   * Resolves when `deadline` (epoch ms, may be Infinity) has passed or `woken` resolves, whichever
   * comes first. Never rejects.
   */
  sleepUntil(deadline: number, woken: Promise<void>): Promise<void>;
  /** Lets the host run its own tasks (timers, I/O, messages) before the engine continues. */
  yieldToHost(): Promise<void>;
}

type Scheduler = { setImmediate?: (cb: () => void) => unknown; MessageChannel?: new () => { port1: { onmessage: null | (() => void) }; port2: { postMessage(v: unknown): void } } };

/** Queues a macrotask: `setImmediate` in Node, a MessageChannel message in browsers. */
export function macrotask(): Promise<void> {
  const g = globalThis as unknown as Scheduler;
  return new Promise((resolve) => {
    if (typeof g.setImmediate === "function") {
      g.setImmediate(resolve);
    } else if (typeof g.MessageChannel === "function") {
      const channel = new g.MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    } else {
      setTimeout(resolve, 0);
    }
  });
}

/** Real time, read from `Date.now()`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleepUntil(deadline, woken) {
    const delay = deadline - Date.now();
    if (delay === Infinity) return woken;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, Math.ceil(delay)));
      woken.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  },
  yieldToHost: macrotask,
};

/**
 * Simulated time. `now` moves only when the engine sleeps with nothing to do: it first lets pending
 * host work (async sources, sinks) run, and if nothing woke the engine, jumps to the deadline.
 */
export class VirtualClock implements Clock {
  private time: number;
  constructor(startAt = 0) {
    this.time = startAt;
  }
  now(): number {
    return this.time;
  }
  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void {
    this.time += Math.max(0, ms);
  }
  async sleepUntil(deadline: number, woken: Promise<void>): Promise<void> {
    let wasWoken = false;
    void woken.then(() => {
      wasWoken = true;
    });
    await macrotask();
    if (wasWoken) return;
    if (deadline === Infinity) return woken;
    if (deadline > this.time) this.time = deadline;
  }
  yieldToHost(): Promise<void> {
    return macrotask();
  }
}
