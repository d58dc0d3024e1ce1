/**
 * `eddy run` with a Kafka input against a real broker: several worker threads with `decode`,
 * SIGKILL in the middle of a tailing run and a resume with exact per-key counts (1 and 2 workers),
 * and clear errors with their exit codes: an unreachable broker (3, in bounded time), an unknown
 * property (2, from `eddy validate` too, which never connects), partitions gone since the
 * snapshot (4).
 */

import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRun, eddy, filesIn, flowFile, lines, removeTemporaryDirectories, sortedLines, temporaryDirectory } from "../runner/cli.js";
import { createTopic, deleteTopic, kafkaBrokers, KAFKA_READY_TIMEOUT_MS, produce, records, uniqueTopic } from "./records.js";
import { createServer } from "node:net";

const env: Record<string, string> = {};
beforeAll(async () => {
  env.KAFKA_BROKERS = (await kafkaBrokers()).join(",");
}, KAFKA_READY_TIMEOUT_MS);
const brokers = [{ $env: "KAFKA_BROKERS" }];

afterAll(() => removeTemporaryDirectories());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("eddy run with a Kafka input", () => {
  it("-w 2 with decode utf8 reads every record once", async () => {
    const topic = uniqueTopic("run");
    await createTopic(topic, 4);
    const produced = records(200, 4);
    await produce(topic, produced);
    const flow = flowFile([
      { id: "in", op: "input", input: { type: "kafka", brokers, topic, tail: false, decode: "utf8" } },
      { id: "show", op: "map", after: ["in"], fn: "([key, value]) => `${key}=${value}`" },
      { id: "out", op: "capture", after: ["show"], output: { type: "stdout" } },
    ]);
    const result = await eddy(["run", flow, "-w", "2"], { env, timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expect(sortedLines(result.stdout)).toEqual(produced.map((r) => `${r.key}=${r.value}`).sort());
  }, 90_000);

  it.each([1, 2])("resumes after SIGKILL with exact per-key counts (%i workers)", async (workers) => {
    const topic = uniqueTopic("kill");
    await createTopic(topic, 4);
    const dir = temporaryDirectory("eddy-kafka-kill-");
    const flow = flowFile(
      [
        { id: "in", op: "input", input: { type: "kafka", brokers, topic, decode: "utf8" } },
        { id: "ones", op: "map", after: ["in"], fn: "([key]) => [key, 1]" },
        { id: "count", op: "stateful_map", after: ["ones"], builder: "() => 0", fn: "(n, one) => [n + one, n + one]" },
        { id: "out", op: "capture", after: ["count"], output: { type: "file", path: join(dir, "counts.jsonl") } },
      ],
      { epoch: { type: "periodic", length: 100 }, recovery: { type: "file", dir: join(dir, "state") } },
    );
    const outputLines = () => [...filesIn(dir, /^counts/).values()].flatMap(lines);
    const all = records(900, 4, 7);
    await produce(topic, all.slice(0, 300));

    let child: ChildProcess | undefined;
    const killed = eddy(["run", flow, "-w", String(workers)], { env, timeoutMs: 60_000, onStart: (c) => (child = c) });
    await until(() => outputLines().length >= 100, 30_000, "the first counts");
    await produce(topic, all.slice(300, 600));
    await sleep(150);
    child!.kill("SIGKILL");
    const first = await killed;
    expect(first.signal, describeRun(first)).toBe("SIGKILL");
    await produce(topic, all.slice(600));

    const resumed = eddy(["run", flow, "-w", String(workers)], { env, timeoutMs: 60_000, onStart: (c) => (child = c) });
    await until(() => outputLines().length >= all.length, 40_000, "every count");
    await sleep(300);
    child!.kill("SIGTERM");
    const second = await resumed;
    expect(second.code, describeRun(second)).toBe(130);
    expect(second.stderr).toContain("resuming at epoch");

    const expected = new Map<string, number>();
    for (const r of all) expected.set(r.key!, (expected.get(r.key!) ?? 0) + 1);
    const counts = new Map<string, number[]>();
    for (const line of outputLines()) {
      const [key, n] = JSON.parse(line) as [string, number];
      counts.set(key, [...(counts.get(key) ?? []), n]);
    }
    for (const [key, total] of expected) {
      expect(counts.get(key)!.sort((a, b) => a - b), key).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    }
  }, 150_000);
});

describe("eddy and Kafka errors", () => {
  it("an unreachable broker: exit 3 with a clear message, within 30 s", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const flow = flowFile([
      { id: "in", op: "input", input: { type: "kafka", brokers: [`127.0.0.1:${port}`], topic: "t" } },
      { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } },
    ]);
    const result = await eddy(["run", flow], { timeoutMs: 45_000 });
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.stderr).toContain(`Cannot reach the Kafka brokers 127.0.0.1:${port} for topic t`);
    expect(result.ms).toBeLessThan(30_000);
  }, 60_000);

  it("an unknown property: exit 2 from validate (which never connects) and from run, with the known ones listed", async () => {
    const flow = flowFile([
      { id: "in", op: "input", input: { type: "kafka", brokers: ["127.0.0.1:1"], topic: "t", additionalProperties: { "sasl.pasword": "hunter2", "sasl.password": "hunter3" } } },
      { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } },
    ]);
    for (const command of ["validate", "run"]) {
      const result = await eddy([command, flow], { timeoutMs: 30_000 });
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stderr).toContain('unknown Kafka property "sasl.pasword" (did you mean "sasl.password"?); known: ');
      expect(result.stderr).not.toContain("hunter");
      expect(result.ms).toBeLessThan(20_000);
    }
    const valid = flowFile([
      { id: "in", op: "input", input: { type: "kafka", brokers: ["127.0.0.1:1"], topic: "t", decode: "json", additionalProperties: { "fetch.wait.max.ms": "100" } } },
      { id: "out", op: "capture", after: ["in"], output: { type: "stdout" } },
    ]);
    const checked = await eddy(["validate", valid], { timeoutMs: 30_000 });
    expect(checked.code, describeRun(checked)).toBe(0);
  }, 60_000);

  it("a snapshot naming partitions the topic no longer has: exit 4", async () => {
    const topic = uniqueTopic("gone");
    await createTopic(topic, 4);
    await produce(topic, records(20, 4));
    const dir = temporaryDirectory("eddy-kafka-gone-");
    const flow = flowFile(
      [
        { id: "in", op: "input", input: { type: "kafka", brokers, topic, tail: false } },
        { id: "out", op: "capture", after: ["in"], output: { type: "function", fn: "() => () => {}" } },
      ],
      { epoch: { type: "testing" }, recovery: { type: "file", dir: join(dir, "state") } },
    );
    const first = await eddy(["run", flow], { env, timeoutMs: 30_000 });
    expect(first.code, describeRun(first)).toBe(0);
    await deleteTopic(topic);
    await sleep(1000);
    await createTopic(topic, 2);
    const second = await eddy(["run", flow], { env, timeoutMs: 30_000 });
    expect(second.code, describeRun(second)).toBe(4);
    expect(second.stderr).toContain(`of topic ${topic}, which now has 2 partitions`);
    await deleteTopic(topic);
  }, 60_000);
});
