/**
 * Vitest global setup of the "kafka" project (vite.config.ts: test/kafka/** and *.kafka.test.ts):
 * one real Kafka 3.9.1 broker for the whole run, on two free ports of 127.0.0.1, from
 * scripts/kafka/broker.ts. Vitest runs it only when the run includes one of those files, so a run
 * without Kafka tests starts no JVM.
 *
 * - Before any test: checks Java (and Maven when the jars are not cached yet) and fetches the jars,
 *   failing the run with how to install them; there is no silent skip.
 * - Then starts the broker *in the background*: tests that do not use Kafka run at once. The
 *   address is known before the broker is ready: `inject("kafkaBrokers")` ("127.0.0.1:PORT") and
 *   `process.env.KAFKA_BROKERS` (for child processes). Tests wait for readiness through
 *   test/helpers/kafka.ts (`kafkaBrokers()`), which reads the broker's record in
 *   `inject("kafkaRunDir")` and fails with the broker's log tail when the start failed.
 * - A watchdog tied to this process stops the broker if the run is killed; teardown stops it (or
 *   cuts a start still under way short) and removes its directory.
 *
 * With KAFKA_BROKERS already set, the tests use that broker and none is started.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startKafkaBroker, stopKafkaBroker } from "../../scripts/kafka/broker.js";
import { fetchKafkaJars, KAFKA_VERSION, requireJava } from "../../scripts/kafka/jars.js";
import { freePorts } from "../../scripts/kafka/processes.js";
import { readBrokerRecord, writeBrokerRecord } from "../../scripts/kafka/runDir.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bootstrap addresses, comma-separated ("127.0.0.1:PORT"). */
    kafkaBrokers: string;
    /** The run directory of the broker this setup started ("" when KAFKA_BROKERS named one). */
    kafkaRunDir: string;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KAFKA_BROKERS;
  if (external !== undefined && external !== "") {
    project.provide("kafkaBrokers", external);
    project.provide("kafkaRunDir", "");
    return async () => {};
  }
  requireJava();
  const fetch = await fetchKafkaJars((line) => console.log(`[kafka] ${line}`));
  if (fetch.fetched) console.log(`[kafka] jars fetched in ${(fetch.ms / 1000).toFixed(1)} s`);

  const [port, controllerPort] = (await freePorts(2)) as [number, number];
  const runDir = mkdtempSync(join(tmpdir(), "eddy-kafka-"));
  const bootstrap = `127.0.0.1:${port}`;
  const abort = new AbortController();
  const starting = startKafkaBroker({ port, controllerPort, runDir, watchPid: process.pid, signal: abort.signal }).catch((error: unknown) => {
    // Tests read the failure from the record; one that failed before writing it gets it here.
    if (readBrokerRecord(runDir)?.state === "failed") return;
    const message = error instanceof Error ? error.message : String(error);
    writeBrokerRecord(runDir, { eddyKafkaRun: 1, state: "failed", bootstrap, port, controllerPort, kafkaVersion: KAFKA_VERSION, startedAt: new Date().toISOString(), error: message });
  });
  project.provide("kafkaBrokers", bootstrap);
  project.provide("kafkaRunDir", runDir);
  process.env.KAFKA_BROKERS = bootstrap;

  return async () => {
    abort.abort();
    await starting;
    await stopKafkaBroker(runDir);
    rmSync(runDir, { recursive: true, force: true });
  };
}
