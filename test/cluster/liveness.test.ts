/**
 * Liveness between the processes of a cluster (node-runner/cluster/liveness.ts): the pure
 * decisions, then routers on real sockets of 127.0.0.1 driven by manual clocks (a process whose
 * clock never ticks sends no beat: it is silent, as a stopped process is), and a stall of the judge
 * itself, which must not condemn the others.
 */

import { afterEach, describe, expect, it } from "vitest";
import { connectMesh } from "../../node-runner/cluster/connectMesh.js";
import type { Connection } from "../../node-runner/cluster/connection.js";
import type { ClusterFailure } from "../../node-runner/cluster/failures.js";
import { processName, type Hello } from "../../node-runner/cluster/handshake.js";
import { BEAT_INTERVAL_MS, DEFAULT_PEER_TIMEOUT_MS, MIN_PEER_TIMEOUT_MS, checkPeerTimeout, heardAfterStall, silenceMessage, silentPeers, stalled, type LivenessClock } from "../../node-runner/cluster/liveness.js";
import { freeLocalAddresses } from "../../node-runner/cluster/localProcesses.js";
import { Router } from "../../node-runner/cluster/router.js";

describe("liveness decisions", () => {
  it("finds the processes silent for longer than the timeout, lowest id first", () => {
    const heard = new Map([
      [3, 0],
      [1, 500],
      [2, 9_000],
    ]);
    expect(silentPeers(heard, 10_000, 10_000)).toEqual([]);
    expect(silentPeers(heard, 10_001, 10_000)).toEqual([3]);
    expect(silentPeers(heard, 10_600, 10_000)).toEqual([1, 3]);
    expect(silentPeers(new Map(), 1e9, 10_000)).toEqual([]);
  });

  it("sees its own late beat as a stall, and then counts every process as heard one beat ago", () => {
    expect(stalled(1_000, 1_000 + 2 * BEAT_INTERVAL_MS)).toBe(false);
    expect(stalled(1_000, 1_001 + 2 * BEAT_INTERVAL_MS)).toBe(true);
    const after = heardAfterStall(new Map([[1, 0], [2, 29_500]]), 30_000);
    expect([...after]).toEqual([[1, 30_000 - BEAT_INTERVAL_MS], [2, 29_500]]);
    expect(silentPeers(after, 30_000 - BEAT_INTERVAL_MS + DEFAULT_PEER_TIMEOUT_MS, DEFAULT_PEER_TIMEOUT_MS)).toEqual([]);
    expect(silentPeers(after, 30_001 - BEAT_INTERVAL_MS + DEFAULT_PEER_TIMEOUT_MS, DEFAULT_PEER_TIMEOUT_MS)).toEqual([1]);
  });

  it("names the silent process, for how long, the causes and the setting", () => {
    expect(silenceMessage("process 1 at 127.0.0.1:4001", 12_345, 10_000)).toBe(
      "process 1 at 127.0.0.1:4001 went silent: nothing heard from it for 12.3 s (stopped, hung, or cut off by the network; the peer timeout is 10 s); the cluster stops (fail-stop)",
    );
  });

  it("refuses a peer timeout under two beats, or not a number", () => {
    expect(() => checkPeerTimeout(undefined)).not.toThrow();
    expect(() => checkPeerTimeout(MIN_PEER_TIMEOUT_MS)).not.toThrow();
    for (const bad of [MIN_PEER_TIMEOUT_MS - 1, 0, -5, Number.NaN, Infinity, "5000" as unknown as number]) {
      expect(() => checkPeerTimeout(bad), String(bad)).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    }
  });
});

/** A clock the test moves: `tick(now)` sets the time and runs the router's repeating callback. */
class ManualClock implements LivenessClock {
  time = 0;
  private ticks: (() => void)[] = [];
  readonly now = () => this.time;
  readonly every = (_ms: number, tick: () => void) => {
    this.ticks.push(tick);
    return () => (this.ticks = this.ticks.filter((t) => t !== tick));
  };
  tick(now: number): void {
    this.time = now;
    for (const tick of [...this.ticks]) tick();
  }
  get running(): boolean {
    return this.ticks.length > 0;
  }
}

const hello = (procId: number, procCount: number): Hello => ({ type: "hello", protocol: 1, eddyVersion: "test", procId, procCount, workersPerProcess: 1, flow: "f1", settings: {} });

const open: Connection[] = [];
afterEach(() => {
  for (const connection of open.splice(0)) connection.destroy();
});

async function routers(count: number, peerTimeoutMs: number) {
  const addresses = await freeLocalAddresses(count);
  const meshes = await Promise.all(addresses.map((_, procId) => connectMesh({ addresses, procId, hello: hello(procId, count), connectTimeoutMs: 10_000 })));
  return meshes.map((peers, procId) => {
    open.push(...peers.values());
    const clock = new ManualClock();
    const failures: ClusterFailure[] = [];
    const layout = { procId, procCount: count, workersPerProcess: 1, name: processName(procId, addresses[procId]) };
    const router = new Router(peers, layout, { onFailure: (failure) => failures.push(failure), onStop: () => undefined }, undefined, { peerTimeoutMs, clock });
    return { router, clock, failures, name: layout.name };
  });
}

/** Waits (polling, bounded generously) until `check` holds. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets the sockets deliver what was written (a few turns of the event loop). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("routers watching each other", () => {
  it("stop the cluster when a process says nothing for the peer timeout, naming it; the failure reaches the others", async () => {
    const [zero, one, two] = await routers(3, 5_000);
    // Processes 0 and 2 beat every second; process 1 never does (its clock does not move).
    for (let now = 1_000; now <= 5_000; now += 1_000) {
      zero!.clock.tick(now);
      two!.clock.tick(now);
      await settle();
    }
    expect(zero!.failures).toEqual([]);
    zero!.clock.tick(6_000);
    expect(zero!.failures).toHaveLength(1);
    const [failure] = zero!.failures;
    expect(failure!.report.code).toBe("CLUSTER_PROCESS_SILENT");
    expect(failure!.report.message).toBe(silenceMessage(one!.name, 6_000, 5_000));
    expect(failure!.exit).toBe(5);
    expect(zero!.clock.running).toBe(true);
    // Process 2 hears of it from process 0 (a failure record), before its own clock could tell.
    await eventually(() => two!.failures.length === 1, "the failure relayed to process 2");
    expect(two!.failures[0]!.report.code).toBe("CLUSTER_PROCESS_SILENT");
    await zero!.router.leave();
    expect(zero!.clock.running).toBe(false);
  });

  it("never stop a cluster whose processes beat, however long it runs", async () => {
    const [zero, one] = await routers(2, MIN_PEER_TIMEOUT_MS);
    for (let now = 1_000; now <= 60_000; now += 1_000) {
      zero!.clock.tick(now);
      one!.clock.tick(now);
      await settle();
    }
    expect(zero!.failures).toEqual([]);
    expect(one!.failures).toEqual([]);
    await Promise.all([zero!.router.finish(), one!.router.finish()]);
    expect(zero!.clock.running || one!.clock.running).toBe(false);
  });

  it("do not condemn the others for their silence while the judge itself was stalled", async () => {
    const [zero, one] = await routers(2, 5_000);
    zero!.clock.tick(1_000);
    one!.clock.tick(1_000);
    await settle();
    // Process 0's thread was blocked for 30 s: its next beat is late, and the others' beats of that time are still unread.
    zero!.clock.tick(31_000);
    expect(zero!.failures).toEqual([]);
    // Process 1 is heard again soon after: nothing happens. Had it stayed silent, the timeout would run from the stall's end.
    one!.clock.tick(31_500);
    await settle();
    for (let now = 32_000; now <= 36_000; now += 1_000) zero!.clock.tick(now);
    expect(zero!.failures).toEqual([]);
    zero!.clock.tick(37_000);
    expect(zero!.failures.map((failure) => failure.report.code)).toEqual(["CLUSTER_PROCESS_SILENT"]);
  });
});
