/**
 * Fail-stop across real processes on 127.0.0.1: a worker that throws in process 1 ends process 0
 * too, with the original message (through `eddy cluster` and through `clusterMain` over TCP); a
 * SIGKILLed process is named by the others, which exit, and a re-run resumes with every record of
 * the file output exactly once (as `eddy run` after a SIGKILL, test/runner/interrupt.test.ts).
 * Times are measured between the processes' ends and bounded generously (the design is 5 s; the
 * assertion is 15 s, so that load cannot break it); kills wait for an observable state.
 */

import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flowFile, lines, removeTemporaryDirectories } from "../runner/cli.js";
import { PACED_ITEMS, apiCluster, describeAll, durableFrontier, eddyCluster, expectExactlyOnce, pacedSum, writtenLines } from "./processes.js";

afterAll(removeTemporaryDirectories);

/** How long after one process's end the others may take to end (the design says 5 s). */
const FAIL_STOP_BOUND_MS = 15_000;

/** Worker 3 (process 1 of 2 × 2) throws after 50 items; the others read an input that never ends. */
function throwingFlow(): string {
  return flowFile([
    {
      id: "nums",
      op: "input",
      input: { type: "function", fn: ["function* (worker) {", "  let i = 0;", "  for (;;) {", "    if (worker === 3 && i === 50) throw new Error('BOOM in worker 3');", "    yield i < 100 ? [i + 1, i++] : undefined;", "  }", "}"] },
    },
    { id: "keyed", op: "map", after: ["nums"], fn: "n => [`k${n % 7}`, n]" },
    { id: "sum", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(s, n) => [s + n, s + n]" },
    { id: "out", op: "capture", after: ["sum"], output: { type: "stdout" } },
  ]);
}

describe("a worker that throws in process 1", () => {
  it("makes process 0 of `eddy cluster` exit too, naming the worker, the step and the original message", { timeout: 120_000 }, async () => {
    const flow = throwingFlow();
    const [zero, one] = await eddyCluster(flow, 2, () => ["-w", "2"]);
    const where = describeAll([zero!, one!]);
    expect(one!.code, where).toBe(3);
    expect(one!.stderr).toContain('Worker 3 failed in step "nums" (input): Error: BOOM in worker 3');
    expect(zero!.code, where).toBe(3);
    expect(zero!.stderr).toMatch(/Worker 3 failed in step "nums" \(input\): Error: BOOM in worker 3 \(in process 1 at 127\.0\.0\.1:\d+\)/);
    expect(Math.abs(zero!.endedAt - one!.endedAt), where).toBeLessThan(FAIL_STOP_BOUND_MS);
  });

  it("rejects clusterMain in process 0 too, with the original message, and the original error in process 1", { timeout: 120_000 }, async () => {
    const flow = throwingFlow();
    const [zero, one] = await apiCluster(flow, 2, 2);
    const where = describeAll([zero!, one!]);
    expect(one!.code, where).toBe(1);
    expect(one!.stderr).toContain('FAILED WORKER_FAILED: Worker 3 failed in step "nums" (input): Error: BOOM in worker 3');
    expect(zero!.code, where).toBe(1);
    expect(zero!.stderr).toMatch(/FAILED WORKER_FAILED: Worker 3 failed in step "nums" \(input\): Error: BOOM in worker 3 \(in process 1 at 127\.0\.0\.1:\d+\)/);
    expect(Math.abs(zero!.endedAt - one!.endedAt), where).toBeLessThan(FAIL_STOP_BOUND_MS);
  });
});


describe("a SIGKILLed process of a 2-process cluster", () => {
  it("is named by the other, which exits; a re-run resumes, and the file output holds every record exactly once", { timeout: 180_000 }, async () => {
    const { endless, ending, dir } = pacedSum();
    // A volume per process, as Kubernetes gives each pod: each process sees only its own partitions.
    const options = (procId: number) => ["-w", "2", "--epoch-length", "20", "--recovery-dir", join(dir, `state-${procId}`)];
    // Killed mid-flow, once every partition has a durable epoch (the input never ends: only the kill ends the run).
    let killedAt = 0;
    let durable = false;
    const watch = setInterval(() => {
      void Promise.all([durableFrontier(join(dir, "state-0"), [0, 1]), durableFrontier(join(dir, "state-1"), [2, 3])]).then((frontiers) => (durable ||= Math.min(...frontiers) >= 1));
    }, 100);
    const midFlow = () => {
      if (!durable || writtenLines(dir).length < 2000) return false;
      clearInterval(watch);
      killedAt = performance.now();
      return true;
    };
    const [zero, one] = await eddyCluster(endless, 2, options, (procId) => (procId === 1 ? { killAfterMs: 0, killWhen: midFlow } : {})).finally(() => clearInterval(watch));
    const where = describeAll([zero!, one!]);
    expect(one!.killed, where).toBe(true);
    expect(zero!.code, where).toBe(5);
    expect(zero!.stderr).toMatch(/process 1 at 127\.0\.0\.1:\d+ died: its connection closed without an orderly end/);
    expect(zero!.endedAt - killedAt, where).toBeLessThan(FAIL_STOP_BOUND_MS);
    const partial = writtenLines(dir).length;
    expect(partial).toBeLessThan(PACED_ITEMS);

    const resumed = await eddyCluster(ending, 2, options);
    for (const result of resumed) expect(result.code, describeAll(resumed)).toBe(0);
    expect(resumed[0]!.stderr, describeAll(resumed)).toMatch(/resuming at epoch [1-9]/);
    expectExactlyOnce(dir);
  });
});

describe("a process of a 2-process cluster that goes silent", () => {
  /** Every worker reads an input that never ends, one item every few ms. */
  const endlessFlow = () =>
    flowFile([
      { id: "nums", op: "input", input: { type: "function", fn: ["async function* (worker) {", "  for (let i = 0; ; i++) {", "    await new Promise((resolve) => setTimeout(resolve, 2));", "    yield [i + 1, worker * 1e9 + i];", "  }", "}"] } },
      { id: "keyed", op: "map", after: ["nums"], fn: "n => [`k${n % 7}`, n]" },
      { id: "sum", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(s, n) => [s + n, s + n]" },
      { id: "out", op: "capture", after: ["sum"], output: { type: "stdout" } },
    ]);

  it("(SIGSTOP, as a frozen machine: its connections stay open) is named by the other, which exits with code 5", { timeout: 120_000 }, async () => {
    let stoppedAt = 0;
    let stopped: ChildProcess | undefined;
    const [zero, one] = await eddyCluster(endlessFlow(), 2, () => ["--peer-timeout", "3000"], (procId) => ({
      onStart: (child, output) => {
        if (procId === 0) {
          // Process 1 is stopped, not dead: end it once process 0 has judged.
          child.on("exit", () => stopped?.kill("SIGKILL"));
          return;
        }
        stopped = child;
        const watch = setInterval(() => {
          if (output.stdout().split("\n").length < 200) return;
          clearInterval(watch);
          stoppedAt = performance.now();
          child.kill("SIGSTOP");
        }, 5);
        child.on("exit", () => clearInterval(watch));
      },
    }));
    const where = describeAll([zero!, one!]);
    expect(stoppedAt, where).toBeGreaterThan(0);
    expect(zero!.code, where).toBe(5);
    expect(zero!.stderr).toMatch(/process 1 at 127\.0\.0\.1:\d+ went silent: nothing heard from it for \d+\.\d s \(stopped, hung, or cut off by the network; the peer timeout is 3 s\)/);
    // 3 s of silence, then at most a beat; bounded generously against a loaded machine.
    expect(zero!.endedAt - stoppedAt, where).toBeLessThan(3_000 + FAIL_STOP_BOUND_MS);
    expect(one!.signal, where).toBe("SIGKILL");
  });

  it("is not a worker busy in one long call: the main thread beats meanwhile, and the run ends well", { timeout: 120_000 }, async () => {
    const flow = flowFile([
      { id: "nums", op: "input", input: { type: "function", fn: ["function* (worker) {", "  for (let i = 0; i < 20; i++) yield [i + 1, worker * 100 + i];", "}"] } },
      // Worker 1 (process 1) spends 6 s in one call, twice the peer timeout.
      { id: "slow", op: "map", after: ["nums"], fn: "(n) => { if (n === 105) { const end = Date.now() + 6000; while (Date.now() < end) {} } return n; }" },
      { id: "keyed", op: "map", after: ["slow"], fn: "n => [`k${n % 7}`, n]" },
      { id: "sum", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(s, n) => [s + n, s + n]" },
      { id: "out", op: "capture", after: ["sum"], output: { type: "stdout" } },
    ]);
    const results = await eddyCluster(flow, 2, () => ["--peer-timeout", "3000"]);
    const where = describeAll(results);
    for (const result of results) expect(result.code, where).toBe(0);
    // Running sums per key: each key's largest is its total.
    const totals = new Map<string, number>();
    for (const line of results.flatMap((result) => lines(result.stdout))) {
      const [key, sum] = JSON.parse(line) as [string, number];
      totals.set(key, Math.max(totals.get(key) ?? 0, sum));
    }
    const expected = new Map<string, number>();
    for (const worker of [0, 1]) for (let i = 0; i < 20; i++) expected.set(`k${(worker * 100 + i) % 7}`, (expected.get(`k${(worker * 100 + i) % 7}`) ?? 0) + worker * 100 + i);
    expect([...totals].sort()).toEqual([...expected].sort());
    expect(results[1]!.stderr, where).not.toContain("went silent");
  });
});
