/**
 * The broker harness (scripts/kafka/, `npm run kafka`) with real processes: it refuses busy ports
 * and refuses to stop a process that is not its broker, a broker it starts from the command line
 * stops and leaves nothing behind, and a broker whose starter is SIGKILLed is stopped by the
 * watchdog.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import { KAFKA_VERSION } from "../../scripts/kafka/jars.js";
import { freePorts, isAlive, processInfo, waitFor } from "../../scripts/kafka/processes.js";
import { readBrokerRecord, recordPath, writeBrokerRecord } from "../../scripts/kafka/runDir.js";
import { KAFKA_READY_TIMEOUT_MS, kafkaBrokers } from "../helpers/kafka.js";
import { REPO, runNode } from "../runner/cli.js";

const KAFKA_CLI = join(REPO, "scripts/kafka.ts");
const BROKER_START_MS = 150_000;
const children: ChildProcess[] = [];
const directories: string[] = [];

function runDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), "eddy-kafka-harness-"));
  directories.push(dir);
  return dir;
}

/** A real process that holds 127.0.0.1:`port`; resolves once it listens. */
async function holdPort(port: number): Promise<ChildProcess> {
  const holder = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${port}, "127.0.0.1", () => console.log("listening"))`], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(holder);
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.once("data", () => resolve());
    holder.once("exit", (code) => reject(new Error(`the port holder exited with ${code}`)));
  });
  return holder;
}

function kafka(args: readonly string[], timeoutMs = 30_000) {
  return runNode([KAFKA_CLI, ...args], { timeoutMs });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the broker harness refuses", () => {
  it("a busy port or controller port, naming it, before it starts a JVM", async () => {
    const [busy, free] = (await freePorts(2)) as [number, number];
    await holdPort(busy);
    for (const ports of [["--port", String(busy), "--controller-port", String(free)], ["--port", String(free), "--controller-port", String(busy)]]) {
      const dir = runDirectory();
      const result = await kafka(["start", ...ports, "--dir", dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`kafka: cannot start Kafka: (controller )?port ${busy} on 127\\.0\\.0\\.1 is already in use`));
      expect(readBrokerRecord(dir)).toBeUndefined();
    }
  });

  it("the port of a running broker (the run's own)", async () => {
    const [bootstrap] = await kafkaBrokers();
    const [free] = await freePorts(1);
    const result = await kafka(["start", "--port", bootstrap!.split(":")[1]!, "--controller-port", String(free), "--dir", runDirectory()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${bootstrap!.split(":")[1]} on 127.0.0.1 is already in use`);
  }, KAFKA_READY_TIMEOUT_MS);

  it("to stop a process that is not its broker, and signals nothing", async () => {
    const sleeper = spawn("sleep", ["300"], { stdio: "ignore" });
    children.push(sleeper);
    const dir = runDirectory();
    const record = { eddyKafkaRun: 1, state: "ready", bootstrap: "127.0.0.1:1", port: 1, controllerPort: 2, kafkaVersion: KAFKA_VERSION, startedAt: new Date().toISOString() } as const;
    writeBrokerRecord(dir, { ...record, pid: sleeper.pid! });
    const result = await kafka(["stop", "--dir", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`kafka: refusing to stop pid ${sleeper.pid}: it is not the Kafka broker started from ${dir} (its command line is "sleep 300")`);
    expect(isAlive(sleeper.pid!)).toBe(true);
    expect(existsSync(recordPath(dir))).toBe(true);

    // A real Kafka broker, but started from another directory: the run's own.
    const runDir = inject("kafkaRunDir");
    if (runDir === "") return; // KAFKA_BROKERS named a broker this run did not start
    await kafkaBrokers();
    const brokerPid = readBrokerRecord(runDir)!.pid!;
    writeBrokerRecord(dir, { ...record, pid: brokerPid });
    const other = await kafka(["stop", "--dir", dir]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`refusing to stop pid ${brokerPid}: it is not the Kafka broker started from ${dir}`);
    expect(processInfo(brokerPid)?.cmdline).toContain("kafka.Kafka");
  }, KAFKA_READY_TIMEOUT_MS);
});

describe("a broker of the harness", () => {
  it("starts from the command line, reports itself, refuses a second start and stops leaving nothing behind", async () => {
    const [port, controllerPort] = (await freePorts(2)) as [number, number];
    const dir = runDirectory();
    const where = ["--dir", dir];
    const started = await kafka(["start", "--port", String(port), "--controller-port", String(controllerPort), "--watch-pid", String(process.pid), ...where], BROKER_START_MS);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`clients connect to 127.0.0.1:${port}`);
    const record = readBrokerRecord(dir)!;
    expect(record).toMatchObject({ state: "ready", bootstrap: `127.0.0.1:${port}`, port, controllerPort, watchPid: process.pid });
    expect(processInfo(record.pid!)?.cmdline).toContain(`kafka.Kafka ${join(dir, "server.properties")}`);
    expect(processInfo(record.watchdogPid!)?.cmdline).toContain("watchdog.sh");

    const status = await kafka(["status", ...where]);
    expect(status.stdout).toContain(`running: Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (pid ${record.pid}, ready`);
    expect((await kafka(["logs", "5", ...where])).stdout).toContain("Kafka Server started");
    const again = await kafka(["start", "--port", String(port), "--controller-port", String(controllerPort), ...where]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`a broker already runs from ${dir} (pid ${record.pid}`);

    const stopped = await kafka(["stop", ...where]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`stopped the broker of ${dir}`);
    expect(isAlive(record.pid!)).toBe(false);
    expect(isAlive(record.watchdogPid!)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    const after = await kafka(["status", ...where]);
    expect({ code: after.code, stdout: after.stdout.trim() }).toEqual({ code: 1, stdout: "stopped" });
  }, BROKER_START_MS + 60_000);

  it("is stopped and removed by the watchdog when the process that started it is SIGKILLed", async () => {
    const [port, controllerPort] = (await freePorts(2)) as [number, number];
    const dir = runDirectory();
    let stdout = (): string => "";
    let brokerWasUp = false;
    const result = await runNode([join(REPO, "test/kafka/fixtures/startWatchedBroker.ts"), dir, String(port), String(controllerPort)], {
      timeoutMs: BROKER_START_MS,
      killAfterMs: 0,
      killWhen: () => {
        const pid = /ready (\d+)/.exec(stdout())?.[1];
        brokerWasUp = pid !== undefined && processInfo(Number(pid))?.cmdline.includes("kafka.Kafka") === true;
        return brokerWasUp;
      },
      onStart: (_child, output) => (stdout = output.stdout),
    });
    expect(result.stderr).toBe("");
    expect(result.killed).toBe(true);
    expect(brokerWasUp).toBe(true);
    const brokerPid = Number(/ready (\d+)/.exec(result.stdout)![1]);
    expect(await waitFor(() => !isAlive(brokerPid) && !existsSync(dir), 40_000, 200)).toBe(true);
  }, BROKER_START_MS + 60_000);
});
