/**
 * The deployed cluster, run on this machine the way its pods run it: one `eddy cluster` process per
 * pod, each with its pod's command, environment and files (localPods.ts says what changes on one
 * machine: the addresses become 127.0.0.1 with a free port each, the mount paths directories, the
 * metrics port a free port each; nothing else). Then the README's life cycle: the processes connect,
 * pass their readiness probe and count every user's clicks on exactly one process; SIGTERM to all
 * (a scale to 0) stops each at an epoch boundary (exit 130) well within the grace period; started
 * again they resume; started with another count they are refused (the worker count changed) until
 * their recovery volumes are emptied (the PVCs deleted), when they start fresh. Its first test
 * fails, saying so, when `eddy cluster` is missing: it never skips.
 */

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freePorts } from "../../scripts/kafka/processes.js";
import { BIN, removeTemporaryDirectories, temporaryDirectory } from "../runner/cli.js";
import { localPod, type LocalPod } from "./localPods.js";
import type { Deployment } from "./manifests.js";
import { DEPLOY_DIR, renderedDeployment } from "./tools.js";

afterAll(removeTemporaryDirectories);

/** A running pod's process. */
interface PodProcess {
  readonly pod: LocalPod;
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const running: PodProcess[] = [];
afterEach(() => {
  // Whatever a failed test left running is SIGKILLed, by the pid this test started.
  for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
});

function start(pod: LocalPod): PodProcess {
  const child = spawn(process.execPath, [BIN, ...pod.args], { cwd: pod.dir, env: { ...pod.env }, stdio: ["ignore", "pipe", "pipe"] });
  const started: PodProcess = {
    pod,
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, at: Date.now() }))),
  };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (started.stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (started.stderr += chunk));
  running.push(started);
  return started;
}

function describeAll(processes: readonly PodProcess[]): string {
  return processes.map((p) => `--- pod ${p.pod.ordinal} (exit ${p.child.exitCode ?? p.child.signalCode ?? "running"}):\n${p.stderr}`).join("\n");
}

/** Waits until `condition` holds (polled every 250 ms), failing with the processes' stderr after `ms`. */
async function until(condition: () => boolean, ms: number, what: string, processes: readonly PodProcess[]): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms\n${describeAll(processes)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The `{ user, clicks }` lines a process printed. */
function counts(process: PodProcess): { user: string; clicks: number }[] {
  return process.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { user: string; clicks: number });
}

const USERS = Array.from({ length: 10 }, (_, i) => `user-${i}`);

/** Starts every pod, waits for their probes and for every user's count, then SIGTERMs them all; returns each exit. */
async function runUntilEveryUserCounted(pods: readonly LocalPod[], graceMs: number): Promise<PodProcess[]> {
  const processes = pods.map(start);
  await until(() => processes.every((p) => spawnSync(p.pod.probe[0] as string, p.pod.probe.slice(1), { timeout: 5_000 }).status === 0), 60_000, "every readiness probe passing", processes);
  await until(() => new Set(processes.flatMap((p) => counts(p).map((count) => count.user))).size === USERS.length, 60_000, "a count for every user", processes);
  const signalledAt = Date.now();
  for (const p of processes) p.child.kill("SIGTERM");
  for (const p of processes) {
    const exit = await Promise.race([p.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), graceMs))]);
    expect(exit, `pod ${p.pod.ordinal} was still running ${graceMs} ms after SIGTERM (the grace period)\n${describeAll(processes)}`).toBeDefined();
    expect(exit?.code, describeAll(processes)).toBe(130);
    expect(exit!.at - signalledAt).toBeLessThan(graceMs);
  }
  return processes;
}

async function layOut(deployment: Deployment, root: string): Promise<LocalPod[]> {
  const count = deployment.set.spec.replicas ?? 1;
  const [clusterPorts, metricsPorts] = [await freePorts(count), await freePorts(count)];
  return Array.from({ length: count }, (_, ordinal) => localPod(deployment.set, deployment.configMap, ordinal, { root, namespace: "default", clusterPorts, metricsPorts }));
}

/** Fails, saying why, when this checkout's `eddy` has no `cluster` command. */
function expectEddyCluster(): void {
  // Commander answers `--help` after an unknown command with the program's help and exit 0: only `Usage: eddy cluster` tells.
  const help = spawnSync(process.execPath, [BIN, "cluster", "--help"], { encoding: "utf8", timeout: 30_000 });
  const usage = /^Usage: eddy cluster /m.test(help.stdout);
  expect(
    usage && help.status === 0,
    "`eddy cluster` is missing from this checkout (it comes with the branch that builds it): the deployed cluster cannot run without it\n" +
      `eddy cluster --help exited ${help.status} and printed:\n${help.stdout}${help.stderr}`,
  ).toBe(true);
}

describe("the deployed cluster, run locally as its pods run it", () => {
  it("has an `eddy cluster` command to run", () => {
    expectEddyCluster();
  });

  it("connects, counts every user on one process, stops at an epoch boundary on SIGTERM, resumes, refuses another count until its volumes are emptied", async () => {
    expectEddyCluster();
    const deployment = renderedDeployment();
    const graceMs = (deployment.set.spec.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const root = temporaryDirectory("eddy-local-cluster-");
    const pods = await layOut(deployment, root);

    // Start: every user's clicks are counted by the one worker that owns the user's key.
    const first = await runUntilEveryUserCounted(pods, graceMs);
    const owners = new Map<string, Set<number>>();
    for (const p of first) for (const { user } of counts(p)) owners.set(user, (owners.get(user) ?? new Set()).add(p.pod.ordinal));
    for (const [user, ordinals] of owners) expect([...ordinals], `${user} was counted on pods ${[...ordinals]}`).toHaveLength(1);
    for (const p of first) expect(readdirSync(join(p.pod.dir, "recovery")).length, `pod ${p.pod.ordinal} wrote no recovery store`).toBeGreaterThan(0);

    // Scale to 0 and back: the same pods resume from their volumes.
    const second = await runUntilEveryUserCounted(pods, graceMs);
    for (const p of second) expect(p.stderr, describeAll(second)).toMatch(/resum/i);

    // Another count (kustomization.yaml's count 3 -> 2): refused by every recovery store (exit 4).
    const changedDir = join(temporaryDirectory("eddy-local-cluster-"), "kubernetes");
    cpSync(DEPLOY_DIR, changedDir, { recursive: true });
    const kustomization = join(changedDir, "kustomization.yaml");
    writeFileSync(kustomization, readFileSync(kustomization, "utf8").replace(/count: 3\b/, "count: 2"));
    const changed = renderedDeployment(changedDir);
    expect(changed.set.spec.replicas).toBe(2);
    const fewer = (await layOut(changed, root)).map(start);
    for (const p of fewer) {
      const exit = await Promise.race([p.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000))]);
      expect(exit?.code, describeAll(fewer)).toBe(4);
      expect(p.stderr, describeAll(fewer)).toMatch(/was written by a run with 6 workers; this run has 4/);
    }

    // The PVCs deleted: empty recovery volumes, a fresh start with the new count.
    for (const pod of pods) rmSync(join(pod.dir, "recovery"), { recursive: true, force: true });
    const fresh = await runUntilEveryUserCounted(await layOut(changed, root), graceMs);
    for (const p of fresh) expect(p.stderr, describeAll(fresh)).not.toMatch(/resum/i);
  }, 600_000);
});
