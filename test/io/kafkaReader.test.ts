/**
 * The Kafka input's reader (node-runner/connectors/kafkaInput.ts) alone, with a fake client behind
 * our own Kafka port: batches go to the engine as they were fetched, positions follow what was
 * handed over, `tail: false` ends at the end offsets read at start, items are plain Uint8Arrays, and
 * failures surface on the next poll after a wake-up.
 */

import { describe, expect, it } from "vitest";
import { KafkaInputConfig, type KafkaInputOptions } from "../../engine/configs/inputs.js";
import { DONE, PENDING, type InputReader } from "../../engine/ports/source.js";
import { notPlainData } from "../../engine/runtime/plainData.js";
import type { FetchAssignment, KafkaClient, PartitionBatch } from "../../node-runner/kafka/client.js";
import { columnsOf } from "../../node-runner/kafka/batchColumns.js";
import { createKafkaReader, type StartTimer } from "../../node-runner/connectors/kafkaInput.js";
import { EddyError } from "../../engine/errors.js";
import { KafkaOffsetOutOfRangeError } from "../../node-runner/kafka/kafkaErrors.js";

const bytes = (text: string) => Buffer.from(text, "utf8");

/** A topic in memory: partition → records' [key, value] texts; fetches return up to `perFetch` records per partition. */
class FakeClient implements KafkaClient {
  closed = false;
  fetches: FetchAssignment[][] = [];
  failNextFetch: unknown;
  constructor(
    readonly partitions: string[][][],
    readonly perFetch = 3,
  ) {}
  async listPartitions() {
    return this.partitions.map((_, p) => p);
  }
  async offsets(_topic: string, partitions: readonly number[]) {
    return partitions.map((partition) => ({ partition, low: 0, high: this.partitions[partition]!.length }));
  }
  async fetch(_topic: string, assignments: readonly FetchAssignment[]): Promise<PartitionBatch[]> {
    this.fetches.push([...assignments]);
    if (this.failNextFetch !== undefined) throw this.failNextFetch;
    const batches = assignments.map(({ partition, offset }) => {
      const records = this.partitions[partition]!.slice(offset, offset + this.perFetch);
      return {
        partition,
        ...columnsOf(records.map(([key, value], i) => ({ offset: offset + i, key: bytes(key!), value: bytes(value!) }))),
        nextOffset: offset + records.length,
        highWatermark: this.partitions[partition]!.length,
      };
    });
    // As a broker does (fetch.wait.max.ms), an answer with no records comes after a wait.
    if (batches.every((b) => b.offsets.length === 0)) await new Promise((resolve) => setTimeout(resolve, 2));
    return batches;
  }
  async close() {
    this.closed = true;
  }
}

function reader(client: FakeClient, options: KafkaInputOptions, ctx: { workerIndex?: number; workerCount?: number; resumeState?: unknown; testingEpochs?: boolean; startTimer?: StartTimer } = {}) {
  let wakes = 0;
  const made = createKafkaReader(new KafkaInputConfig(["fake:9092"], "t", options), {
    stepId: "in",
    workerIndex: ctx.workerIndex ?? 0,
    workerCount: ctx.workerCount ?? 1,
    resumeState: ctx.resumeState,
    wake: () => void (wakes += 1),
    testingEpochs: ctx.testingEpochs ?? false,
  }, { openClient: () => client, ...(ctx.startTimer && { startTimer: ctx.startTimer }) });
  return { reader: made, wakes: () => wakes };
}

/** Polls until DONE (or `limit` rounds), letting the background fetches run in between. */
async function drain(input: InputReader, max = 1024, limit = 200): Promise<unknown[][]> {
  const polls: unknown[][] = [];
  for (let i = 0; i < limit; i++) {
    const result = input.poll(max);
    if (result === DONE) return polls;
    if (result !== PENDING) polls.push(result);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return polls;
}

const topic = [
  [["a", "0"], ["b", "1"], ["a", "2"], ["c", "3"], ["a", "4"]],
  [["x", "5"], ["y", "6"]],
];

describe("the Kafka reader, behind a fake client", () => {
  it("hands each fetched batch over as it is, and ends at the end offsets with tail: false", async () => {
    const client = new FakeClient(topic);
    const { reader: input, wakes } = reader(client, { tail: false, decode: "utf8" });
    expect(input.poll(10)).toBe(PENDING);
    const polls = await drain(input);
    expect(polls.map((p) => p.length)).toEqual([3, 2, 2]);
    expect(polls.flat()).toEqual(expect.arrayContaining([["a", "0"], ["c", "3"], ["y", "6"]]));
    expect(polls.flat()).toHaveLength(7);
    expect(input.snapshot()).toEqual({ 0: 5, 1: 2 });
    expect(client.closed).toBe(true);
    expect(wakes()).toBeGreaterThan(0);
  });

  it("gives a batch larger than max whole, except under testing epochs, which slice it (the position at the first item not handed over)", async () => {
    const { reader: whole } = reader(new FakeClient([topic[0]!], 5), { tail: false, decode: "utf8" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(whole.poll(2)).toHaveLength(5);
    const client = new FakeClient([topic[0]!], 5);
    const { reader: input } = reader(client, { tail: false, decode: "utf8" }, { testingEpochs: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(input.poll(2)).toEqual([["a", "0"], ["b", "1"]]);
    expect(input.snapshot()).toEqual({ 0: 2 });
    expect(input.poll(2)).toEqual([["a", "2"], ["c", "3"]]);
    expect(input.poll(2)).toEqual([["a", "4"]]);
    expect(input.snapshot()).toEqual({ 0: 5 });
    expect(input.poll(2)).toBe(DONE);
  });

  it("resumes at the saved offsets, reading only this worker's partitions", async () => {
    const client = new FakeClient(topic);
    const { reader: input } = reader(client, { tail: false, decode: "utf8" }, { workerIndex: 0, workerCount: 2, resumeState: { 0: 3 } });
    expect(input.snapshot()).toEqual({ 0: 3 });
    expect((await drain(input)).flat()).toEqual([["c", "3"], ["a", "4"]]);
    expect(client.fetches.every((f) => f.every((a) => a.partition === 0))).toBe(true);
  });

  it("gives [key, payload] as plain Uint8Arrays without decode (never Buffers), which cross threads as they are", async () => {
    const { reader: input } = reader(new FakeClient([[["k", "v"]]]), { tail: false });
    const [[item]] = (await drain(input)) as [[[Uint8Array, Uint8Array]]];
    expect(Object.getPrototypeOf(item[0])).toBe(Uint8Array.prototype);
    expect(Buffer.isBuffer(item[1])).toBe(false);
    expect(item[1].buffer.byteLength).toBe(1);
    expect([...item[1]]).toEqual([0x76]);
    expect(notPlainData(item)).toBeUndefined();
    expect(structuredClone(item)).toEqual(item);
  });

  it("parses JSON payloads with decode: json, and names the partition and offset of one that is not JSON", async () => {
    const { reader: good } = reader(new FakeClient([[["k", '{"n":1}']]]), { tail: false, decode: "json" });
    expect((await drain(good)).flat()).toEqual([["k", { n: 1 }]]);
    const { reader: bad } = reader(new FakeClient([[["k", "{"]]]), { tail: false, decode: "json" });
    await expect(drain(bad)).rejects.toThrowError(expect.objectContaining({ code: "INPUT_KAFKA_DECODE", message: expect.stringContaining("Kafka topic t, partition 0, offset 0: the payload is not JSON") }));
  });

  it("a failed fetch is thrown by the next poll, and wakes the scheduler", async () => {
    const client = new FakeClient(topic);
    client.failNextFetch = new EddyError("INPUT_KAFKA_FAILED", "Error reading input from Kafka topic t: boom");
    const { reader: input, wakes } = reader(client, { tail: true });
    await expect(drain(input)).rejects.toThrowError("boom");
    expect(wakes()).toBeGreaterThan(0);
    expect(client.closed).toBe(true);
  });

  it("brokers that never answer fail the input with INPUT_KAFKA_UNREACHABLE at the start deadline (30 s), not a hang", async () => {
    const silent = new FakeClient(topic);
    silent.listPartitions = () => new Promise<number[]>(() => {});
    let deadline: { callback: () => void; ms: number } | undefined;
    const { reader: input, wakes } = reader(silent, { tail: true }, { startTimer: (callback, ms) => ((deadline = { callback, ms }), () => {}) });
    expect(input.poll(10)).toBe(PENDING);
    expect(deadline!.ms).toBe(30_000);
    deadline!.callback();
    await new Promise((resolve) => setImmediate(resolve));
    expect(wakes()).toBe(1);
    expect(() => input.poll(10)).toThrowError(expect.objectContaining({ code: "INPUT_KAFKA_UNREACHABLE", message: 'Step "in" (input), Kafka topic t, worker 0: no answer from the Kafka brokers fake:9092 within 30 s' }));
    expect(silent.closed).toBe(true);
  });

  it("a partition whose offset went out of range fails the input, or goes on where auto.offset.reset says", async () => {
    const outOfRange = () => new KafkaOffsetOutOfRangeError(0, "Topic t, partition 0: out of range");
    const strict = new FakeClient([topic[0]!]);
    strict.failNextFetch = outOfRange();
    const { reader: failing } = reader(strict, { tail: false, decode: "utf8" }, { resumeState: { 0: 2 } });
    await expect(drain(failing)).rejects.toThrowError(expect.objectContaining({ code: "INPUT_KAFKA_OFFSET_OUT_OF_RANGE", message: expect.stringContaining('partition 0: the offset to read next, 2, is no longer in the partition') }));
    const lenient = new FakeClient([topic[0]!]);
    let failures = 1;
    const fetch = lenient.fetch.bind(lenient);
    lenient.fetch = async (t: string, assignments: readonly FetchAssignment[]) => {
      if (failures-- > 0) throw outOfRange();
      return fetch(t, assignments);
    };
    const { reader: resetting } = reader(lenient, { tail: false, decode: "utf8", additionalProperties: { "auto.offset.reset": "earliest" } }, { resumeState: { 0: 2 } });
    expect((await drain(resetting)).flat()).toEqual(topic[0]);
    expect(resetting.snapshot()).toEqual({ 0: 5 });
  });

  it("close stops reading and closes the client; a closed reader is done", async () => {
    const client = new FakeClient(topic);
    const { reader: input } = reader(client, { tail: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    input.close();
    expect(client.closed).toBe(true);
    expect(input.poll(10)).toBe(DONE);
  });
});
