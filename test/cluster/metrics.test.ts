/**
 * `--metrics-port` in a cluster: each `eddy cluster` process serves the metrics of its own workers
 * on its port, and `eddy run -n P --metrics-port N` gives process i the port N + i (the ports are
 * checked before any process starts). The flow feeds a known number of items and then idles, so the
 * run cannot end under the scrapes; it is stopped with SIGINT, by its PID.
 */

import { createServer as createNetServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { RUN_TIMEOUT_MS, WAIT_MS, countingFlow, matching, scrape, scrapeUntil, total, whileRunning, type Sample } from "../runner/metricsRuns.js";

afterAll(removeTemporaryDirectories);

/** `count` consecutive ports that nothing listens on right now (the first is the OS's choice). */
async function consecutiveFreePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const servers: Server[] = [];
    try {
      const first = createNetServer();
      servers.push(first);
      await new Promise<void>((resolve, reject) => first.once("error", reject).listen(0, "127.0.0.1", resolve));
      const base = (first.address() as { port: number }).port;
      if (base + count - 1 > 65535) continue;
      for (let i = 1; i < count; i++) {
        const next = createNetServer();
        servers.push(next);
        await new Promise<void>((resolve, reject) => next.once("error", reject).listen(base + i, "127.0.0.1", resolve));
      }
      return Array.from({ length: count }, (_, i) => base + i);
    } catch {
      // One of the next ports is taken: try another first port.
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

const keyedIn = (seen: readonly Sample[][]) => seen.reduce((sum, samples) => sum + total(samples, "eddy_step_items_in_total", { step: "running" }), 0);
const workersOf = (samples: readonly Sample[]) => [...new Set(matching(samples, "eddy_worker_epoch").map((sample) => sample.labels.worker))].sort();

describe("--metrics-port in a cluster", () => {
  it("eddy run -n 2: process i serves its own workers' metrics on N + i, recovery's durable epoch included; the servers close with the run", { timeout: 180_000 }, async () => {
    const ports = await consecutiveFreePorts(2);
    const state = join(temporaryDirectory(), "state");
    const seen: Sample[][] = [];
    const result = await whileRunning(["run", countingFlow(), "-n", "2", "-w", "2", "--recovery-dir", state, "--metrics-port", String(ports[0])], async (run) => {
      // The 1000 numbers are fed by the 4 workers, 250 each; each process's two feed 500 of them.
      for (const port of ports) {
        const fed = (samples: Sample[]) => total(samples, "eddy_step_items_out_total", { step: "nums" }) === 500 && total(samples, "eddy_durable_epoch") >= 1;
        seen.push((await scrapeUntil(port, fed, run)).samples);
      }
      // The keyed step's items came over the exchange from every worker of both processes: over the two, every even number.
      const deadline = performance.now() + WAIT_MS;
      while (keyedIn(seen) !== 500 && performance.now() < deadline) {
        for (const [i, port] of ports.entries()) seen[i] = (await scrapeUntil(port, () => true, run)).samples;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(result.stderr).toContain(`metrics on http://127.0.0.1:${ports[0]}/metrics to :${ports[1]}/metrics, a port per process`);
    expect(result.stderr).toContain(`metrics on http://127.0.0.1:${ports[1]}/metrics`);
    expect(workersOf(seen[0]!)).toEqual(["0", "1"]);
    expect(workersOf(seen[1]!)).toEqual(["2", "3"]);
    for (const samples of seen) {
      expect(matching(samples, "eddy_durable_epoch")).toHaveLength(1);
      // Frames in flight: a sample per local worker, within the window of 16 per other worker of the cluster.
      for (const sample of matching(samples, "eddy_exchange_frames_in_flight")) expect(sample.value >= 0 && sample.value <= 3 * 16, `${sample.value}`).toBe(true);
    }
    expect(keyedIn(seen)).toBe(500);
    for (const port of ports) expect(await scrape(port)).toEqual({ error: "ECONNREFUSED" });
  });

  it("eddy run -n refuses ports it cannot listen on (in use, or beyond 65535) before any process starts (RUNNER_METRICS_PORT, exit 2)", { timeout: 120_000 }, async () => {
    const ports = await consecutiveFreePorts(2);
    const busy = createNetServer();
    await new Promise<void>((resolve) => busy.listen(ports[1], "127.0.0.1", resolve));
    try {
      const result = await eddy(["run", countingFlow(), "-n", "2", "--metrics-port", String(ports[0])], { timeoutMs: RUN_TIMEOUT_MS });
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stderr).toContain(`--metrics-port ${ports[1]}: cannot listen on 127.0.0.1:${ports[1]}: it is in use (RUNNER_METRICS_PORT)`);
      expect(result.stderr).not.toContain("running");
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    const beyond = await eddy(["run", countingFlow(), "-n", "3", "--metrics-port", "65534"], { timeoutMs: RUN_TIMEOUT_MS });
    expect(beyond.code, describeRun(beyond)).toBe(2);
    expect(beyond.stderr).toContain("--metrics-port 65534 with -n 3: process i serves on 65534 + i, and 65536 is not a port (RUNNER_METRICS_PORT)");
    expect(beyond.stderr).not.toContain("running");
  });
});
