/**
 * bench/results.md: the targets with ✔/✘, the throughput of every contender per workload with its
 * ratio to the hand loop and Eddy's ratio to it, recovery and scaling, how it was measured, and
 * "What stands in the way", which is bench/limits.md included verbatim (edit that file, not this
 * output: a re-run keeps it).
 */

import { afterStartup, type CaseResult, type Report, type Target } from "./results.js";
import { WITHOUT_EXTRA_CA } from "./plan.js";
import { WORKLOAD_TITLES } from "./workloads.js";

const number = (value: number) => Math.round(value).toLocaleString("en");
const ratio = (value: number) => (value >= 10 ? value.toFixed(1) : value.toFixed(2));
const megabytes = (kb: number | undefined) => (kb === undefined ? "–" : `${number(kb / 1024)} MB`);

function rate(result: CaseResult): string {
  if (result.itemsPerSecond === undefined) return "failed";
  return number(result.itemsPerSecond);
}

function check(result: CaseResult): string {
  return result.ok ? "✔" : `✘ ${result.problem ?? ""}`;
}

function targetRow(target: Target): string {
  const mark = target.met === undefined ? "–" : target.met ? "✔" : "✘";
  return `| ${target.name} | ${target.goal} | ${target.shown} | ${mark} |`;
}

function throughputTable(results: readonly CaseResult[]): string[] {
  const lines = ["| workload | contender | items | items/s (median) | vs hand loop | Eddy (batched) ÷ contender | peak RSS | checksum |", "|---|---|---:|---:|---:|---:|---:|---|"];
  for (const workload of ["W1", "W2", "W3", "W4", "W5", "J"]) {
    const rows = results.filter((result) => result.group === workload);
    const hand = rows.find((result) => result.contender === "hand")?.itemsPerSecond;
    const eddy = rows.find((result) => result.contender === "batch")?.itemsPerSecond;
    for (const result of rows) {
      const vsHand = hand !== undefined && result.itemsPerSecond !== undefined ? ratio(result.itemsPerSecond / hand) : "–";
      const eddyOver = eddy !== undefined && result.itemsPerSecond !== undefined && result.contender !== "batch" ? `${ratio(eddy / result.itemsPerSecond)}×` : "–";
      lines.push(`| ${workload} | ${result.label} | ${number(result.items)} | ${rate(result)} | ${vsHand} | ${eddyOver} | ${megabytes(result.maxRssKb)} | ${check(result)} |`);
    }
  }
  return lines;
}

/**
 * What the machine itself allows two workers (case S/pair: two independent `eddy run -w 1` at once,
 * each alone with half the words, nothing crossing) against -w 1, and how much of it -w 2 reached.
 */
function ceilingLines(results: readonly CaseResult[]): string[] {
  const rate = (key: string) => results.find((result) => result.key === key)?.itemsPerSecond;
  const pair = rate("S/pair");
  const one = rate("S/w1");
  const two = rate("S/w2");
  if (pair === undefined || one === undefined) return [];
  const reached = two === undefined ? "" : ` \`-w 2\` reached ${(two / one).toFixed(2)}×, ${((two / pair) * 100).toFixed(0)}% of that ceiling.`;
  return [`The machine's ceiling for two workers on W3: two independent \`eddy run -w 1\` processes at once, each on its half of the words (no item crosses, nothing shared), ran at ${(pair / one).toFixed(2)}× the rate of one \`-w 1\` run on all of them.${reached}`, ""];
}

function relativeTable(title: string, rows: readonly CaseResult[], baseLabel: string): string[] {
  if (rows.length === 0) return [];
  const base = rows[0]!.itemsPerSecond;
  const lines = [`| ${title} | items | seconds (median) | items/s (median) | ${baseLabel} | peak RSS | checksum |`, "|---|---:|---:|---:|---:|---:|---|"];
  for (const result of rows) {
    const relative = base !== undefined && result.itemsPerSecond !== undefined ? ratio(result.itemsPerSecond / base) : "–";
    const seconds = result.seconds === undefined ? "–" : result.seconds.toFixed(2);
    lines.push(`| ${result.label} | ${number(result.items)} | ${seconds} | ${rate(result)} | ${relative} | ${megabytes(result.maxRssKb)} | ${check(result)} |`);
  }
  return lines;
}

/** Spawn to the first item, without and with a file recovery store, and the runner against runMain on its own flow files. */
function startupLines(results: readonly CaseResult[]): string[] {
  const seconds = (key: string) => results.find((result) => result.key === key)?.seconds;
  const plain = seconds("startup/first-item");
  const recovery = seconds("startup/first-item-recovery");
  const lines: string[] = [];
  const ms = (value: number) => `${Math.round(value * 1000)} ms`;
  if (plain !== undefined) {
    const withStore = recovery !== undefined ? `, ${ms(recovery)} with a file recovery store made by an earlier run (checked in a child process, then resumed)` : "";
    const node = seconds("startup/node");
    const bare = node !== undefined ? ` A bare \`node -e\` took ${ms(node)} to print its line the same way.` : "";
    lines.push(`From spawn to the first item printed (\`node node-runner/bin/eddy.js run FLOW.json -w 1\`, a one-item flow, bench/firstItem.ts): ${ms(plain)} (median)${withStore}.${bare}`, "");
  }
  const plainWithoutCa = seconds(`startup/first-item${WITHOUT_EXTRA_CA}`);
  const nodeWithoutCa = seconds(`startup/node${WITHOUT_EXTRA_CA}`);
  if (plainWithoutCa !== undefined && nodeWithoutCa !== undefined) {
    lines.push(
      `This environment sets NODE_EXTRA_CA_CERTS, which makes every Node process load its root certificates and that file before it runs any JavaScript. Without it, the same runs took ${ms(plainWithoutCa)} (\`eddy run\`, spawn to the first item) and ${ms(nodeWithoutCa)} (bare \`node -e\`).`,
      "",
    );
  }
  const find = (key: string) => results.find((result) => result.key === key);
  const rows = ["W1", "W2", "W3", "W4", "W5", "J"].flatMap((workload) => {
    const runner = find(`${workload}/runner`)?.seconds;
    const flow = find(`${workload}/flow`)?.seconds;
    const ratio = afterStartup(find, workload).value;
    return runner !== undefined && flow !== undefined && ratio !== undefined ? [`| ${workload} | ${flow.toFixed(2)} | ${runner.toFixed(2)} | ${(runner - seconds("startup/runner")!).toFixed(2)} | ${(ratio * 100).toFixed(1)}% |`] : [];
  });
  if (rows.length > 0) lines.push("| `eddy run` -w 1 against runMain on the same flow file | runMain s | `eddy run` s (spawn to exit) | after start-up s | rate after start-up ÷ runMain's |", "|---|---:|---:|---:|---:|", ...rows, "");
  return lines;
}

/** K1 and K2: each contender's rate over the whole run and, where its start-up was measured, after it. */
function kafkaTable(results: readonly CaseResult[]): string[] {
  const rows = results.filter((result) => (result.group === "K1" || result.group === "K2") && result.items > 0);
  if (rows.length === 0) return [];
  const lines = ["| workload | contender | records | seconds (median) | records/s | vs kafkajs | start-up (s) | records/s after start-up | vs kafkajs after start-up | peak RSS | checksum |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"];
  const after = (result: CaseResult): number | undefined => {
    const start = results.find((other) => other.key === `${result.key}-start`)?.seconds;
    return start !== undefined && result.seconds !== undefined && result.seconds > start ? result.items / (result.seconds - start) : undefined;
  };
  for (const result of rows) {
    const hand = rows.find((other) => other.group === result.group && other.contender === "hand");
    const start = results.find((other) => other.key === `${result.key}-start`)?.seconds;
    const vs = hand?.itemsPerSecond !== undefined && result.itemsPerSecond !== undefined ? `${(100 * result.itemsPerSecond / hand.itemsPerSecond).toFixed(0)}%` : "–";
    const mine = after(result);
    const theirs = hand ? after(hand) : undefined;
    const vsAfter = mine !== undefined && theirs !== undefined ? `${(100 * mine / theirs).toFixed(0)}%` : "–";
    const seconds = result.seconds === undefined ? "–" : result.seconds.toFixed(2);
    lines.push(`| ${result.group} | ${result.label} | ${number(result.items)} | ${seconds} | ${rate(result)} | ${vs} | ${start === undefined ? "–" : start.toFixed(2)} | ${mine === undefined ? "–" : number(mine)} | ${vsAfter} | ${megabytes(result.maxRssKb)} | ${check(result)} |`);
  }
  return lines;
}

function versions(results: readonly CaseResult[], contender: string): string {
  const found = results.find((result) => result.contender === contender && result.version);
  return found?.version ?? "not measured";
}

export function renderMarkdown(report: Report, limits: string): string {
  const { system, options, results } = report;
  const by = (group: string) => results.filter((result) => result.group === group);
  const startup = results.find((result) => result.key === "startup/runner");
  const minutes = `${Math.floor(report.seconds / 60)} min ${Math.round(report.seconds % 60)} s`;
  const lines = [
    "# Eddy benchmark results",
    "",
    `Measured ${report.startedAt.slice(0, 16).replace("T", " ")} UTC with \`${report.command}\` in ${minutes}.`,
    "",
    `- Machine: ${system.cpu}, ${system.cores} cores, ${system.memoryGb} GB, ${system.os}`,
    `- Node ${system.node}; ${system.python} (bench/.venv); Bytewax ${versions(results, "bytewax")}; RxJS ${versions(results, "rxjs")}`,
    `- ${number(options.items)} items per run (Bytewax: ${number(options.bytewaxItems)}), median of ${options.runs} run${options.runs === 1 ? "" : "s"}; every run in its own process, contenders alternated`,
    "",
    "## Targets",
    "",
    "| target | goal | measured | |",
    "|---|---|---:|---|",
    ...report.targets.map(targetRow),
    "",
    "## Throughput",
    "",
    ...Object.entries(WORKLOAD_TITLES).filter(([key]) => key.startsWith("W") || key === "J").map(([, title]) => `- ${title}`),
    "",
    ...throughputTable(results),
    "",
    "## Recovery (R) and scaling (S)",
    "",
    ...relativeTable("R: W2 on runMain", by("R"), "vs no recovery"),
    "",
    ...relativeTable("S: W3 on the runner", by("S").filter((result) => result.workload === "W3"), "vs -w 1"),
    "",
    ...ceilingLines(results),
    ...relativeTable("S: W2 on the runner", by("S").filter((result) => result.workload === "W2"), "vs -w 1"),
    "",
    ...(results.some((result) => result.group === "K1" || result.group === "K2")
      ? ["## Kafka (K1, K2)", "", `- ${WORKLOAD_TITLES.K1}`, `- ${WORKLOAD_TITLES.K2}`, "", ...kafkaTable(results), ""]
      : []),
    ...(startup?.seconds !== undefined ? [`The runner's start-up and exit alone (the W1 flow on an empty input) took ${startup.seconds.toFixed(2)} s (median), ${megabytes(startup.maxRssKb)}; it is inside every runner time above; the targets \"start-up subtracted\" take it out of both times.`, ""] : []),
    ...startupLines(results),
    "## How it is measured",
    "",
    "- **items/s** is items ÷ seconds of one run; the median of the runs is shown. **Peak RSS** is the process's maximum resident set (`process.resourceUsage().maxRSS`, Python `ru_maxrss`), the highest of the runs; for the runner it is the `eddy run` process with its worker threads.",
    "- **Hand-written loop**: one loop per workload computing `mix(i)` and doing the work inline (bench/hand.ts): the practical limit of JavaScript.",
    "- **Eddy, runMain**: the workload as a `Dataflow` with the public API, one worker, items from a `ManualInputConfig` generator computing them from their indices (bench/eddy.ts): *batched input* yields 1,024 items at a time as an `ItemBatch` (Eddy's extension for sources that read in batches, as a Kafka fetch does; the targets are checked on this one), *one item per yield* is Bytewax 0.11's protocol. Time of `runMain` only.",
    "- **Eddy, `eddy run`**: the same steps as a flow file (bench/flows.ts) run by `node node-runner/bin/eddy.js run FLOW.json -w N`; wall time from spawn to exit, **start-up included** (see above). Its capture is a `function` output that sums the checksum in the worker and prints the worker's running sum to standard error once per engine turn; a `stdout` capture of one line per output item would have measured the pipe (about 1 µs per line).",
    "- **RxJS 7** (bench/peers/rxjs.ts) and **Bytewax** (bench/peers/bytewax_bench.py, installed with pip into bench/.venv by bench/peers/setup-bytewax.sh): the same workloads as a user of each would write them, items generated inside the pipeline.",
    options.bytewaxItems !== options.items
      ? `- **Bytewax runs ${number(options.bytewaxItems)} items** (\`--bytewax-items\`): at its speed, ${number(options.items)} would take minutes per run. Per-item rates compare, since every run is long against start-up; Bytewax's time covers building the flow and \`run_main\`.`
      : "- Bytewax's time covers building the flow and `run_main`.",
    "- **K1, K2** (bench/kafka/): one Kafka 3.9.1 broker on the same machine (KAFKA_BROKERS, or one started for the run with `npm run kafka -- start`), the input topic made once per size; each contender spawned and timed to its exit (bench/kafka/child.ts), start-up included; K1's start-up is measured on an empty topic and taken off for the rates after start-up. The kafkajs contenders are what a user would write with its public API (bench/kafka/handConsumer.ts, handPipe.ts); K2 writes to a fresh 4-partition topic per run, whose record count is its checksum.",
    "- **Checksums** (bench/WORKLOADS.md) are compared with bench/peers/checksums.json (plain Python) where it lists the size, else with the hand loop's; a ✘ means the contender is wrong, and a target using it fails.",
    "- **J**: two inputs (`left`, `right`) of `[key, value]` items into a `join` with `emitMode: \"running\"` (insert mode `last`): every item emits its key's row `[left, right]`. A key's items of the two sides are 5,000 items apart on each side, so the rows do not depend on how a contender interleaves its two inputs (bench/WORKLOADS.md). RxJS has no keyed join to write it with: it is not measured there.",
    "- **R**: W2 on runMain with 1 s periodic epochs, with and without `FileRecoveryConfig` (LMDB in a fresh temporary directory), in alternation.",
    "- **S**: the W3 flow on the runner with 1, 2 and 4 worker threads. Its input is partitioned **by word** (worker `w` of `n` takes the items whose word number ≡ `w` mod `n`, in time order) instead of by index, and its event clock waits 10 s (a key's watermark also advances with system time, so a thread held off the CPU must not make items late): with the index partition, a key's items come from every worker, a worker that runs ahead makes the others' items late, and the checksum is wrong (at 10M items, -w 2 gave 7,504,842 instead of 19,974,658). Each worker visits only its own indices (for 1, 2 and 4 workers, which worker owns index i depends only on i mod 2^(16 + log2 n); bench/flows.ts); it still sends about half of its items to other threads, as a key's owner is decided by hash. `S/n1` and `S/n2` run the W3 flow as `eddy run -n P -w 1`: P local processes of one worker thread each, exchanging over TCP (their start-up, with P child processes to spawn and connect, is larger than `startup/runner`, which the \"start-up subtracted\" ratio takes out of both). The W2 variant (S/W2-…) partitions the keyed running sum by key the same way.",
    "",
    "## What stands in the way",
    "",
    limits.trimEnd(),
    "",
  ];
  return `${lines.join("\n")}\n`;
}
