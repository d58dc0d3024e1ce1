/**
 * Fail-stop across real processes on 127.0.0.1: a worker that throws in process 1 ends process 0
 * too, with the original message (through `eddy cluster` and through `clusterMain` over TCP); a
 * SIGKILLed process is named by the others, which exit, and a re-run resumes with every record of
 * the file output exactly once (as `eddy run` after a SIGKILL, test/runner/interrupt.test.ts).
 * Times are measured between the processes' ends and bounded generously (the design is 5 s; the
 * assertion is 15 s, so that load cannot break it); kills wait for an observable state.
 */

import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flowFile, removeTemporaryDirectories } from "../runner/cli.js";
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
