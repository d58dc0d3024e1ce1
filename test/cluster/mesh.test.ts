/**
 * Connecting the processes of a cluster and routing between them, on real sockets of 127.0.0.1 in
 * this one test process (each `connectMesh` plays one process): handshakes, refusals naming both
 * sides, the bound on connecting naming the address, rounds, the final barrier, and fail-stop (a
 * lost connection, a failure record relayed to every process).
 */

import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connectMesh } from "../../node-runner/cluster/connectMesh.js";
import { RecordDecoder, encodeControl } from "../../node-runner/cluster/framing.js";
import type { Connection } from "../../node-runner/cluster/connection.js";
import type { ClusterFailure } from "../../node-runner/cluster/failures.js";
import { processName, type Hello } from "../../node-runner/cluster/handshake.js";
import { freeLocalAddresses } from "../../node-runner/cluster/localProcesses.js";
import { Router } from "../../node-runner/cluster/router.js";

const helloOf = (procId: number, procCount: number, changes: Partial<Hello> = {}): Hello => ({
  type: "hello",
  protocol: 1,
  eddyVersion: "test",
  procId,
  procCount,
  workersPerProcess: 1,
  flow: "f1",
  settings: { epochs: "testing epochs" },
  ...changes,
});

const open: Connection[] = [];
afterEach(() => {
  for (const connection of open.splice(0)) connection.destroy();
});

async function mesh(addresses: readonly string[], changes: (procId: number) => Partial<Hello> = () => ({}), connectTimeoutMs = 10_000) {
  const outcomes = await Promise.allSettled(addresses.map((_, procId) => connectMesh({ addresses, procId, hello: helloOf(procId, addresses.length, changes(procId)), connectTimeoutMs })));
  for (const outcome of outcomes) if (outcome.status === "fulfilled") open.push(...outcome.value.values());
  return outcomes;
}

interface Played {
  readonly router: Router;
  readonly failures: ClusterFailure[];
  readonly connections: ReadonlyMap<number, Connection>;
}

async function routers(count: number): Promise<{ addresses: string[]; played: Played[] }> {
  const addresses = await freeLocalAddresses(count);
  const outcomes = await mesh(addresses);
  const played = outcomes.map((outcome, procId) => {
    if (outcome.status !== "fulfilled") throw outcome.reason;
    const failures: ClusterFailure[] = [];
    const router = new Router(outcome.value, { procId, procCount: count, workersPerProcess: 1, name: processName(procId, addresses[procId]) }, { onFailure: (failure) => failures.push(failure), onStop: () => undefined });
    return { router, failures, connections: outcome.value };
  });
  return { addresses, played };
}

/** Waits (polling, bounded generously) until `check` holds. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("connecting a cluster", () => {
  it("connects every pair once, exchanges rounds, and passes the final barrier without a failure", async () => {
    const { played } = await routers(3);
    const rounds = await Promise.all(played.map(({ router }, procId) => router.round("r", { from: procId })));
    for (const round of rounds) expect([...round].sort(([a], [b]) => a - b)).toEqual([0, 1, 2].map((procId) => [procId, { from: procId }]));
    await Promise.all(played.map(({ router }) => router.finish()));
    for (const { failures } of played) expect(failures).toEqual([]);
  });

  it("refuses a process that runs another flow, in both processes, each naming both sides", async () => {
    const addresses = await freeLocalAddresses(2);
    const [first, second] = await mesh(addresses, (procId) => ({ flow: procId === 0 ? "aaa" : "bbb" }));
    expect(first).toMatchObject({ status: "rejected", reason: { code: "CLUSTER_MISMATCH" } });
    expect(second).toMatchObject({ status: "rejected", reason: { code: "CLUSTER_MISMATCH" } });
    expect((first as PromiseRejectedResult).reason.message).toContain(`process 1 at ${addresses[1]} runs flow fingerprint bbb, this process (0) aaa`);
    expect((second as PromiseRejectedResult).reason.message).toContain(`process 0 at ${addresses[0]} runs flow fingerprint aaa, this process (1) bbb`);
  });

  it("refuses another worker count per process", async () => {
    const addresses = await freeLocalAddresses(2);
    const outcomes = await mesh(addresses, (procId) => ({ workersPerProcess: procId + 1 }));
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toContain(`process 1 at ${addresses[1]} runs 2 workers per process (-w), this process (0) 1`);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toContain(`process 0 at ${addresses[0]} runs 1 workers per process (-w), this process (1) 2`);
  });

  it("refuses a second process that says it has the id of one already connected", async () => {
    const addresses = await freeLocalAddresses(3);
    const zero = connectMesh({ addresses, procId: 0, hello: helloOf(0, 3), connectTimeoutMs: 10_000 });
    const [host, port] = addresses[0]!.split(":");
    // Two connections that both say they are process 1 (as two machines given the same -p would).
    const answers = [0, 1].map(
      () =>
        new Promise<string>((resolve) => {
          const dial = () => {
            const socket = connect({ host, port: Number(port) }, () => socket.write(encodeControl(helloOf(1, 3))));
            const decoder = new RecordDecoder("process 0");
            socket.on("data", (chunk) => {
              const record = decoder.push(chunk)[0];
              if (record?.kind === "control") resolve((record.message as { type: string }).type);
            });
            socket.on("error", () => setTimeout(dial, 20));
          };
          dial();
        }),
    );
    await expect(zero).rejects.toMatchObject({ code: "CLUSTER_MISMATCH", message: expect.stringContaining("two processes were given the same process id") });
    expect((await Promise.all(answers)).sort()).toEqual(["hello", "refuse"]);
  });

  it("names the address that never answered, once its bound passed", async () => {
    const [silent, own] = await freeLocalAddresses(2);
    const started = performance.now();
    const outcome = connectMesh({ addresses: [silent!, own!], procId: 1, hello: helloOf(1, 2), connectTimeoutMs: 1500 });
    await expect(outcome).rejects.toMatchObject({ code: "CLUSTER_UNREACHABLE", message: expect.stringContaining(`process 0 at ${silent} never answered within 1500 ms (last: ECONNREFUSED)`) });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(15_000);
  });

  it("names the process that never connected, once its bound passed", async () => {
    const addresses = await freeLocalAddresses(3);
    const outcome = connectMesh({ addresses, procId: 0, hello: helloOf(0, 3), connectTimeoutMs: 1500 });
    await expect(outcome).rejects.toMatchObject({ code: "CLUSTER_UNREACHABLE", message: expect.stringContaining(`process 1 at ${addresses[1]}, process 2 at ${addresses[2]} never connected within 1500 ms`) });
  });

  it("forgets a connection that is not an Eddy process (a health check) and goes on waiting", async () => {
    const addresses = await freeLocalAddresses(2);
    const zero = connectMesh({ addresses, procId: 0, hello: helloOf(0, 2), connectTimeoutMs: 10_000 });
    const [host, port] = addresses[0]!.split(":");
    await new Promise<void>((resolve) => {
      const tryProbe = () => {
        const probe = connect({ host, port: Number(port) }, () => probe.end("GET / HTTP/1.0\r\n\r\n", () => resolve()));
        probe.on("error", () => setTimeout(tryProbe, 20));
      };
      tryProbe();
    });
    const one = connectMesh({ addresses, procId: 1, hello: helloOf(1, 2), connectTimeoutMs: 10_000 });
    const peers = await Promise.all([zero, one]);
    for (const connections of peers) open.push(...connections.values());
    expect(peers.map((connections) => [...connections.keys()])).toEqual([[1], [0]]);
  });
});

describe("fail-stop between processes", () => {
  it("reports a process whose connection closed without an orderly end, naming it and its address, in every other process", async () => {
    const { addresses, played } = await routers(3);
    // Process 1 dies: its connections close with no bye.
    for (const connection of played[1]!.connections.values()) connection.socket.destroy();
    await eventually(() => played[0]!.failures.length > 0 && played[2]!.failures.length > 0, "the others to fail");
    for (const procId of [0, 2]) {
      expect(played[procId]!.failures).toHaveLength(1);
      expect(played[procId]!.failures[0]!.report).toMatchObject({ code: "CLUSTER_PROCESS_LOST", message: expect.stringContaining(`process 1 at ${addresses[1]} died`) });
    }
  });

  it("brings a failure to every process, relayed, and each reports the first one only", async () => {
    const { played } = await routers(3);
    const failure: ClusterFailure = { report: { name: "Error", message: "BOOM", workerIndex: 1, stepId: "s" }, exit: 3, origin: "process 1" };
    await played[1]!.router.fail(failure);
    await eventually(() => played[0]!.failures.length > 0 && played[2]!.failures.length > 0, "the others to hear of it");
    expect(played[0]!.failures).toEqual([failure]);
    expect(played[2]!.failures).toEqual([failure]);
    // The connections closing after it are not reported as lost processes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(played[0]!.failures).toHaveLength(1);
    await expect(played[0]!.router.round("after", null)).rejects.toMatchObject({ failure });
  });
});
