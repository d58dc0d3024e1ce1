/**
 * The cases of the Kafka workloads in `npm run bench` (bench/plan.ts): each contender over the
 * input topic of N records, spawn to exit, and for K1 the same contenders on an empty topic (their
 * start-up alone, which the report takes off to give the rates after start-up).
 */

import { join } from "node:path";
import { BENCH_DIR } from "../options.js";
import type { Case } from "../plan.js";
import { countChecksum } from "./records.js";

export type KafkaWorkload = "K1" | "K2";
export type KafkaContender = "hand" | "w1" | "w2" | "w1-exactly-once";

const CHILD = join(BENCH_DIR, "../dist/bench/kafka/child.js");

const LABELS: Readonly<Record<KafkaWorkload, Partial<Record<KafkaContender, string>>>> = {
  K1: { hand: "kafkajs consumer (group, eachBatch, a Map)", w1: "Eddy, `eddy run` -w 1", w2: "Eddy, `eddy run` -w 2" },
  K2: {
    hand: "kafkajs consume-produce loop (eachBatch, send, idempotent)",
    w1: "Eddy, `eddy run` -w 1, at least once",
    w2: "Eddy, `eddy run` -w 2, at least once",
    "w1-exactly-once": "Eddy, `eddy run` -w 1, exactlyOnce",
  },
};

/** The cases of `workload` over `records` records, in the order they alternate. */
export function kafkaCases(workload: KafkaWorkload, records: number): Case[] {
  const contenders = Object.keys(LABELS[workload]) as KafkaContender[];
  const make = (contender: KafkaContender, items: number): Case => ({
    key: `${workload}/${contender}${items === 0 ? "-start" : ""}`,
    group: workload,
    workload,
    contender,
    label: items === 0 ? `${LABELS[workload][contender]}, start-up (empty topic)` : LABELS[workload][contender]!,
    items,
    ...(contender === "w2" && { workers: 2 }),
    command: process.execPath,
    args: [CHILD, workload, contender, String(items)],
  });
  const cases = contenders.map((contender) => make(contender, records));
  if (workload === "K1") cases.push(...contenders.map((contender) => make(contender, 0)));
  return cases;
}

/** The checksum every contender of `workload` must give over `records` records (records.ts). */
export function kafkaChecksum(workload: KafkaWorkload, records: number): number {
  return workload === "K1" ? countChecksum(records) : records;
}

export function isKafkaWorkload(name: string): name is KafkaWorkload {
  return name === "K1" || name === "K2";
}
