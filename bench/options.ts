/**
 * The command line of `npm run bench` (node dist/bench/run.js):
 *
 *   --quick                20,000 items for every contender, 1 run: a smoke run of every case
 *   --runs R               runs per contender (default 3; the median is reported)
 *   --items N              items per run (default 10,000,000)
 *   --bytewax-items N      items per Bytewax run (default 1,000,000: Bytewax is slow; rates compare)
 *   --only W1,R,...        only these workloads (W1 W2 W3 W4 W5 J R S K1 K2)
 *   --kafka-records N      records of the Kafka workloads' input topic (default 1,000,000; --quick
 *                          20,000); K1 and K2 run on the broker KAFKA_BROKERS names, or start one
 *   --skip bytewax,...     leave these contenders out (hand batch eddy flow runner rxjs bytewax)
 *   --out DIR              write results.md and results.json to DIR (default: bench/, but a
 *                          --quick run goes to eddy-bench-quick/ in the temporary directory)
 */

import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_BYTEWAX_ITEMS, DEFAULT_ITEMS, DEFAULT_KAFKA_RECORDS, QUICK_ITEMS } from "./workloads.js";

export const GROUPS = ["W1", "W2", "W3", "W4", "W5", "J", "R", "S", "K1", "K2"] as const;
export type Group = (typeof GROUPS)[number];
export const CONTENDERS = ["hand", "batch", "eddy", "flow", "runner", "rxjs", "bytewax"] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  readonly runs: number;
  readonly items: number;
  readonly bytewaxItems: number;
  /** Records of the Kafka workloads (K1, K2). */
  readonly kafkaRecords: number;
  readonly groups: readonly Group[];
  readonly contenders: readonly Contender[];
  readonly outDir: string;
  /** The command line as typed, for the report. */
  readonly command: string;
}

/** The source directory bench/ (this file runs from dist/bench/). */
export const BENCH_DIR = fileURLToPath(new URL("../../bench/", import.meta.url));

function count(args: readonly string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = Number(args[at + 1]?.replaceAll(/[_,]/g, ""));
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}

function list<T extends string>(args: readonly string[], name: string, allowed: readonly T[]): T[] | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const names = (args[at + 1] ?? "").split(",").filter(Boolean);
  const wrong = names.filter((entry) => !(allowed as readonly string[]).includes(entry));
  if (names.length === 0 || wrong.length > 0) throw new Error(`${name} takes a comma-separated list of ${allowed.join(", ")}; got ${JSON.stringify(args[at + 1] ?? "")}`);
  return names as T[];
}

const KNOWN = new Set(["--quick", "--runs", "--items", "--bytewax-items", "--kafka-records", "--only", "--skip", "--out"]);

export function parseOptions(args: readonly string[]): BenchOptions {
  for (let i = 0; i < args.length; i++) {
    if (!KNOWN.has(args[i]!)) throw new Error(`unknown option ${JSON.stringify(args[i])}`);
    if (args[i] !== "--quick") i += 1;
  }
  const quick = args.includes("--quick");
  const items = count(args, "--items") ?? (quick ? QUICK_ITEMS : DEFAULT_ITEMS);
  const skip = list(args, "--skip", CONTENDERS) ?? [];
  const outAt = args.indexOf("--out");
  const out = outAt !== -1 ? args[outAt + 1] : quick ? join(tmpdir(), "eddy-bench-quick") : BENCH_DIR;
  if (out === undefined || out === "") throw new Error("--out needs a directory");
  return {
    quick,
    runs: count(args, "--runs") ?? (quick ? 1 : 3),
    items,
    bytewaxItems: count(args, "--bytewax-items") ?? (quick ? items : Math.min(items, DEFAULT_BYTEWAX_ITEMS)),
    kafkaRecords: count(args, "--kafka-records") ?? (quick ? QUICK_ITEMS : DEFAULT_KAFKA_RECORDS),
    groups: list(args, "--only", GROUPS) ?? [...GROUPS],
    contenders: CONTENDERS.filter((contender) => !skip.includes(contender)),
    outDir: out,
    command: ["npm run bench", ...(args.length > 0 ? ["--", ...args] : [])].join(" "),
  };
}
