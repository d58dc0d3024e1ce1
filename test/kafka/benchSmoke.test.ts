/**
 * Smoke test of the Kafka workloads of the benchmark (`npm run bench -- --only K1,K2 --quick`, run
 * as `node dist/bench/run.js` on the build, on this project's broker through KAFKA_BROKERS): every
 * K1 and K2 contender (the hand-written kafkajs programs and `eddy run` -w 1, -w 2, exactlyOnce)
 * completes with the right checksum (K1: the weighted count of 20,000 records; K2: the records a
 * read_committed consumer reads from the output topic), and the report has the Kafka targets. It
 * never looks at timings.
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaBrokers, KAFKA_READY_TIMEOUT_MS } from "./records.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const out = mkdtempSync(join(tmpdir(), "eddy-bench-kafka-smoke-"));
let brokers = "";

beforeAll(async () => {
  brokers = (await kafkaBrokers()).join(",");
}, KAFKA_READY_TIMEOUT_MS);
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Result {
  key: string;
  checksum?: number;
  expectedChecksum?: number;
  ok: boolean;
  problem?: string;
}

describe("npm run bench -- --only K1,K2 --quick", () => {
  it("runs every Kafka contender to the correct checksum", () => {
    const run = join(root, "dist/bench/run.js");
    if (!existsSync(run)) throw new Error("dist/bench/run.js is missing: run `npm run build` first (npm test does)");
    const bench = spawnSync(process.execPath, [run, "--quick", "--only", "K1,K2", "--out", out], { cwd: root, encoding: "utf8", timeout: 10 * 60_000, env: { ...process.env, KAFKA_BROKERS: brokers } });
    const report = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as { results: Result[]; targets: { name: string; measured?: number }[] };
    const keys = ["K1/hand", "K1/w1", "K1/w2", "K1/hand-start", "K1/w1-start", "K1/w2-start", "K2/hand", "K2/w1", "K2/w2", "K2/w1-exactly-once"];
    expect(report.results.map((result) => result.key).sort()).toEqual([...keys].sort());
    const wrong = report.results.filter((result) => !result.ok).map((result) => `${result.key}: ${result.problem}`);
    expect(wrong, bench.stdout + bench.stderr).toEqual([]);
    // 20,000 records, keys k0..k999: each key 20 times, weighted by its number plus one.
    expect(report.results.find((result) => result.key === "K1/w1")?.checksum).toBe(20 * ((1000 * 1001) / 2));
    expect(report.results.find((result) => result.key === "K2/w1-exactly-once")?.checksum).toBe(20_000);
    expect(report.targets.filter((target) => target.name.startsWith("K") && target.measured !== undefined)).toHaveLength(3);
    expect(bench.status, bench.stderr).toBe(0);
  }, 12 * 60_000);
});
