/**
 * What `npm run bench` measures: one case per (workload, contender), each a command that runs the
 * measurement in its own process and prints one JSON line. Cases of a group are run in
 * alternation (round-robin over the runs), so that drift on the machine hits them all alike.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, type BenchOptions, type Contender, type Group } from "./options.js";
import { kafkaCases, type KafkaContender, type KafkaWorkload } from "./kafka/kafkaPlan.js";
import { WORKLOADS, type Workload } from "./workloads.js";

export interface Case {
  /** Unique: `W1/batch`, `R/recovery`, `S/w2`, `startup/runner`, `startup/first-item`, `K1/w1`. */
  readonly key: string;
  readonly group: Group | "startup";
  readonly workload: Workload | KafkaWorkload;
  readonly contender: Contender | KafkaContender;
  /** How the report names it. */
  readonly label: string;
  readonly items: number;
  readonly command: string;
  readonly args: readonly string[];
  /** Worker threads (S only). */
  readonly workers?: number;
}

const CHILD = join(BENCH_DIR, "../dist/bench/child.js");
/** The suffix of a start-up case run without NODE_EXTRA_CA_CERTS (only when the bench's environment sets it). */
export const WITHOUT_EXTRA_CA = "-without-extra-ca";
const RXJS = join(BENCH_DIR, "../dist/bench/peers/rxjs.js");
export const BYTEWAX_SETUP = join(BENCH_DIR, "peers/setup-bytewax.sh");
export const VENV_PYTHON = join(BENCH_DIR, ".venv/bin/python");
const BYTEWAX = join(BENCH_DIR, "peers/bytewax_bench.py");

export const LABELS: Readonly<Record<Contender, string>> = {
  hand: "hand-written loop",
  batch: "Eddy, runMain (1 worker), batched input",
  eddy: "Eddy, runMain (1 worker), one item per yield",
  flow: "Eddy, runMain on the runner's flow file",
  runner: "Eddy, `eddy run` -w 1 (start-up included)",
  rxjs: "RxJS 7",
  bytewax: "Bytewax 0.21.1",
};

function node(script: string, args: readonly (string | number)[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [script, ...args.map(String)] };
}

function workloadCase(workload: Workload, contender: Contender, options: BenchOptions): Case {
  const items = contender === "bytewax" ? options.bytewaxItems : options.items;
  const base = { key: `${workload}/${contender}`, group: workload, workload, contender, label: LABELS[contender], items };
  switch (contender) {
    case "hand":
    case "batch":
    case "eddy":
    case "flow":
    case "runner":
      return { ...base, ...node(CHILD, [workload, contender, items]) };
    case "rxjs":
      return { ...base, ...node(RXJS, [workload, items]) };
    case "bytewax":
      return { ...base, command: VENV_PYTHON, args: [BYTEWAX, workload, String(items)] };
  }
}

/** Every case, grouped in the order they run. */
export function planCases(options: BenchOptions): Case[][] {
  const has = (contender: Contender) => options.contenders.includes(contender);
  const groups: Case[][] = [];
  for (const group of options.groups) {
    if ((WORKLOADS as readonly string[]).includes(group)) {
      // The RxJS peer has no join (J): RxJS has no keyed join operator to write it with.
      const contenders = options.contenders.filter((contender) => group !== "J" || contender !== "rxjs");
      groups.push(contenders.map((contender) => workloadCase(group as Workload, contender, options)));
    } else if (group === "R" && has("batch")) {
      const r = (key: string, label: string, extra: string[]): Case => ({
        key: `R/${key}`,
        group: "R",
        workload: "W2",
        contender: "batch",
        label,
        items: options.items,
        ...node(CHILD, ["W2", "batch", options.items, "--epoch-ms", 1000, ...extra]),
      });
      groups.push([r("plain", "W2, runMain, 1 s epochs, no recovery", []), r("recovery", "W2, runMain, 1 s epochs, FileRecoveryConfig (LMDB)", ["--recovery"])]);
    } else if (group === "S" && has("runner")) {
      // W3 (the S workload of the README; keys S/w1 ...) and W2 (keys S/W2-w1 ...), each on 1, 2, 4 threads.
      const scaling = (workload: Workload, prefix: string) =>
        [1, 2, 4].map((workers) => ({
          key: `S/${prefix}w${workers}`,
          group: "S" as const,
          workload,
          contender: "runner" as const,
          label: `${workload} (scaling flow), \`eddy run\` -w ${workers}`,
          items: options.items,
          workers,
          ...node(CHILD, [workload, "runner", options.items, "--workers", workers, "--scaling"]),
        }));
      // W3 on 1 and 2 processes of one worker thread each (`eddy run -n P -w 1`: a local TCP cluster).
      const processes = [1, 2].map((procs) => ({
        key: `S/n${procs}`,
        group: "S" as const,
        workload: "W3" as const,
        contender: "runner" as const,
        label: `W3 (scaling flow), \`eddy run\` -n ${procs} -w 1`,
        items: options.items,
        workers: procs,
        ...node(CHILD, ["W3", "runner", options.items, "--workers", 1, "--procs", procs, "--scaling"]),
      }));
      // The machine's ceiling for -w 2: two independent `eddy run -w 1` at once, each alone with half the words.
      const pair: Case = {
        key: "S/pair",
        group: "S",
        workload: "W3",
        contender: "runner",
        label: "W3 (scaling flow), two `eddy run -w 1` at once, each on its half of the words (the machine's ceiling for -w 2)",
        items: options.items,
        workers: 2,
        ...node(CHILD, ["W3", "runner", options.items, "--parts", 2]),
      };
      groups.push([...scaling("W3", ""), pair, ...scaling("W2", "W2-"), ...processes]);
    } else if (group === "K1" || group === "K2") {
      groups.push(kafkaCases(group, options.kafkaRecords));
    }
  }
  // The runner's start-up alone: the W1 flow on an empty input, once per run with the runner's cases.
  if (has("runner") && groups.some((cases) => cases.some((c) => c.contender === "runner"))) {
    const startup = (key: string, label: string, args: (string | number)[]): Case => ({ key: `startup/${key}`, group: "startup", workload: "W1", contender: "runner", label, items: 0, ...node(CHILD, args) });
    // NODE_EXTRA_CA_CERTS makes every Node process parse certificates before it runs anything: measured both ways when it is set.
    const extraCa = process.env.NODE_EXTRA_CA_CERTS !== undefined;
    const bothWays = (key: string, label: string, args: (string | number)[]): Case[] => [
      startup(key, label, args),
      ...(extraCa ? [startup(`${key}${WITHOUT_EXTRA_CA}`, `${label}, NODE_EXTRA_CA_CERTS unset`, [...args, "--without-extra-ca"])] : []),
    ];
    groups.push([
      startup("runner", "`eddy run` -w 1 on an empty input (start-up and exit)", ["W1", "runner", 0]),
      ...bothWays("node", "bare `node -e`, spawn to its line (Node's own start)", ["W1", "node", 0]),
      ...bothWays("first-item", "`eddy run` -w 1, spawn to the first item", ["W1", "first", 0]),
      startup("first-item-recovery", "`eddy run` -w 1 with a file recovery store, spawn to the first item", ["W1", "first", 0, "--recovery"]),
    ]);
  }
  return groups.filter((cases) => cases.length > 0);
}

/** Whether the built peers exist (the RxJS peer is built with the rest of bench/). */
export function rxjsBuilt(): boolean {
  return existsSync(RXJS);
}
