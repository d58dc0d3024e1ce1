/**
 * The simulation clocks with an injected real time: virtual jumps paced by speed, early wake-ups,
 * live speed changes, pause and resume, and the credit for late timers.
 */

import { describe, expect, it } from "vitest";
import { PacedClock, PausableSystemClock, type RealTime } from "../../../studio/sim/pacedClock.js";

/** Real time that moves only when told; timers fire as it passes them (late, if moved past them). */
class FakeRealTime implements RealTime {
  time = 0;
  private timers: { at: number; callback: () => void }[] = [];
  now(): number {
    return this.time;
  }
  setTimer(ms: number, callback: () => void): () => void {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  get pending(): number[] {
    return this.timers.map((timer) => timer.at - this.time);
  }
  async advance(ms: number): Promise<void> {
    this.time += ms;
    for (const timer of [...this.timers].sort((a, b) => a.at - b.at)) {
      if (timer.at > this.time) break;
      this.timers = this.timers.filter((t) => t !== timer);
      timer.callback();
    }
    await settle();
  }
}

/** Lets promise callbacks and a few macrotasks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

const never = new Promise<void>(() => {});

function tracked(promise: Promise<void>): { done: boolean } {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

function wakeable(): { promise: Promise<void>; wake: () => void } {
  let wake!: () => void;
  const promise = new Promise<void>((resolve) => (wake = resolve));
  return { promise, wake };
}

describe("PacedClock", () => {
  it("at speed Infinity jumps to the deadline at once, without a timer", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: Infinity, startAt: 1000, real });
    await clock.sleepUntil(6000, never);
    expect(clock.now()).toBe(6000);
    expect(real.pending).toEqual([]);
  });

  it("takes d / speed real ms for a jump of d virtual ms", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: 10, startAt: 0, real });
    const sleep = tracked(clock.sleepUntil(1000, never));
    await settle();
    expect(real.pending).toEqual([100]);
    await real.advance(99);
    expect(sleep.done).toBe(false);
    expect(clock.now()).toBe(0);
    await real.advance(1);
    expect(sleep.done).toBe(true);
    expect(clock.now()).toBe(1000);
  });

  it("woken early, advances by the real time elapsed × speed", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: 10, startAt: 0, real });
    const woken = wakeable();
    const sleep = tracked(clock.sleepUntil(1000, woken.promise));
    await settle();
    await real.advance(30);
    woken.wake();
    await settle();
    expect(sleep.done).toBe(true);
    expect(clock.now()).toBe(300);
    expect(real.pending).toEqual([]);
  });

  it("does not move when woken before it sleeps, nor past a deadline already passed", async () => {
    const clock = new PacedClock({ speed: 10, startAt: 500, real: new FakeRealTime() });
    await clock.sleepUntil(1000, Promise.resolve());
    expect(clock.now()).toBe(500);
    await clock.sleepUntil(400, never);
    expect(clock.now()).toBe(500);
  });

  it("changes pace in the middle of a jump", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: 1, startAt: 0, real });
    const sleep = tracked(clock.sleepUntil(100, never));
    await settle();
    await real.advance(40);
    clock.setSpeed(10);
    await settle();
    expect(clock.now()).toBe(40);
    expect(real.pending).toEqual([6]);
    await real.advance(6);
    expect(sleep.done).toBe(true);
    expect(clock.now()).toBe(100);
  });

  it("stands still while paused, then goes on from where it was", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: 1, startAt: 0, real });
    const sleep = tracked(clock.sleepUntil(100, never));
    await settle();
    await real.advance(30);
    clock.pause();
    await real.advance(1000);
    expect(clock.now()).toBe(30);
    expect(sleep.done).toBe(false);
    expect(real.pending).toEqual([]);
    clock.resume();
    await settle();
    expect(real.pending).toEqual([70]);
    await real.advance(70);
    expect(sleep.done).toBe(true);
    expect(clock.now()).toBe(100);
  });

  it("holds yieldToHost and sleeps that start while paused until resume", async () => {
    const clock = new PacedClock({ speed: Infinity, startAt: 0, real: new FakeRealTime() });
    clock.pause();
    expect(clock.paused).toBe(true);
    const yielded = tracked(clock.yieldToHost());
    const sleep = tracked(clock.sleepUntil(50, never));
    await settle();
    expect([yielded.done, sleep.done, clock.now()]).toEqual([false, false, 0]);
    clock.resume();
    await settle();
    expect([yielded.done, sleep.done, clock.now()]).toEqual([true, true, 50]);
  });

  it("with no deadline, waits for a wake-up and counts the time elapsed", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: 2, startAt: 0, real });
    const woken = wakeable();
    const sleep = tracked(clock.sleepUntil(Infinity, woken.promise));
    await settle();
    await real.advance(25);
    expect(sleep.done).toBe(false);
    woken.wake();
    await settle();
    expect(sleep.done).toBe(true);
    expect(clock.now()).toBe(50);
  });

  it("credits a late timer to the next jumps, so tiny jumps keep the pace", async () => {
    const real = new FakeRealTime();
    const clock = new PacedClock({ speed: 100, startAt: 0, real });
    const first = tracked(clock.sleepUntil(100, never));
    await settle();
    expect(real.pending).toEqual([1]);
    await real.advance(5); // the timer fires 4 ms late: 400 virtual ms of credit
    expect(first.done).toBe(true);
    await clock.sleepUntil(300, never);
    await clock.sleepUntil(500, never);
    expect(clock.now()).toBe(500);
    expect(real.pending).toEqual([]);
    const fourth = tracked(clock.sleepUntil(600, never));
    await settle();
    expect(real.pending).toEqual([1]);
    await real.advance(1);
    expect(fourth.done).toBe(true);
  });

  it("refuses a speed that is not positive", () => {
    expect(() => new PacedClock({ speed: 0 })).toThrow("A clock speed must be a positive number or Infinity; got 0");
    expect(() => new PacedClock({ speed: 1 }).setSpeed(Number.NaN)).toThrow("got NaN");
  });
});

describe("PausableSystemClock", () => {
  it("sleeps until the wall-clock deadline; paused, it waits for resume and then for what is left", async () => {
    const real = new FakeRealTime();
    let wall = 10_000;
    const clock = new PausableSystemClock(real, () => wall);
    expect(clock.now()).toBe(10_000);
    const sleep = tracked(clock.sleepUntil(10_050, never));
    await settle();
    expect(real.pending).toEqual([50]);
    wall += 20;
    await real.advance(20);
    clock.pause();
    await settle();
    expect(real.pending).toEqual([]);
    wall += 10;
    clock.resume();
    await settle();
    expect(real.pending).toEqual([20]);
    wall += 20;
    await real.advance(20);
    expect(sleep.done).toBe(true);
  });

  it("holds yieldToHost while paused", async () => {
    const clock = new PausableSystemClock(new FakeRealTime());
    clock.pause();
    const yielded = tracked(clock.yieldToHost());
    await settle();
    expect(yielded.done).toBe(false);
    clock.resume();
    await settle();
    expect(yielded.done).toBe(true);
  });
});
