/**
 * One throwaway Apache Kafka 3.9.1 broker in KRaft combined mode (broker and controller in one
 * JVM), on 127.0.0.1 only, for the tests (test/helpers/kafkaGlobalSetup.ts) and for users
 * (`npm run kafka start`, scripts/kafka.ts): jars from Maven Central (jars.ts), a fresh data dir
 * formatted as `kafka-storage format` does, then the broker's main class, `kafka.Kafka`.
 *
 * - Start refuses a busy port or a run directory it did not make, and is ready only when the log
 *   says "Kafka Server started", a TCP connection opens and kafkajs' describeCluster answers, all
 *   within `readyTimeoutMs` (90 s); otherwise it kills the JVM and throws with the log's tail.
 * - Stop signals only the PID it recorded, after checking that /proc/PID/cmdline is still
 *   `kafka.Kafka` with this run directory's server.properties; then it removes the run directory.
 * - With `watchPid`, a watchdog (watchdog.sh) stops the broker and removes its directory when that
 *   process exits, so a killed test run leaves no broker behind.
 */

import { spawn } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { fetchKafkaJars, KAFKA_CONFIG_DIR, KAFKA_HOME, KAFKA_LIBS, KAFKA_VERSION, KafkaHarnessError, REPO_ROOT, requireJava } from "./jars.js";
import { canConnect, isAlive, isPortFree, processInfo, sleep, waitFor, type ProcessInfo } from "./processes.js";
import { dataPath, isReusable, logPath, logTail, propertiesPath, readBrokerRecord, removeRunDir, writeBrokerRecord, type BrokerRecord } from "./runDir.js";

export const DEFAULT_RUN_DIR = join(KAFKA_HOME, "broker");
export const DEFAULT_READY_TIMEOUT_MS = 90_000;
const CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";
const WATCHDOG = join(REPO_ROOT, "scripts/kafka/watchdog.sh");
const CLASSPATH = `${KAFKA_LIBS}/*`; // quoted for the JVM, which expands the wildcard itself
/** The flags of Kafka's own scripts, plus C1 only: the broker starts on about 40% less CPU, which the tests running beside it get. */
const JVM_OPTIONS = [
  "-XX:TieredStopAtLevel=1",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-Djava.awt.headless=true",
  `-Dlog4j.configuration=file:${join(KAFKA_CONFIG_DIR, "log4j.properties")}`,
];

export interface KafkaBrokerOptions {
  /** The PLAINTEXT port clients use, on 127.0.0.1 (default 9092). */
  readonly port?: number;
  /** The KRaft controller's port, on 127.0.0.1 (default 9093). */
  readonly controllerPort?: number;
  /** Holds the broker's config, log and data; made if missing, removed on stop (default .kafka/broker). */
  readonly runDir?: string;
  /** Stop the broker when the process with this PID exits (default: no watchdog). */
  readonly watchPid?: number;
  readonly readyTimeoutMs?: number;
  /** JVM heap options (default -Xms256m -Xmx512m). */
  readonly heap?: readonly string[];
  /** Aborting kills a broker that is still starting; the start then rejects. */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export interface KafkaBroker {
  /** "127.0.0.1:PORT": the bootstrap address for clients. */
  readonly bootstrap: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly pid: number;
  readonly runDir: string;
  /** Milliseconds from the start call to ready (jars already fetched). */
  readonly readyMs: number;
  stop(): Promise<void>;
}

/** Starts a broker and resolves once it is ready; see the header for what it refuses and checks. */
export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const started = performance.now();
  const { port = 9092, controllerPort = 9093, runDir = DEFAULT_RUN_DIR, readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS, log = () => {} } = options;
  requireJava();
  const running = runningBroker(runDir);
  if (running !== undefined) {
    throw new KafkaHarnessError("already-running", `a broker already runs from ${runDir} (pid ${running.pid}, ${running.bootstrap}); stop it first`);
  }
  for (const [name, value] of [["port", port], ["controller port", controllerPort]] as const) {
    if (!(await isPortFree(value))) {
      throw new KafkaHarnessError("port-busy", `cannot start Kafka: ${name} ${value} on 127.0.0.1 is already in use (another broker or program); choose other ports`);
    }
  }
  if (!isReusable(runDir)) {
    throw new KafkaHarnessError("start-failed", `cannot start Kafka in ${runDir}: the directory is not empty and was not made by this harness`);
  }
  await fetchKafkaJars(log);

  removeRunDir(runDir);
  mkdirSync(dataPath(runDir), { recursive: true });
  const bootstrap = `127.0.0.1:${port}`;
  let record: BrokerRecord = {
    eddyKafkaRun: 1,
    state: "starting",
    bootstrap,
    port,
    controllerPort,
    kafkaVersion: KAFKA_VERSION,
    ...(options.watchPid !== undefined ? { watchPid: options.watchPid } : {}),
    startedAt: new Date().toISOString(),
  };
  writeBrokerRecord(runDir, record);
  writeFileSync(propertiesPath(runDir), serverProperties(port, controllerPort, dataPath(runDir)));

  const aborted = (): boolean => options.signal?.aborted === true;
  const fail = async (message: string): Promise<never> => {
    if (record.pid !== undefined) await terminate(record.pid, (info) => isBrokerOf(info, runDir), 5_000);
    const tail = logTail(runDir);
    const error = `${message}${tail === "" ? "" : `\nLast lines of ${logPath(runDir)}:\n${tail}`}`;
    record = { ...record, state: "failed", error };
    writeBrokerRecord(runDir, record);
    rmSync(dataPath(runDir), { recursive: true, force: true });
    throw new KafkaHarnessError("start-failed", error);
  };

  const format = await formatInto(dataPath(runDir), options.signal);
  if (format !== "") return fail(`kafka-storage format failed: ${format}`);
  if (aborted()) return fail("the start was aborted");

  const out = openSync(logPath(runDir), "a");
  const heap = options.heap ?? ["-Xms256m", "-Xmx512m"];
  const child = spawn("java", [...heap, ...JVM_OPTIONS, "-cp", CLASSPATH, "kafka.Kafka", propertiesPath(runDir)], { detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  child.unref();
  const end: { why?: string } = {};
  child.once("exit", (code, signal) => (end.why = `exited with ${code ?? signal}`));
  child.once("error", (error) => (end.why = `could not be spawned: ${error.message}`));
  if (child.pid === undefined) return fail(`the broker's JVM could not be spawned`);
  record = { ...record, pid: child.pid };
  if (options.watchPid !== undefined) record = { ...record, watchdogPid: spawnWatchdog(options.watchPid, child.pid, runDir) };
  writeBrokerRecord(runDir, record);
  log(`Kafka ${KAFKA_VERSION} starting on ${bootstrap} (pid ${child.pid}, log ${logPath(runDir)})`);

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (aborted()) return fail("the start was aborted");
    if (end.why !== undefined) return fail(`the broker ${end.why} while starting`);
    if (Date.now() >= deadline) return fail(`the broker was not ready on ${bootstrap} within ${readyTimeoutMs / 1000} s`);
    if (hasStartedLine(runDir) && (await canConnect(port)) && (await answersMetadata(bootstrap))) break;
    await sleep(250);
  }
  record = { ...record, state: "ready", readyMs: Math.round(performance.now() - started) };
  writeBrokerRecord(runDir, record);
  log(`Kafka ready on ${bootstrap} in ${(record.readyMs! / 1000).toFixed(1)} s`);
  return { bootstrap, port, controllerPort, pid: child.pid, runDir, readyMs: record.readyMs!, stop: () => stopKafkaBroker(runDir).then(() => undefined) };
}

/**
 * Stops the broker recorded in `runDir` (SIGTERM, SIGKILL after 20 s) and removes the directory.
 * Refuses (throws, signals nothing, removes nothing) when the recorded PID runs something else.
 */
export async function stopKafkaBroker(runDir: string = DEFAULT_RUN_DIR): Promise<"stopped" | "not-running"> {
  const record = readBrokerRecord(runDir);
  if (record === undefined) return "not-running";
  const info = record.pid === undefined ? undefined : processInfo(record.pid);
  if (info !== undefined && !isBrokerOf(info, runDir)) {
    throw new KafkaHarnessError("not-our-broker", `refusing to stop pid ${info.pid}: it is not the Kafka broker started from ${runDir} (its command line is "${info.cmdline.slice(0, 200)}")`);
  }
  const stopped = info !== undefined && (await terminate(info.pid, (now) => isBrokerOf(now, runDir), 20_000));
  if (record.watchdogPid !== undefined) await terminate(record.watchdogPid, (now) => now.cmdline.includes(WATCHDOG) && now.cmdline.includes(runDir), 2_000);
  removeRunDir(runDir);
  return stopped ? "stopped" : "not-running";
}

/** The record of the broker that runs from `runDir`, if its PID is still that broker. */
export function runningBroker(runDir: string = DEFAULT_RUN_DIR): (BrokerRecord & { pid: number }) | undefined {
  const record = readBrokerRecord(runDir);
  if (record?.pid === undefined) return undefined;
  const info = processInfo(record.pid);
  return info !== undefined && isBrokerOf(info, runDir) ? { ...record, pid: record.pid } : undefined;
}

function isBrokerOf(info: ProcessInfo, runDir: string): boolean {
  return info.cmdline.includes("kafka.Kafka") && info.cmdline.includes(propertiesPath(runDir));
}

/** SIGTERM, then SIGKILL after `graceMs`, while `stillOurs` holds; true when it was running. */
async function terminate(pid: number, stillOurs: (info: ProcessInfo) => boolean, graceMs: number): Promise<boolean> {
  const ours = (): boolean => {
    const info = processInfo(pid);
    return info !== undefined && stillOurs(info);
  };
  if (!ours()) return false;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // Gone in the meantime.
    }
  };
  signal("SIGTERM");
  if (!(await waitFor(() => !isAlive(pid), graceMs))) {
    if (ours()) signal("SIGKILL");
    await waitFor(() => !isAlive(pid), 10_000);
  }
  return true;
}

function spawnWatchdog(watchPid: number, brokerPid: number, runDir: string): number | undefined {
  const watched = processInfo(watchPid);
  if (watched === undefined) throw new KafkaHarnessError("start-failed", `cannot watch pid ${watchPid}: no such process`);
  const watchdog = spawn("bash", [WATCHDOG, String(watchPid), watched.startTime, String(brokerPid), runDir], { detached: true, stdio: "ignore" });
  watchdog.unref();
  return watchdog.pid;
}

function hasStartedLine(runDir: string): boolean {
  return existsSync(logPath(runDir)) && readFileSync(logPath(runDir), "utf8").includes("Kafka Server started");
}

async function answersMetadata(bootstrap: string): Promise<boolean> {
  const admin = new Kafka({ clientId: "eddy-kafka-ready", brokers: [bootstrap], logLevel: logLevel.NOTHING, connectionTimeout: 2_000, requestTimeout: 5_000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * KRaft needs formatted log dirs: `kafka-storage format` writes meta.properties and
 * bootstrap.checkpoint (cluster id, node id, metadata version; no port, no path). That takes a JVM
 * of its own, so it runs once per set of jars, into .kafka/libs/formatted/, and each start copies
 * the two files. "" when done, else why not.
 */
async function formatInto(dataDir: string, signal?: AbortSignal): Promise<string> {
  const template = join(KAFKA_LIBS, "formatted");
  if (!existsSync(join(template, "meta.properties"))) {
    const fresh = `${template}.${process.pid}-${Date.now()}`;
    mkdirSync(fresh, { recursive: true });
    try {
      writeFileSync(join(fresh, "format.properties"), serverProperties(9092, 9093, join(fresh, "data")));
      const failure = await runBounded(["-Xmx256m", ...JVM_OPTIONS, "-cp", CLASSPATH, "kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", join(fresh, "format.properties")], 60_000, signal);
      if (failure !== "") return failure;
      try {
        renameSync(join(fresh, "data"), template);
      } catch (error) {
        if (!existsSync(join(template, "meta.properties"))) throw error; // else another start made it first
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  for (const name of readdirSync(template)) copyFileSync(join(template, name), join(dataDir, name));
  return "";
}

/** Runs java with `args` to completion within `timeoutMs`; "" when it succeeded, else why not (with its output). */
function runBounded(args: string[], timeoutMs: number, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"], ...(signal !== undefined ? { signal, killSignal: "SIGKILL" as const } : {}) });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-10_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.once("exit", (code, killed) => {
      clearTimeout(timer);
      const why = signal?.aborted === true ? "aborted" : killed === "SIGKILL" ? `no result within ${timeoutMs / 1000} s` : `exit ${code ?? killed}`;
      resolve(code === 0 ? "" : `${why}\n${output.trim()}`);
    });
  });
}

/**
 * One combined broker and controller with a static quorum (formats the same on 3.7 to 4.x),
 * listening and advertising 127.0.0.1 only; internal topics sized for one node and a quick first
 * group join. '#' starts a comment only at the start of a line in .properties files.
 */
function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "inter.broker.listener.name=PLAINTEXT",
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${dataDir}`,
    "num.partitions=1",
    "default.replication.factor=1",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=1",
    "group.initial.rebalance.delay.ms=0",
    "auto.create.topics.enable=true",
    "delete.topic.enable=true",
    "num.network.threads=2",
    "num.io.threads=4",
    "num.recovery.threads.per.data.dir=1",
    "log.cleaner.dedupe.buffer.size=33554432",
    "",
  ].join("\n");
}
