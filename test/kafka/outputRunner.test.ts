/**
 * `eddy run` with a Kafka output against the real broker: a flow file's `kafka` output block (with
 * `$env` brokers) with 1 and 2 workers; SIGKILL in the middle of a tailing Kafka-to-Kafka run with
 * file recovery and 2 workers, then resume: at least once (every record, duplicates only a replay
 * from where each input partition resumed), and exactly once (several kills at seeded points, each
 * triggered by an observable state of the output topic: a `read_committed` consumer reads every
 * record exactly once).
 */

import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { consumeAll } from "../helpers/kafka.js";
import { BASE_SEED, prng } from "../helpers/seeds.js";
import { describeRun, eddy, flowFile, removeTemporaryDirectories, temporaryDirectory, type CliResult } from "../runner/cli.js";
import { brokersEnv, fileTopics, produce, records } from "./records.js";
import { committedRecords, readCommitted, writtenOffsets } from "./settled.js";

const env = brokersEnv();
const brokers = [{ $env: "KAFKA_BROKERS" }];
const topic = fileTopics();
afterAll(removeTemporaryDirectories);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("eddy run with a Kafka output block", () => {
  it.each([1, 2])("-w %i: every item lands, with $env brokers", async (workers) => {
    const out = await topic("run-out", 3);
    const items = Array.from({ length: 100 }, (_, i) => [`k${i % 6}`, `v${i}`]);
    const flow = flowFile([
      { id: "in", op: "input", input: { type: "list", items } },
      { id: "out", op: "capture", after: ["in"], output: { type: "kafka", brokers, topic: out, exactlyOnce: workers === 2 } },
    ]);
    const result = await eddy(["run", flow, "-w", String(workers)], { env, timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const read = await committedRecords(out);
    expect(read.map((r) => `${r.key}=${r.value}`).sort()).toEqual(items.map(([k, v]) => `${k}=${v}`).sort());
  }, 90_000);
});

/** Kafka (tailing, 4 partitions) → [value, value] → Kafka, periodic 50 ms epochs, file recovery. */
function pipeline(input: string, output: string, dir: string, exactlyOnce: boolean): string {
  return flowFile(
    [
      { id: "in", op: "input", input: { type: "kafka", brokers, topic: input, decode: "utf8" } },
      { id: "pair", op: "map", after: ["in"], fn: "([, value]) => [value, value]" },
      { id: "out", op: "capture", after: ["pair"], output: { type: "kafka", brokers, topic: output, exactlyOnce } },
    ],
    { epoch: { type: "periodic", length: 50 }, recovery: { type: "file", dir: join(dir, "state") } },
  );
}

/** Starts `eddy run -w 2`; returns the run and its child once started. */
function start(flow: string): { run: Promise<CliResult>; child: () => ChildProcess } {
  let child: ChildProcess | undefined;
  const run = eddy(["run", flow, "-w", "2"], { env, timeoutMs: 120_000, onStart: (c) => (child = c) });
  return { run, child: () => child! };
}

/** Reads until `total` committed records are there (read_committed, through our port: settled.ts), then stops the run with SIGTERM. */
async function finish(flow: string, output: string, total: number): Promise<void> {
  const last = start(flow);
  await readCommitted(output, { count: total, timeoutMs: 60_000 });
  await sleep(200);
  last.child().kill("SIGTERM");
  const result = await last.run;
  expect(result.code, describeRun(result)).toBe(130);
  expect(result.stderr).toContain("resuming at epoch");
}

describe("a Kafka-to-Kafka run killed with SIGKILL, then resumed (2 workers, file recovery)", () => {
  it("at least once: every record, and duplicates only as a replay of each input partition from where it resumed", async () => {
    const input = await topic("alo-in", 4);
    const output = await topic("alo-out", 3);
    const dir = temporaryDirectory("eddy-kafka-alo-");
    const flow = pipeline(input, output, dir, false);
    const all = records(600, 4, 7);
    await produce(input, all.slice(0, 300));
    const first = start(flow);
    const before = 0;
    await until(async () => (await writtenOffsets(output)) >= before + 100, 30_000, "the first records out");
    await produce(input, all.slice(300, 450));
    await sleep(100);
    first.child().kill("SIGKILL");
    const killed = await first.run;
    expect(killed.signal, describeRun(killed)).toBe("SIGKILL");
    await produce(input, all.slice(450));

    const total = all.length;
    const last = start(flow);
    await until(async () => (await distinctValues(output)) >= total, 60_000, "every record out");
    last.child().kill("SIGTERM");
    const resumed = await last.run;
    expect(resumed.code, describeRun(resumed)).toBe(130);
    expect(resumed.stderr).toContain("resuming at epoch");

    const read = await consumeAll(output, { isolationLevel: "read_uncommitted" });
    const copies = new Map<string, number>();
    for (const r of read) copies.set(String(r.value), (copies.get(String(r.value)) ?? 0) + 1);
    for (const r of all) expect(copies.get(r.value!), r.value!).toBeGreaterThanOrEqual(1);
    for (const [value, n] of copies) expect(n, value).toBeLessThanOrEqual(2);
    // Per input partition (value i is on partition i mod 4), the duplicated values are one run of consecutive records.
    for (let p = 0; p < 4; p++) {
      const order = all.filter((_, i) => i % 4 === p).map((r) => r.value!);
      const twice = order.map((v) => copies.get(v) === 2);
      const firstDup = twice.indexOf(true);
      if (firstDup === -1) continue;
      const lastDup = twice.lastIndexOf(true);
      expect(twice.slice(firstDup, lastDup + 1).every(Boolean), `partition ${p}`).toBe(true);
    }
  }, 180_000);

  it("exactly once: several SIGKILLs at seeded points, then a read_committed consumer reads every record exactly once", async () => {
    const seed = BASE_SEED ^ 0x6b6f7574;
    console.log(`Kafka exactly-once crash test seed: ${seed >>> 0} (replay with CRASH_SEED=${BASE_SEED})`);
    const random = prng(seed);
    const input = await topic("eos-in", 4);
    const output = await topic("eos-out", 3);
    const dir = temporaryDirectory("eddy-kafka-eos-");
    const flow = pipeline(input, output, dir, true);
    const all = records(800, 4, 7);
    const kills = 4;
    const chunk = all.length / (kills + 1);
    for (let k = 0; k < kills; k++) {
      await produce(input, all.slice(k * chunk, (k + 1) * chunk));
      const at = await writtenOffsets(output);
      const run = start(flow);
      let ended: CliResult | undefined;
      void run.run.then((result) => (ended = result));
      // Kill once the output moved by a seeded amount (records or transaction markers), plus a seeded delay (to land in a commit, sometimes).
      const step = 1 + Math.floor(random() * 60);
      await until(
        async () => {
          if (ended) throw new Error(`run ${k + 1} ended before its kill: ${describeRun(ended)}`);
          return (await writtenOffsets(output)) >= at + step;
        },
        60_000,
        `the output to move by ${step} (kill ${k + 1})`,
      );
      await sleep(Math.floor(random() * 150));
      run.child().kill("SIGKILL");
      const killed = await run.run;
      expect(killed.signal, describeRun(killed)).toBe("SIGKILL");
    }
    await produce(input, all.slice(kills * chunk));
    await finish(flow, output, all.length);

    const read = await committedRecords(output);
    const copies = new Map<string, number>();
    for (const r of read) copies.set(String(r.value), (copies.get(String(r.value)) ?? 0) + 1);
    expect(read.length).toBe(all.length);
    for (const r of all) expect(copies.get(r.value!), r.value!).toBe(1);
  }, 300_000);
});

async function distinctValues(topic: string): Promise<number> {
  const high = await writtenOffsets(topic);
  if (high === 0) return 0;
  const read = await consumeAll(topic, { isolationLevel: "read_uncommitted", count: high, timeoutMs: 10_000 }).catch(() => []);
  return new Set(read.map((r) => String(r.value))).size;
}
