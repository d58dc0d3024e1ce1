/**
 * The runner's clusters as a user runs them: `eddy run -n` (signals forwarded, the exit of the
 * failure), `eddy cluster` processes started by hand (a stop asked in one process stops all at one
 * epoch boundary, refusals of a mismatch and of an address that never answers, the place read from
 * EDDY_* variables), recovery refused alike in every process, and `spawnCluster` rejecting with the
 * failing child's message.
 */

import type { ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freeLocalAddresses } from "../../node-runner/cluster/localProcesses.js";
import { REPO, describeRun, eddy, exampleCopy, flowFile, lines, removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { PACED_ITEMS, apiCluster, apiRun, describeAll, eddyCluster, expectExactlyOnce, outputOf, pacedSum, writtenLines } from "./processes.js";

afterAll(removeTemporaryDirectories);


/** Sends `signal` once the run wrote output (polled; the run cannot end before: its input never ends). */
function signalOnOutput(dir: string, signal: NodeJS.Signals): (child: ChildProcess) => void {
  return (child) => {
    const poll = setInterval(() => {
      if (writtenLines(dir).length < 1000) return;
      clearInterval(poll);
      child.kill(signal);
    }, 20);
    child.once("exit", () => clearInterval(poll));
  };
}

let parentPid = 0;

/** The pids of the `eddy cluster` processes whose parent is `pid` (from /proc). */
function clusterChildrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid && readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").includes("cluster");
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Whether process `pid` runs (a zombie does not). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("eddy run -n", () => {
  it("forwards SIGINT: every process stops at one epoch boundary (exit 130), and a re-run completes, exactly once", { timeout: 180_000 }, async () => {
    const { endless, ending, dir } = pacedSum();
    const options = ["-n", "2", "-w", "2", "--epoch-length", "20", "--recovery-dir", join(dir, "state")];
    const stopped = await eddy(["run", endless, ...options], { timeoutMs: 90_000, onStart: signalOnOutput(dir, "SIGINT") });
    expect(stopped.code, describeRun(stopped)).toBe(130);
    expect(stopped.stderr.match(/SIGINT: stopping every process at the next epoch boundary/g)).toHaveLength(2);
    expect(stopped.stderr.match(/stopped at an epoch boundary/g)).toHaveLength(2);
    expect(writtenLines(dir).length).toBeLessThan(PACED_ITEMS);

    const resumed = await eddy(["run", ending, ...options], { timeoutMs: 90_000 });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(resumed.stderr).toMatch(/resuming at epoch [1-9]/);
    expectExactlyOnce(dir);
  });

  it("leaves no process behind when it is SIGKILLed: its children stop on their own", { timeout: 120_000 }, async () => {
    const { endless, dir } = pacedSum();
    let children: number[] = [];
    const result = await eddy(["run", endless, "-n", "2", "-w", "1"], {
      timeoutMs: 60_000,
      killAfterMs: 0,
      killWhen: () => {
        if (writtenLines(dir).length < 200) return false;
        children = clusterChildrenOf(parentPid);
        return children.length === 2;
      },
      onStart: (child) => (parentPid = child.pid!),
    });
    expect(result.killed, describeRun(result)).toBe(true);
    const deadline = performance.now() + 15_000;
    while (children.some(isRunning) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const left = children.filter(isRunning);
    for (const pid of left) process.kill(pid, "SIGKILL");
    expect(left, "children still running 15 s after their parent was killed").toEqual([]);
  });

  it("exits with the failure's code and message when a worker throws, its output in whole lines", { timeout: 120_000 }, async () => {
    const flow = flowFile([
      { id: "nums", op: "input", input: { type: "function", fn: ["function* (worker) {", "  for (let i = 0; ; i++) {", "    if (worker === 3 && i === 20) throw new Error('BOOM in worker 3');", "    yield [i + 1, `line ${worker} ${i} ${'x'.repeat(200)}`];", "  }", "}"] } },
      { id: "out", op: "capture", after: ["nums"], output: { type: "stdout" } },
    ]);
    const result = await eddy(["run", flow, "-n", "2", "-w", "2"], { timeoutMs: 90_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toContain('Worker 3 failed in step "nums" (input): Error: BOOM in worker 3');
    for (const line of lines(result.stdout)) expect(line).toMatch(/^line \d \d+ x{200}$/);
  });
});

describe("eddy cluster", () => {
  it("stops every process at one epoch boundary on a SIGTERM to one of them (exit 130); a re-run completes, exactly once", { timeout: 180_000 }, async () => {
    const { endless, ending, dir } = pacedSum();
    const options = (procId: number) => ["-w", "2", "--epoch-length", "20", "--recovery-dir", join(dir, `state-${procId}`)];
    const stopped = await eddyCluster(endless, 2, options, (procId) => (procId === 1 ? { onStart: signalOnOutput(dir, "SIGTERM") } : {}));
    for (const result of stopped) expect(result.code, describeAll(stopped)).toBe(130);
    expect(stopped[1]!.stderr).toContain("SIGTERM: stopping every process at the next epoch boundary");
    expect(stopped[0]!.stderr).toContain("another process was asked to stop: stopping at the next epoch boundary");

    const resumed = await eddyCluster(ending, 2, options);
    for (const result of resumed) expect(result.code, describeAll(resumed)).toBe(0);
    expect(resumed[1]!.stderr).toMatch(/resuming at epoch [1-9]/);
    expectExactlyOnce(dir);
  });

  it("refuses processes that run different flows, or different -w, in every process, naming both sides (exit 2)", { timeout: 120_000 }, async () => {
    const first = exampleCopy("wordcount");
    const second = join(dirname(first), "wordcount-changed.json");
    writeFileSync(second, readFileSync(first, "utf8").replace("line => line.toLowerCase()", "line => line.toUpperCase()"));
    const [a, b] = await (async () => {
      const addresses = await freeLocalAddresses(2);
      const args = (procId: number) => ["cluster", procId === 0 ? first : second, "-p", String(procId), ...addresses.flatMap((address) => ["-a", address])];
      return Promise.all([0, 1].map((procId) => eddy(args(procId), { timeoutMs: 60_000 })));
    })();
    expect([a!.code, b!.code], describeAll([a!, b!])).toEqual([2, 2]);
    expect(a!.stderr).toMatch(/process 1 at 127\.0\.0\.1:\d+ runs flow fingerprint [0-9a-f]{16}, this process \(0\) [0-9a-f]{16}/);
    expect(b!.stderr).toMatch(/process 0 at 127\.0\.0\.1:\d+ runs flow fingerprint [0-9a-f]{16}, this process \(1\) [0-9a-f]{16}/);

    const workers = await eddyCluster(first, 2, (procId) => ["-w", String(procId + 1)]);
    expect(workers.map((result) => result.code), describeAll(workers)).toEqual([2, 2]);
    expect(workers[0]!.stderr).toMatch(/process 1 at 127\.0\.0\.1:\d+ runs 2 workers per process \(-w\), this process \(0\) 1/);
    expect(workers[1]!.stderr).toMatch(/process 0 at 127\.0\.0\.1:\d+ runs 1 workers per process \(-w\), this process \(1\) 2/);
  });

  it("names the address that never answered, once its connection bound passed (exit 5)", { timeout: 60_000 }, async () => {
    const flow = exampleCopy("wordcount");
    const [silent, own] = await freeLocalAddresses(2);
    const result = await eddy(["cluster", flow, "-p", "1", "-a", silent!, "-a", own!, "--connect-timeout", "2000"], { timeoutMs: 40_000 });
    expect(result.code, describeRun(result)).toBe(5);
    expect(result.stderr).toContain(`process 0 at ${silent} never answered within 2 s (last: ECONNREFUSED)`);
  });

  it("refuses a place that cannot work (a process id beyond the addresses, an address that is not HOST:PORT) before anything starts (exit 2)", { timeout: 60_000 }, async () => {
    const flow = exampleCopy("wordcount");
    const beyond = await eddy(["cluster", flow, "-p", "2", "-a", "127.0.0.1:4001", "-a", "127.0.0.1:4002"], { timeoutMs: 30_000 });
    expect(beyond.code, describeRun(beyond)).toBe(2);
    expect(beyond.stderr).toContain("Process id 2 is not one of this cluster's 2 processes (0 to 1, one per address)");
    const notAnAddress = await eddy(["cluster", flow], { timeoutMs: 30_000, env: { EDDY_PROCESS_ID: "0", EDDY_ADDRESSES: "127.0.0.1:4001;nowhere", EDDY_WORKERS_PER_PROCESS: "1" } });
    expect(notAnAddress.code, describeRun(notAnAddress)).toBe(2);
    expect(notAnAddress.stderr).toContain('The address of process 1, "nowhere", is not HOST:PORT');
    for (const result of [beyond, notAnAddress]) expect(result.stderr).not.toContain("connecting");
  });

  it("reads its place from EDDY_* variables when -p and -a are absent (a pod's name and a host file, or an id and a list)", { timeout: 120_000 }, async () => {
    const flow = exampleCopy("wordcount");
    const addresses = await freeLocalAddresses(2);
    const hostfile = join(temporaryDirectory(), "hosts");
    writeFileSync(hostfile, `${addresses.join("\n")}\n\n`);
    const envs = [
      { EDDY_POD_NAME: "eddy-0", EDDY_STATEFULSET_NAME: "eddy", EDDY_HOSTFILE_PATH: hostfile, EDDY_WORKERS_PER_PROCESS: "2" },
      { EDDY_PROCESS_ID: "1", EDDY_ADDRESSES: addresses.join(";"), EDDY_WORKERS_PER_PROCESS: "2" },
    ];
    const results = await Promise.all(envs.map((env) => eddy(["cluster", flow], { timeoutMs: 90_000, env })));
    for (const result of results) expect(result.code, describeAll(results)).toBe(0);
    expect(results[0]!.stderr).toContain(`process 0 at ${addresses[0]}`);
    expect(results[0]!.stderr).toContain("workers 0 to 1 of 4");
    // Started by a scheduler (pods come up minutes apart at times), the processes wait long for each other.
    for (const result of results) expect(result.stderr).toContain("connecting to the others (for at most 600 s)");
    const expected = lines(readFileSync(join(REPO, "examples/expected/wordcount.txt"), "utf8")).sort();
    expect(outputOf(results, join(dirname(flow), "out"))).toEqual(expected);
  });

  it("refuses to resume with another worker count in every process alike (exit 4), and starts over with --fresh", { timeout: 180_000 }, async () => {
    const flow = exampleCopy("wordcount");
    const dir = dirname(flow);
    const options = (workers: number, ...more: string[]) => (procId: number) => ["-w", String(workers), "--recovery-dir", join(dir, `state-${procId}`), ...more];
    const first = await eddyCluster(flow, 2, options(1));
    for (const result of first) expect(result.code, describeAll(first)).toBe(0);
    // With -p and -a (a person, or eddy run -n), the default bound on connecting.
    for (const result of first) expect(result.stderr).toContain("connecting to the others (for at most 30 s)");

    const refused = await eddyCluster(flow, 2, options(2));
    for (const result of refused) {
      expect(result.code, describeAll(refused)).toBe(4);
      expect(result.stderr).toContain("the recovery store refused or failed (RECOVERY_WORKER_COUNT)");
      expect(result.stderr).toContain("was written by a run with 2 workers; this run has 4");
      expect(result.stderr).toContain("(run with --fresh to start over)");
    }
    const fresh = await eddyCluster(flow, 2, options(2, "--fresh"));
    for (const result of fresh) expect(result.code, describeAll(fresh)).toBe(0);
  });
});

describe("clusterMain over TCP", () => {
  it("stops every process at one epoch boundary on a SIGINT to one of them: every promise resolves, and a re-run completes, exactly once", { timeout: 180_000 }, async () => {
    const { endless, ending, dir } = pacedSum();
    // The flow file's recovery, as `eddy run` would use it: one directory shared by both processes.
    for (const path of [endless, ending]) {
      const definition = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      writeFileSync(path, JSON.stringify({ ...definition, execution: { epoch: { type: "periodic", length: 20 }, recovery: { type: "file", dir: "state" } } }));
    }
    const stopped = await apiCluster(endless, 2, 2, (procId) => (procId === 0 ? { onStart: signalOnOutput(dir, "SIGINT") } : {}));
    for (const result of stopped) expect(result.code, describeAll(stopped)).toBe(0);
    expect(stopped[0]!.stderr).toContain("SIGINT: stopping every process of the cluster at the next epoch boundary");
    expect(writtenLines(dir).length).toBeLessThan(PACED_ITEMS);

    const resumed = await apiCluster(ending, 2, 2);
    for (const result of resumed) expect(result.code, describeAll(resumed)).toBe(0);
    expectExactlyOnce(dir);
  });
});

describe("spawnCluster", () => {
  it("rejects with the failing worker's message", { timeout: 120_000 }, async () => {
    const flow = flowFile([
      { id: "nums", op: "input", input: { type: "function", fn: ["function* (worker) {", "  for (let i = 0; ; i++) {", "    if (worker === 3 && i === 20) throw new Error('BOOM in worker 3');", "    yield i < 100 ? [i + 1, i] : undefined;", "  }", "}"] } },
      { id: "out", op: "capture", after: ["nums"], output: { type: "stdout" } },
    ]);
    const result = await apiRun(flow, ["spawn", "2", "2"]);
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/FAILED WORKER_FAILED: Worker 3 failed in step "nums" \(input\): Error: BOOM in worker 3/);
  });
});
