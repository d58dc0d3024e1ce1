/**
 * `npm run bench` (node dist/bench/run.js [options], see bench/options.ts): how Eddy compares with
 * the practical limit of JavaScript (a hand-written loop) and with the tools one would otherwise
 * use (RxJS 7, Bytewax), on the workloads of bench/WORKLOADS.md. Every measurement runs in its own
 * process (bench/child.ts, bench/peers/), several times, contenders alternated; the report goes to
 * results.md and results.json (bench/ unless --out DIR). Installs Bytewax into bench/.venv first
 * (bench/peers/setup-bytewax.sh) when it is missing. Exits 1 if a contender failed or gave a wrong
 * checksum.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HAND } from "./hand.js";
import { renderMarkdown } from "./markdown.js";
import { measure, type Outcome } from "./measure.js";
import { BENCH_DIR, parseOptions, type BenchOptions } from "./options.js";
import { BYTEWAX_SETUP, VENV_PYTHON, planCases, rxjsBuilt, type Case } from "./plan.js";
import { summarize, targets, type CaseResult, type Report } from "./results.js";
import { systemInfo } from "./system.js";
import { benchBroker, type BenchBroker } from "./kafka/benchBroker.js";
import { isKafkaWorkload, kafkaChecksum } from "./kafka/kafkaPlan.js";
import { ensureInputTopic } from "./kafka/topics.js";
import { isWorkload } from "./workloads.js";

/** Installs Bytewax into bench/.venv if needed; returns why it is unavailable, or undefined. */
function setupBytewax(): string | undefined {
  process.stdout.write("Bytewax: checking bench/.venv (bench/peers/setup-bytewax.sh)\n");
  const result = spawnSync("bash", [BYTEWAX_SETUP], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) return `cannot run bash ${BYTEWAX_SETUP}: ${result.error.message}`;
  return result.status === 0 ? undefined : `bench/peers/setup-bytewax.sh failed (exit ${result.status}); see its message above`;
}

/** Reference checksums: bench/peers/checksums.json (Python) where it has N, else the hand loop. */
function referenceChecksums(outcomes: ReadonlyMap<string, Outcome[]>, plan: readonly Case[]): (workload: string, items: number) => number | undefined {
  let known: Record<string, Record<string, number>> = {};
  try {
    known = (JSON.parse(readFileSync(join(BENCH_DIR, "peers/checksums.json"), "utf8")) as { checksums: typeof known }).checksums;
  } catch {
    // No reference file: the hand loop decides.
  }
  const computed = new Map<string, number>();
  return (workload, items) => {
    if (items === 0) return 0;
    if (isKafkaWorkload(workload)) return kafkaChecksum(workload, items);
    const listed = known[String(items)]?.[workload];
    if (listed !== undefined) return listed;
    const key = `${workload}/${items}`;
    if (!computed.has(key)) {
      const hand = plan.find((item) => item.key === `${workload}/hand` && item.items === items);
      const runs = (hand && outcomes.get(hand.key)?.flatMap((outcome) => (outcome.ok ? [outcome.sample.checksum] : []))) ?? [];
      if (runs.length > 0 && runs.every((checksum) => checksum === runs[0])) computed.set(key, runs[0]!);
      else if (isWorkload(workload)) computed.set(key, HAND[workload](items));
    }
    return computed.get(key);
  };
}

/**
 * The broker of the Kafka cases, with their input topics made (KAFKA_BROKERS is set for the cases'
 * processes); on failure, the reason every Kafka case is unavailable.
 */
async function prepareKafka(records: number): Promise<BenchBroker | string> {
  let broker: BenchBroker | undefined;
  try {
    broker = await benchBroker((line) => process.stdout.write(`${line}\n`));
    const brokers = broker.brokers.split(",");
    for (const n of [records, 0]) {
      const seconds = await ensureInputTopic(brokers, n);
      if (seconds > 0) process.stdout.write(`Kafka: produced ${n.toLocaleString("en")} records in ${seconds.toFixed(1)} s\n`);
    }
    process.env.KAFKA_BROKERS = broker.brokers;
    return broker;
  } catch (error) {
    broker?.stop();
    return `no Kafka broker: ${(error as Error).message}`;
  }
}

function describe(item: Case, outcome: Outcome): string {
  if (!outcome.ok) return `FAILED: ${outcome.error}`;
  const { seconds, checksum, maxRssKb } = outcome.sample;
  const rate = item.items > 0 ? `${(item.items / seconds / 1e6).toFixed(3)} M items/s, ` : "";
  return `${rate}${seconds.toFixed(2)} s, checksum ${checksum}, ${Math.round(maxRssKb / 1024)} MB`;
}

async function main(options: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const started = performance.now();
  const unavailable = new Map<string, string>();
  if (options.contenders.includes("bytewax")) {
    const problem = setupBytewax();
    if (problem) unavailable.set("bytewax", problem);
  }
  if (options.contenders.includes("rxjs") && !rxjsBuilt()) unavailable.set("rxjs", "dist/bench/peers/rxjs.js is missing (npm run build)");

  const groups = planCases(options);
  const plan = groups.flat();
  const kafka = plan.some((item) => isKafkaWorkload(item.workload)) ? await prepareKafka(options.kafkaRecords) : undefined;
  try {
    return await measureAll(options, groups, unavailable, kafka, startedAt, started);
  } finally {
    if (typeof kafka === "object") kafka.stop();
  }
}

async function measureAll(options: BenchOptions, groups: Case[][], unavailable: Map<string, string>, kafka: BenchBroker | string | undefined, startedAt: Date, started: number): Promise<number> {
  const plan = groups.flat();
  const outcomes = new Map<string, Outcome[]>(plan.map((item) => [item.key, []]));
  const total = plan.length * options.runs;
  let done = 0;
  process.stdout.write(`${total} measurements: ${options.items.toLocaleString("en")} items (Bytewax ${options.bytewaxItems.toLocaleString("en")}), ${options.runs} run(s) each\n`);
  for (const cases of groups) {
    for (let run = 1; run <= options.runs; run++) {
      for (const item of cases) {
        done += 1;
        const problem = isKafkaWorkload(item.workload) ? (typeof kafka === "string" ? kafka : undefined) : unavailable.get(item.contender);
        const outcome: Outcome = problem ? { ok: false, error: problem } : await measure(item);
        outcomes.get(item.key)!.push(outcome);
        process.stdout.write(`[${done}/${total}] ${item.key} run ${run}: ${describe(item, outcome)}\n`);
      }
    }
  }

  const expected = referenceChecksums(outcomes, plan);
  const results: CaseResult[] = plan.map((item) => summarize(item, outcomes.get(item.key)!, expected));
  const seconds = (performance.now() - started) / 1000;
  const report: Report = { startedAt: startedAt.toISOString(), seconds, command: options.command, options, system: systemInfo(VENV_PYTHON), results, targets: targets(results) };
  const limitsFile = join(BENCH_DIR, "limits.md");
  const limits = existsSync(limitsFile) ? readFileSync(limitsFile, "utf8") : "(bench/limits.md is missing)\n";
  const markdown = renderMarkdown(report, limits);
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, "results.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.outDir, "results.md"), markdown);
  process.stdout.write(`\n${markdown}\nWrote ${join(options.outDir, "results.md")} and results.json in ${seconds.toFixed(0)} s\n`);
  const failed = results.filter((result) => !result.ok);
  for (const result of failed) process.stderr.write(`${result.key}: ${result.problem}\n`);
  return failed.length > 0 ? 1 : 0;
}


try {
  process.exitCode = await main(parseOptions(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
