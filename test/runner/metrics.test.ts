/**
 * `eddy run --metrics-port N` (issue 13, point 6): the runner serves Prometheus text on 127.0.0.1:N
 * while the run lasts. Each flow here feeds a known number of items and then idles (its input
 * yields "no data yet" for ever), so the test scrapes a run that cannot end under it; it then stops
 * the run with SIGINT, by its PID. Every wait is bounded; nothing here measures time.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRunRegistry } from "../../node-runner/metrics/metricsServer.js";
import type { WorkerMetrics } from "../../engine/host/index.js";
import { REPO, describeRun, eddy, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";
import { RUN_TIMEOUT_MS, countingFlow, freePort, matching, parseExposition, scrape, scrapeUntil, total, whileRunning, type Sample } from "./metricsRuns.js";

afterAll(removeTemporaryDirectories);

describe("eddy run --metrics-port", () => {
  it("serves items in and out per step and worker: with -w 2 they sum to what was fed; a fused chain counts in at its first step and out at its last", { timeout: 120_000 }, async () => {
    const port = await freePort();
    let seen: Sample[] = [];
    let contentType: string | null = null;
    let otherAddresses: { host: string; result: Awaited<ReturnType<typeof scrape>> }[] = [];
    const result = await whileRunning(["run", countingFlow(), "-w", "2", "--metrics-port", String(port)], async (run) => {
      // Each worker's counts are from its latest snapshot (sent every 250 ms), so two workers' may be
      // from different moments: wait until every count checked below has reached its final value.
      const final = (samples: Sample[]) =>
        total(samples, "eddy_step_items_out_total", { step: "nums" }) === 1000 &&
        total(samples, "eddy_step_items_in_total", { step: "double" }) === 1000 &&
        total(samples, "eddy_step_items_out_total", { step: "keyed" }) === 500 &&
        total(samples, "eddy_step_items_in_total", { step: "running" }) === 500 &&
        total(samples, "eddy_step_items_in_total", { step: "out" }) === 500 &&
        total(samples, "eddy_step_items_out_total", { step: "out" }) === 500;
      ({ samples: seen } = await scrapeUntil(port, final, run));
      const again = await scrape(port);
      if ("contentType" in again) contentType = again.contentType;
      // Bound to 127.0.0.1 only: another loopback address, IPv6's and this machine's own addresses are refused.
      const external = Object.values(networkInterfaces())
        .flat()
        .filter((address) => address !== undefined && !address.internal && address.family === "IPv4")
        .map((address) => address!.address);
      otherAddresses = await Promise.all(["127.0.0.2", "::1", ...external].map(async (host) => ({ host, result: await scrape(port, host) })));
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(result.stderr).toContain(`metrics on http://127.0.0.1:${port}/metrics`);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    const workers = (name: string, step: string) => matching(seen, name, { step }).map((sample) => sample.labels.worker).sort();
    // The input has no items in; its items out are what it fed, on each worker.
    expect(matching(seen, "eddy_step_items_in_total", { step: "nums" })).toEqual([]);
    expect(total(seen, "eddy_step_items_out_total", { step: "nums" })).toBe(1000);
    expect(total(seen, "eddy_step_items_out_total", { step: "nums", worker: "0" })).toBe(500);
    expect(total(seen, "eddy_step_items_out_total", { step: "nums", worker: "1" })).toBe(500);
    // The chain double → even → keyed: in at "double", out at "keyed", nothing for the step between.
    expect(total(seen, "eddy_step_items_in_total", { step: "double" })).toBe(1000);
    expect(workers("eddy_step_items_in_total", "double")).toEqual(["0", "1"]);
    expect(total(seen, "eddy_step_items_out_total", { step: "keyed" })).toBe(500);
    expect(matching(seen, "eddy_step_items_in_total", { step: "even" })).toEqual([]);
    expect(matching(seen, "eddy_step_items_out_total", { step: "even" })).toEqual([]);
    expect(matching(seen, "eddy_step_items_out_total", { step: "double" })).toEqual([]);
    // The keyed step and the capture: what arrived over the exchange, summed over both workers.
    expect(total(seen, "eddy_step_items_in_total", { step: "running" })).toBe(500);
    expect(total(seen, "eddy_step_items_out_total", { step: "running" })).toBe(500);
    expect(workers("eddy_step_items_in_total", "running")).toEqual(["0", "1"]);
    expect(total(seen, "eddy_step_items_in_total", { step: "out" })).toBe(500);
    // No window step, no late items; an epoch per worker; no recovery, no durable epoch.
    expect(matching(seen, "eddy_step_late_items_total")).toEqual([]);
    expect(matching(seen, "eddy_worker_epoch").map((sample) => sample.labels.worker).sort()).toEqual(["0", "1"]);
    for (const sample of matching(seen, "eddy_worker_epoch")) expect(Number.isInteger(sample.value) && sample.value >= 0).toBe(true);
    expect(matching(seen, "eddy_durable_epoch")).toEqual([]);
    // Frames in flight between the worker threads (the credit window's count): a sample per worker, within the window of 16 per other worker.
    const frames = matching(seen, "eddy_exchange_frames_in_flight");
    expect(frames.map((sample) => sample.labels.worker).sort()).toEqual(["0", "1"]);
    for (const sample of frames) expect(Number.isInteger(sample.value) && sample.value >= 0 && sample.value <= 16, `${sample.value}`).toBe(true);
    // No failures.
    expect(matching(seen, "eddy_worker_failures_total")).toEqual([]);
    // prom-client's process metrics come along.
    expect(matching(seen, "process_resident_memory_bytes")).toHaveLength(1);

    for (const { host, result: other } of otherAddresses) expect("error" in other, `${host}: ${JSON.stringify(other)}`).toBe(true);
    // The run is over: nothing listens any more.
    expect(await scrape(port)).toEqual({ error: "ECONNREFUSED" });
  });

  it("serves the cluster's last durable epoch with recovery, below the worker's epoch", { timeout: 120_000 }, async () => {
    const port = await freePort();
    const state = join(temporaryDirectory(), "state");
    let seen: Sample[] = [];
    const result = await whileRunning(["run", countingFlow(), "--recovery-dir", state, "--metrics-port", String(port)], async (run) => {
      ({ samples: seen } = await scrapeUntil(port, (samples) => total(samples, "eddy_durable_epoch") >= 2 && total(samples, "eddy_step_items_out_total", { step: "out" }) === 500, run));
    });
    expect(result.code, describeRun(result)).toBe(130);
    const [durable] = matching(seen, "eddy_durable_epoch");
    const [epoch] = matching(seen, "eddy_worker_epoch", { worker: "0" });
    expect(durable!.value).toBeGreaterThanOrEqual(2);
    expect(epoch!.value).toBeGreaterThan(durable!.value);
    expect(total(seen, "eddy_step_items_in_total", { step: "running" })).toBe(500);
  });

  it("counts the items a window step drops as late", { timeout: 120_000 }, async () => {
    // examples/windowed-count.json, whose input then idles: its view of /pricing at 12:00:02 is late.
    const dir = temporaryDirectory();
    const flow = JSON.parse(readFileSync(join(REPO, "examples/windowed-count.json"), "utf8")) as { steps: { input?: { fn: string[] | string } }[] };
    const views = flow.steps[0]!.input!;
    const original = Array.isArray(views.fn) ? views.fn.join("\n") : views.fn;
    views.fn = `(workerIndex, workerCount, resumeState) => (function* () { yield* (${original})(workerIndex, workerCount, resumeState); for (;;) yield undefined; })()`;
    const path = join(dir, "windowed-count.json");
    writeFileSync(path, JSON.stringify(flow));
    const port = await freePort();
    let seen: Sample[] = [];
    const result = await whileRunning(["run", path, "-w", "2", "--metrics-port", String(port)], async (run) => {
      ({ samples: seen } = await scrapeUntil(port, (samples) => total(samples, "eddy_step_items_in_total", { step: "views_per_window" }) === 10, run));
    });
    expect(result.code, describeRun(result)).toBe(130);
    expect(total(seen, "eddy_step_late_items_total", { step: "views_per_window" })).toBe(1);
    expect(matching(seen, "eddy_step_late_items_total").map((sample) => sample.labels.worker).sort()).toEqual(["0", "1"]);
  });

  it("is in eddy run --help; refuses a port in use (RUNNER_METRICS_PORT, exit 2) before it runs anything, and a port that is not a port number", { timeout: 240_000 }, async () => {
    const busy: Server = createNetServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    try {
      const result = await eddy(["run", countingFlow(), "--metrics-port", String(port)], { timeoutMs: RUN_TIMEOUT_MS });
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stderr).toContain(`--metrics-port ${port}: cannot listen on 127.0.0.1:${port}: it is in use (RUNNER_METRICS_PORT)`);
      expect(result.stderr).not.toContain("running");
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    const help = await eddy(["run", "--help"], { timeoutMs: RUN_TIMEOUT_MS });
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.stdout).toContain("--metrics-port <n>");
    for (const bad of ["0", "65536", "80.5", "http"]) {
      const result = await eddy(["run", countingFlow(), "--metrics-port", bad], { timeoutMs: RUN_TIMEOUT_MS });
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stderr).toContain("must be a port number from 1 to 65535");
    }
  });
});

describe("the run's registry", () => {
  const worker = (workerIndex: number, overrides: Partial<WorkerMetrics> = {}): WorkerMetrics => ({
    workerIndex,
    epoch: 4,
    durableEpoch: undefined,
    framesInFlight: undefined,
    steps: [
      { inStep: "in", outStep: "in", op: "input", itemsIn: undefined, itemsOut: 7, lateItems: 0 },
      { inStep: "a", outStep: "c", op: "map", itemsIn: 7, itemsOut: 3, lateItems: 0 },
      { inStep: "w", outStep: "w", op: "fold_window", itemsIn: 3, itemsOut: 1, lateItems: 2 },
      { inStep: "s", outStep: "s", op: "count_window", itemsIn: 3, itemsOut: 1, lateItems: 1 },
    ],
    ...overrides,
  });

  it("reads the latest snapshot of each worker at each scrape, and counts failures by code", async () => {
    const latest = new Map<number, WorkerMetrics>();
    const { registry, failures } = createRunRegistry(latest);
    // Before any worker reported: the names are defined, with no samples.
    const empty = await registry.metrics();
    for (const name of ["eddy_step_items_in_total", "eddy_step_items_out_total", "eddy_step_late_items_total", "eddy_worker_epoch", "eddy_durable_epoch", "eddy_exchange_frames_in_flight", "eddy_worker_failures_total"]) {
      expect(empty).toContain(`# TYPE ${name} `);
      expect(matching(parseExposition(empty), name)).toEqual([]);
    }
    latest.set(0, worker(0, { durableEpoch: 2, framesInFlight: 5 }));
    latest.set(1, worker(1, { durableEpoch: 3, epoch: Infinity }));
    failures.inc({ worker: "1", code: "STEP_NOT_KEYED" });
    const samples = parseExposition(await registry.metrics());
    expect(total(samples, "eddy_step_items_in_total", { step: "a" })).toBe(14);
    expect(total(samples, "eddy_step_items_out_total", { step: "c" })).toBe(6);
    expect(matching(samples, "eddy_step_items_in_total", { step: "in" })).toEqual([]);
    expect(total(samples, "eddy_step_late_items_total", { step: "w", worker: "0" })).toBe(2);
    // Every window step counts late items (collect_window and count_window too).
    expect(total(samples, "eddy_step_late_items_total", { step: "s", worker: "1" })).toBe(1);
    expect(matching(samples, "eddy_step_late_items_total", { step: "a" })).toEqual([]);
    expect(total(samples, "eddy_worker_epoch", { worker: "1" })).toBe(Infinity);
    expect(matching(samples, "eddy_durable_epoch").map((sample) => sample.value)).toEqual([3]);
    expect(matching(samples, "eddy_exchange_frames_in_flight")).toEqual([{ name: "eddy_exchange_frames_in_flight", labels: { worker: "0" }, value: 5 }]);
    expect(matching(samples, "eddy_worker_failures_total")).toEqual([{ name: "eddy_worker_failures_total", labels: { worker: "1", code: "STEP_NOT_KEYED" }, value: 1 }]);
    // A newer snapshot replaces the older: counters are the worker's own totals, not added up again.
    latest.set(0, worker(0, { steps: [{ inStep: "a", outStep: "c", op: "map", itemsIn: 9, itemsOut: 4, lateItems: 0 }] }));
    const after = parseExposition(await registry.metrics());
    expect(total(after, "eddy_step_items_in_total", { step: "a", worker: "0" })).toBe(9);
  });
});
