/**
 * The exactly-once Kafka output at the end of input, against the real broker, in real processes:
 * the end of input is made durable (each worker saves its last epoch and marks its partition
 * finished) before the last transactions are committed, so that
 *
 * - re-running a finished store adds no record for a `read_committed` consumer (it resumes after
 *   the end: a list input reads nothing, a Kafka input with `tail: false` only what was added);
 * - a SIGKILL while one worker's input has ended (its records committed) and the other's has not,
 *   then a resume, still gives every record exactly once.
 */

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, flowFile, removeTemporaryDirectories, runNode, temporaryDirectory, REPO, type CliResult } from "../runner/cli.js";
import { brokersEnv, fileTopics, produce, records } from "./records.js";
import { committedRecords, readCommitted } from "./settled.js";

const env = brokersEnv();
const brokers = [{ $env: "KAFKA_BROKERS" }];
const topic = fileTopics();
afterAll(removeTemporaryDirectories);

/** How many times each value was read by a read_committed consumer (once no transaction is open). */
async function copiesOf(output: string): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  for (const r of await committedRecords(output)) copies.set(String(r.value), (copies.get(String(r.value)) ?? 0) + 1);
  return copies;
}

function expectEachOnce(copies: Map<string, number>, values: readonly string[]): void {
  expect([...copies.keys()].sort()).toEqual([...values].sort());
  for (const [value, n] of copies) expect(n, `copies of ${value}`).toBe(1);
}

async function runToEnd(flow: string): Promise<CliResult> {
  const result = await eddy(["run", flow, "-w", "2"], { env, timeoutMs: 90_000 });
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

describe("exactly once at the end of input: re-running a finished store (eddy run -w 2, file recovery)", () => {
  it("adds no record: the re-run resumes after the end, and a list input reads nothing", async () => {
    const output = await topic("eos-end-out", 3);
    const dir = temporaryDirectory("eddy-kafka-eos-end-");
    const items = Array.from({ length: 60 }, (_, i) => [`k${i % 5}`, `v${i}`]);
    // One long epoch: every item is in the last epoch, the one a re-run of a finished store would replay.
    const flow = flowFile(
      [
        { id: "in", op: "input", input: { type: "list", items } },
        { id: "out", op: "capture", after: ["in"], output: { type: "kafka", brokers, topic: output, exactlyOnce: true } },
      ],
      { epoch: { type: "periodic", length: 60_000 }, recovery: { type: "file", dir: join(dir, "state") } },
    );
    await runToEnd(flow);
    const values = items.map(([, v]) => v!);
    expectEachOnce(await copiesOf(output), values);

    const again = await runToEnd(flow);
    expectEachOnce(await copiesOf(output), values);
    expect(again.stderr).toContain("resuming at epoch 1");
  }, 240_000);

  it("adds only what a Kafka input with tail: false finds added since, once", async () => {
    const input = await topic("eos-end-in", 4);
    const output = await topic("eos-end-out", 3);
    const dir = temporaryDirectory("eddy-kafka-eos-end-");
    const flow = flowFile(
      [
        { id: "in", op: "input", input: { type: "kafka", brokers, topic: input, tail: false, decode: "utf8" } },
        { id: "pair", op: "map", after: ["in"], fn: "([, value]) => [value, value]" },
        { id: "out", op: "capture", after: ["pair"], output: { type: "kafka", brokers, topic: output, exactlyOnce: true } },
      ],
      { epoch: { type: "periodic", length: 60_000 }, recovery: { type: "file", dir: join(dir, "state") } },
    );
    const all = records(200, 4, 7);
    await produce(input, all.slice(0, 120));
    await runToEnd(flow);
    expectEachOnce(await copiesOf(output), all.slice(0, 120).map((r) => r.value!));

    await produce(input, all.slice(120));
    await runToEnd(flow);
    expectEachOnce(await copiesOf(output), all.map((r) => r.value!));

    // And once more with nothing new: nothing is written.
    await runToEnd(flow);
    expectEachOnce(await copiesOf(output), all.map((r) => r.value!));
  }, 240_000);
});

describe("exactly once at the end of input: a SIGKILL while the workers' inputs end at different times", () => {
  it("after worker 0's input ended and its records were committed, before worker 1's ended: the resume gives every record exactly once", async () => {
    const output = await topic("eos-uneven-out", 3);
    const dir = temporaryDirectory("eddy-kafka-eos-uneven-");
    const gate = join(dir, "gate");
    const args = [join(REPO, "test/kafka/fixtures/unevenEndChild.ts"), env.KAFKA_BROKERS!, output, join(dir, "state"), gate];
    const perWorker = 20;
    const a = Array.from({ length: perWorker }, (_, i) => `a${i}`);
    const b = Array.from({ length: perWorker }, (_, i) => `b${i}`);

    let child: import("node:child_process").ChildProcess | undefined;
    const first = runNode(args, { timeoutMs: 120_000, onStart: (c) => (child = c) });
    let ended: CliResult | undefined;
    void first.then((result) => (ended = result));
    // Worker 0's input ended and a read_committed consumer sees all its records; worker 1 waits for the gate.
    const seen = await readCommitted(output, { count: perWorker, timeoutMs: 90_000 });
    expect(ended, ended && describeRun(ended)).toBeUndefined();
    expect(seen.map((r) => String(r.value)).sort()).toEqual([...a].sort());
    expect(existsSync(gate)).toBe(false);
    child!.kill("SIGKILL");
    const killed = await first;
    expect(killed.signal, describeRun(killed)).toBe("SIGKILL");

    writeFileSync(gate, "");
    const resumed = await runNode(args, { timeoutMs: 120_000 });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(resumed.stdout).toContain("DONE");
    expectEachOnce(await copiesOf(output), [...a, ...b]);
  }, 300_000);
});
