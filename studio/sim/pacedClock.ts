/**
 * The clocks of simulated runs, both implementing the engine's Clock port and both pausable.
 *
 * `PacedClock` is virtual time like the engine's `VirtualClock`: it moves only while the engine
 * sleeps with nothing to do, jumping to the next deadline, so a run is deterministic. The jump is
 * paced: d virtual ms take d / speed real ms (speed Infinity: at once). Woken early (an async input
 * had data), it advances by the real time elapsed × speed, never past the deadline. Timers fire late
 * by up to a millisecond or so; that lateness is credited to the next jumps (at most `MAX_CREDIT_MS`),
 * so that many tiny jumps (a source's retry back-off) still keep the pace on average.
 *
 * `PausableSystemClock` is real time (`Date.now()`), for runs against the wall clock.
 *
 * Pause: `sleepUntil` and `yieldToHost` wait until `resume()`. The scheduler yields to the host
 * every ~10 ms while busy and sleeps when idle, so a paused run halts within a slice. A paused
 * PacedClock stands still; the system clock goes on, as wall time does. `setSpeed` and `pause`
 * interrupt a sleep in progress, which then continues at the new pace (or waits).
 */

import { EddyError } from "../../engine/host/index.js";
import { macrotask, type Clock } from "../../engine/host/index.js";

/** The real time a clock paces itself by; injected in tests. */
export interface RealTime {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `callback` after `ms` real milliseconds; returns a cancel function. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const realTime: RealTime = {
  now: () => performance.now(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** A clock the simulator can pause and pace. */
export interface SimulationClock extends Clock {
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Virtual ms per real ms; the system clock ignores it. */
  setSpeed(speed: number): void;
}

type WaitEnd = "timer" | "woken" | "interrupt";

/** The longest single timer (setTimeout's limit); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The most timer lateness credited to later jumps. */
const MAX_CREDIT_MS = 50;

abstract class PausableClock implements SimulationClock {
  private gate: { promise: Promise<void>; open: () => void } | undefined;
  /** Ends the sleep in progress (there is at most one: one scheduler per run). */
  private interruptSleep: (() => void) | undefined;

  constructor(protected readonly real: RealTime) {}

  abstract now(): number;
  abstract sleepUntil(deadline: number, woken: Promise<void>): Promise<void>;
  abstract setSpeed(speed: number): void;

  get paused(): boolean {
    return this.gate !== undefined;
  }

  pause(): void {
    if (this.gate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
    this.interrupt();
  }

  resume(): void {
    const gate = this.gate;
    this.gate = undefined;
    gate?.open();
  }

  async yieldToHost(): Promise<void> {
    await macrotask();
    await this.whilePaused();
  }

  /** Resolves once the clock is not paused (at once when it is not). */
  protected async whilePaused(): Promise<void> {
    while (this.gate) await this.gate.promise;
  }

  protected interrupt(): void {
    this.interruptSleep?.();
  }

  /**
   * Waits `ms` real ms (Infinity: no timer), until `woken` resolves, or until interrupted. Says
   * how it ended and the real time it ended at (read then, not when the caller resumes).
   */
  protected wait(ms: number, woken: Promise<void>): Promise<{ end: WaitEnd; at: number }> {
    return new Promise((resolve) => {
      let settled = false;
      let cancel: (() => void) | undefined;
      const finish = (end: WaitEnd) => {
        if (settled) return;
        settled = true;
        cancel?.();
        this.interruptSleep = undefined;
        resolve({ end, at: this.real.now() });
      };
      this.interruptSleep = () => finish("interrupt");
      if (ms !== Infinity) {
        const capped = Math.min(Math.max(0, ms), MAX_TIMER_MS);
        cancel = this.real.setTimer(capped, () => finish(capped < ms ? "interrupt" : "timer"));
      }
      void woken.then(() => finish("woken"));
    });
  }
}

/** Virtual time, paced against real time; see the header. */
export class PacedClock extends PausableClock {
  private time: number;
  private speed: number;
  /** Real ms the last timers fired late, taken off the next jumps. */
  private credit = 0;

  constructor(options: { speed: number; startAt?: number; real?: RealTime }) {
    super(options.real ?? realTime);
    this.speed = checkSpeed(options.speed);
    this.time = options.startAt ?? Date.now();
  }

  now(): number {
    return this.time;
  }

  get currentSpeed(): number {
    return this.speed;
  }

  setSpeed(speed: number): void {
    this.speed = checkSpeed(speed);
    this.credit = 0;
    this.interrupt();
  }

  async sleepUntil(deadline: number, woken: Promise<void>): Promise<void> {
    let wasWoken = false;
    void woken.then(() => {
      wasWoken = true;
    });
    // Let pending host work (async inputs, store commits) run first, as VirtualClock does.
    await macrotask();
    for (;;) {
      await this.whilePaused();
      if (wasWoken || deadline <= this.time) return;
      const speed = this.speed;
      if (speed === Infinity) {
        if (deadline !== Infinity) {
          this.time = deadline;
          return;
        }
        if ((await this.wait(Infinity, woken)).end === "woken") return;
        continue;
      }
      const ms = (deadline - this.time) / speed;
      if (ms <= this.credit) {
        this.credit -= ms;
        this.time = deadline;
        return;
      }
      const wanted = ms - this.credit;
      const started = this.real.now();
      const { end, at } = await this.wait(wanted, woken);
      const elapsed = at - started;
      if (end === "timer") {
        this.credit = Math.min(MAX_CREDIT_MS, Math.max(0, elapsed - wanted));
        this.time = deadline;
        return;
      }
      this.credit = 0;
      this.time = Math.min(deadline, this.time + elapsed * speed);
      if (end === "woken") return;
      // Interrupted: paused (wait above), or the speed changed (go on at the new pace).
    }
  }
}

/** Wall-clock time that can be paused; see the header. */
export class PausableSystemClock extends PausableClock {
  constructor(
    real: RealTime = realTime,
    private readonly wallNow: () => number = Date.now,
  ) {
    super(real);
  }

  now(): number {
    return this.wallNow();
  }

  setSpeed(): void {}

  async sleepUntil(deadline: number, woken: Promise<void>): Promise<void> {
    let wasWoken = false;
    void woken.then(() => {
      wasWoken = true;
    });
    for (;;) {
      await this.whilePaused();
      if (wasWoken) return;
      const delay = deadline - this.wallNow();
      if (delay <= 0) return;
      if ((await this.wait(Math.ceil(delay), woken)).end !== "interrupt") return;
    }
  }
}

function checkSpeed(speed: number): number {
  if (typeof speed !== "number" || Number.isNaN(speed) || speed <= 0) {
    throw new EddyError("SIM_SETTINGS_INVALID", `A clock speed must be a positive number or Infinity; got ${String(speed)}`);
  }
  return speed;
}
