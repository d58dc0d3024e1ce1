/**
 * Liveness between the processes of a cluster: every process sends a `beat` record to every other
 * one each BEAT_INTERVAL_MS, from its main thread (which runs no user code, so a busy worker does
 * not hold beats back), and counts any record as a sign of life. A process that says nothing for
 * the peer timeout is silent: stopped (SIGSTOP, a frozen VM), hung, or cut off by a network that
 * drops packets without resetting connections. TCP alone notices none of these for minutes (a
 * stopped process's kernel still acknowledges), so without beats the others would wait for ever,
 * as Bytewax's cluster does. The decision is a pure function of when each process was last heard.
 */

import { EddyError, preview } from "../../engine/host/index.js";

/** How often a process sends a beat to every other one. */
export const BEAT_INTERVAL_MS = 1_000;

/** How long a process may say nothing before the cluster stops: ten missed beats. */
export const DEFAULT_PEER_TIMEOUT_MS = 10_000;

/** The smallest peer timeout: twice the beat interval, so that one late beat is never a silence. */
export const MIN_PEER_TIMEOUT_MS = 2 * BEAT_INTERVAL_MS;

/**
 * The processes not heard from for longer than `timeoutMs` at `now`, lowest id first.
 *
 * @example
 * silentPeers(new Map([[1, 0], [2, 9_500]]), 10_500, 10_000); // [1]
 */
export function silentPeers(lastHeard: ReadonlyMap<number, number>, now: number, timeoutMs: number): number[] {
  const silent: number[] = [];
  for (const [proc, heard] of lastHeard) if (now - heard > timeoutMs) silent.push(proc);
  return silent.sort((a, b) => a - b);
}

/**
 * Whether this process itself stalled: its own beat came more than two intervals after the last
 * (its thread was blocked, by a long call of a worker in the same thread, say). Records that
 * arrived meanwhile still wait to be read, so the others' silence cannot be judged on this beat.
 *
 * @example
 * stalled(1_000, 2_000); // false
 * stalled(1_000, 9_000); // true
 */
export function stalled(previousBeat: number, now: number): boolean {
  return now - previousBeat > 2 * BEAT_INTERVAL_MS;
}

/**
 * After a stall of this process, every other one counts as heard from one interval ago: each gets a
 * full peer timeout from now to show it is alive.
 *
 * @example
 * heardAfterStall(new Map([[1, 0], [2, 8_500]]), 9_000); // Map { 1 => 8_000, 2 => 8_500 }
 */
export function heardAfterStall(lastHeard: ReadonlyMap<number, number>, now: number): Map<number, number> {
  const heard = new Map<number, number>();
  for (const [proc, at] of lastHeard) heard.set(proc, Math.max(at, now - BEAT_INTERVAL_MS));
  return heard;
}

/**
 * The message of a silent process: who, for how long, the likely causes and the setting.
 *
 * @example
 * silenceMessage("process 1 at 127.0.0.1:4001", 10_400, 10_000);
 * // "process 1 at 127.0.0.1:4001 went silent: nothing heard from it for 10.4 s (stopped, hung, or cut off by the network; the peer timeout is 10 s); the cluster stops (fail-stop)"
 */
export function silenceMessage(name: string, silentMs: number, timeoutMs: number): string {
  return `${name} went silent: nothing heard from it for ${(silentMs / 1000).toFixed(1)} s (stopped, hung, or cut off by the network; the peer timeout is ${timeoutMs / 1000} s); the cluster stops (fail-stop)`;
}

/** What the router needs to watch liveness: a clock and a repeating timer (injected; tests pass their own). */
export interface LivenessClock {
  readonly now: () => number;
  /** Calls `tick` every `ms` until the returned function is called. */
  readonly every: (ms: number, tick: () => void) => () => void;
}

/** The real clock: performance.now and an unreferenced interval (it never keeps a process alive). */
export const systemLivenessClock: LivenessClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/**
 * Refuses a peer timeout that cannot work (CONFIG_INVALID): not a number, or under two beats.
 *
 * @example
 * checkPeerTimeout(undefined); // the default
 * checkPeerTimeout(500);       // throws: at least 2000 ms
 */
export function checkPeerTimeout(peerTimeoutMs: number | undefined): void {
  if (peerTimeoutMs === undefined) return;
  if (typeof peerTimeoutMs !== "number" || !Number.isFinite(peerTimeoutMs) || peerTimeoutMs < MIN_PEER_TIMEOUT_MS) {
    throw new EddyError("CONFIG_INVALID", `peerTimeoutMs must be a number of milliseconds of at least ${MIN_PEER_TIMEOUT_MS} (two beats); got ${preview(peerTimeoutMs)}`);
  }
}
