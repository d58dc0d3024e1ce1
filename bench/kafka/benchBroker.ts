/**
 * The broker of the Kafka workloads: the one KAFKA_BROKERS names, or else a throwaway broker
 * started for this benchmark run with the project's script (`npm run kafka -- start`, through tsx,
 * on two free ports of 127.0.0.1, in a temporary directory, watched by this process's PID so that
 * it stops if the benchmark is killed), stopped by `stop()`.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const KAFKA_SCRIPT = fileURLToPath(new URL("../../../scripts/kafka.ts", import.meta.url));

export interface BenchBroker {
  readonly brokers: string;
  /** Stops the broker this run started (nothing for an external one). */
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function kafkaScript(args: readonly string[]): { ok: boolean; output: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", KAFKA_SCRIPT, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}`.trim() };
}

/** The broker to measure on; throws with the script's message when none can be started. */
export async function benchBroker(log: (line: string) => void): Promise<BenchBroker> {
  const external = process.env.KAFKA_BROKERS;
  if (external) {
    log(`Kafka: the broker of KAFKA_BROKERS (${external})`);
    return { brokers: external, stop: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), "eddy-bench-broker-"));
  const port = await freePort();
  let controller = await freePort();
  while (controller === port) controller = await freePort();
  log(`Kafka: starting a broker on 127.0.0.1:${port} (npm run kafka -- start)`);
  const started = kafkaScript(["start", "--port", String(port), "--controller-port", String(controller), "--dir", dir, "--watch-pid", String(process.pid)]);
  if (!started.ok) {
    kafkaScript(["stop", "--dir", dir]);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start a Kafka broker: ${started.output.split("\n").slice(-5).join(" | ")}`);
  }
  return {
    brokers: `127.0.0.1:${port}`,
    stop: () => {
      kafkaScript(["stop", "--dir", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
