/**
 * `npm run kafka -- <command>`: a throwaway Apache Kafka 3.9.1 broker for development, on
 * 127.0.0.1 only (scripts/kafka/broker.ts does the work; the tests start their own).
 *
 *   fetch           fetch the jars into .kafka/libs/ (Maven; again only when ci/kafka/pom.xml changes)
 *   start           start a broker and wait until it is ready (refuses busy ports)
 *   stop            stop the broker started from the run directory and remove the directory
 *   status          "running ..." (exit 0) or "stopped" (exit 1)
 *   logs [N]        the last N lines of its log (200)
 *
 * Options: --port (KAFKA_PORT, 9092), --controller-port (KAFKA_CONTROLLER_PORT, 9093),
 * --dir (KAFKA_RUN_DIR, .kafka/broker), --watch-pid PID (stop it when PID exits),
 * --timeout SECONDS (readiness, 90). Exit codes: 0 done, 1 refused or failed, 2 usage.
 */

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_READY_TIMEOUT_MS, DEFAULT_RUN_DIR, runningBroker, startKafkaBroker, stopKafkaBroker } from "./kafka/broker.js";
import { fetchKafkaJars, KAFKA_VERSION, requireJava } from "./kafka/jars.js";
import { logTail, readBrokerRecord } from "./kafka/runDir.js";

const USAGE = "usage: npm run kafka -- fetch|start|stop|status|logs [N] [--port N] [--controller-port N] [--dir PATH] [--watch-pid PID] [--timeout SECONDS]";

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function fail(message: string, code = 1): never {
  process.stderr.write(`kafka: ${message}\n`);
  process.exit(code);
}

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) fail(`${name} must be a positive integer, not "${text}"\n${USAGE}`, 2);
  return value;
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { port: { type: "string" }, "controller-port": { type: "string" }, dir: { type: "string" }, "watch-pid": { type: "string" }, timeout: { type: "string" } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

const { values, positionals } = parse();
const [command, count] = positionals;
const runDir = resolve(values.dir ?? process.env.KAFKA_RUN_DIR ?? DEFAULT_RUN_DIR);
const stopHint = `npm run kafka stop${runDir === DEFAULT_RUN_DIR ? "" : ` -- --dir ${runDir}`}`;

try {
  switch (command) {
    case "fetch": {
      const result = await fetchKafkaJars(say);
      say(result.fetched ? `fetched into ${result.libsDir} in ${(result.ms / 1000).toFixed(1)} s` : `up to date: ${result.libsDir}`);
      break;
    }
    case "start": {
      requireJava();
      const broker = await startKafkaBroker({
        port: integer("--port", values.port ?? process.env.KAFKA_PORT, 9092),
        controllerPort: integer("--controller-port", values["controller-port"] ?? process.env.KAFKA_CONTROLLER_PORT, 9093),
        runDir,
        readyTimeoutMs: integer("--timeout", values.timeout, DEFAULT_READY_TIMEOUT_MS / 1000) * 1000,
        ...(values["watch-pid"] !== undefined ? { watchPid: integer("--watch-pid", values["watch-pid"], 0) } : {}),
        log: say,
      }).catch(async (error: unknown) => {
        // A failed start leaves its record (with the reason) for this cleanup; a refusal leaves nothing.
        if (readBrokerRecord(runDir)?.state === "failed") await stopKafkaBroker(runDir);
        throw error;
      });
      say(`clients connect to ${broker.bootstrap} (KAFKA_BROKERS=${broker.bootstrap}); stop it with: ${stopHint}`);
      break;
    }
    case "stop": {
      const outcome = await stopKafkaBroker(runDir);
      say(outcome === "stopped" ? `stopped the broker of ${runDir}` : `no broker running from ${runDir}`);
      break;
    }
    case "status": {
      const running = runningBroker(runDir);
      if (running === undefined) {
        say("stopped");
        process.exitCode = 1;
      } else say(`running: Kafka ${running.kafkaVersion} on ${running.bootstrap} (pid ${running.pid}, ${running.state}, run directory ${runDir})`);
      break;
    }
    case "logs":
      say(logTail(runDir, integer("N", count, 200)) || `no log in ${runDir}`);
      break;
    default:
      fail(`${command === undefined ? "no command" : `unknown command "${command}"`} (Kafka ${KAFKA_VERSION})\n${USAGE}`, 2);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
