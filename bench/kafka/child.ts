/**
 * One measurement of a Kafka workload, as bench/child.ts is for the others:
 *
 *   KAFKA_BROKERS=HOST:PORT node dist/bench/kafka/child.js <K1|K2> <hand|w1|w2|w1-exactly-once> <N>
 *
 * Spawns the contender (the hand-written kafkajs program, or `eddy run` on the workload's flow
 * file, kafkaFlows.ts) over the input topic of N records (made beforehand by bench/run.ts) and
 * times it from spawn to exit, start-up included (N = 0 is the start-up alone, on an empty topic).
 * K2 writes to a fresh output topic, read back (read_committed), counted and deleted afterwards. Prints the one JSON line of
 * bench/child.ts, its checksum as records.ts defines it.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MAXRSS_TAG } from "../workloads.js";
import { countFlow, pipeFlow } from "./kafkaFlows.js";
import { inputTopic } from "./records.js";
import { committedRecords, createTopic, deleteTopic } from "./topics.js";

const BIN = fileURLToPath(new URL("../../../node-runner/bin/eddy.js", import.meta.url));
const HOOK = new URL("../rssHook.js", import.meta.url).href;
const script = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));
const USAGE = "usage: KAFKA_BROKERS=HOST:PORT node dist/bench/kafka/child.js <K1|K2> <hand|w1|w2|w1-exactly-once> <N>";

interface Spawned {
  readonly seconds: number;
  readonly stdout: string;
  readonly maxRssKb: number;
}

function timed(args: readonly string[]): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", HOOK, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = new RegExp(`^${MAXRSS_TAG} (\\d+)$`, "m").exec(stderr);
      if (code !== 0 || !rss) reject(new Error(`${args.join(" ")} exited with code ${code}: ${stderr.trim().slice(-2000)}`));
      else resolve({ seconds, stdout, maxRssKb: Number(rss[1]) });
    });
  });
}

function sumLines(stdout: string): number {
  let sum = 0;
  for (const line of stdout.split("\n")) if (line.trim() !== "") sum += Number(line);
  return sum;
}

async function main(args: readonly string[]): Promise<object> {
  const [workload, contender, text] = args;
  const n = Number(text);
  const brokers = (process.env.KAFKA_BROKERS ?? "").split(",").filter(Boolean);
  if ((workload !== "K1" && workload !== "K2") || contender === undefined || !Number.isSafeInteger(n) || n < 0) throw new Error(USAGE);
  if (brokers.length === 0) throw new Error(`KAFKA_BROKERS is not set\n${USAGE}`);
  const workers = contender === "w2" ? "2" : "1";
  const dir = mkdtempSync(join(tmpdir(), "eddy-bench-kafka-"));
  const flow = join(dir, "flow.json");
  const output = `eddy-bench-out-${process.pid}-${Date.now()}`;
  try {
    let run: Spawned;
    let checksum: number;
    if (workload === "K1") {
      writeFileSync(flow, countFlow(brokers, inputTopic(n)));
      run = contender === "hand" ? await timed([script("handConsumer"), inputTopic(n), String(n)]) : await timed([BIN, "run", flow, "-w", workers]);
      checksum = sumLines(run.stdout);
    } else {
      await createTopic(brokers, output);
      writeFileSync(flow, pipeFlow(brokers, inputTopic(n), output, contender === "w1-exactly-once"));
      run = contender === "hand" ? await timed([script("handPipe"), inputTopic(n), output, String(n)]) : await timed([BIN, "run", flow, "-w", workers]);
      checksum = await committedRecords(brokers, output);
    }
    const version = contender === "hand" ? `kafkajs 2.2.4, node ${process.version}` : `eddy, node ${process.version}`;
    return { workload, contender, items: n, seconds: run.seconds, checksum, maxRssKb: run.maxRssKb, version };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (workload === "K2") await deleteTopic(brokers, output).catch(() => undefined);
  }
}

try {
  process.stdout.write(`${JSON.stringify(await main(process.argv.slice(2)))}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
