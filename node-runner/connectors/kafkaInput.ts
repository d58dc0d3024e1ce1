/**
 * The reader of `KafkaInputConfig` (Bytewax 0.11 semantics): this worker reads the partitions
 * `partition mod workerCount === workerIndex`, with no consumer group and nothing committed to
 * Kafka; its resume state is each partition's next offset (kafkaPlan.ts), saved with the epoch.
 *
 * It reads in the background through the Kafka port (../kafka/client.ts): first the partitions and
 * their offsets (within the client's start deadline, or INPUT_KAFKA_UNREACHABLE), then one fetch
 * at a time, each answer's batches queued as they came. `poll` never waits: it hands over the
 * oldest queued batch as it is, and the next fetch is
 * already under way while the engine works. Only testing epochs (one item per epoch) slice a batch. Data and failures wake the scheduler (`ctx.wake`).
 * With `tail: false` it ends when every partition reached its high-water mark read at start.
 *
 * ```ts
 * const reader = createKafkaReader(config, ctx);               // kafkajs behind the port
 * const reader = createKafkaReader(config, ctx, { openClient: () => fake });   // tests of the logic alone
 * ```
 */

import { DONE, EddyError, PENDING, type InputContext, type InputReader, type KafkaInputConfig, type PollResult } from "../../engine/host/index.js";
import type { KafkaClient, PartitionBatch } from "../kafka/client.js";
import { clientSettings, type ClientSettings } from "../kafka/clientOptions.js";
import { kafkaError, KafkaOffsetOutOfRangeError } from "../kafka/kafkaErrors.js";
import { kafkajsClient } from "../kafka/kafkajsClient.js";
import { assignPartitions, outOfRange, parseResumeState, positionsState, reachedEnds, startPositions, type KafkaPositions } from "./kafkaPlan.js";
import { toItems } from "./kafkaRecords.js";

/** Fetch ahead while fewer items than this are queued. */
const PREFETCH_ITEMS = 65_536;

export type KafkaClientFactory = (settings: ClientSettings) => KafkaClient;

/** Starts a timer; returns what cancels it. */
export type StartTimer = (callback: () => void, ms: number) => () => void;

export interface KafkaReaderOptions {
  /** The client behind our Kafka port (kafkajs by default; a fake in tests of the logic). */
  readonly openClient?: KafkaClientFactory;
  /** The start deadline's timer (setTimeout by default). */
  readonly startTimer?: StartTimer;
}

const systemTimer: StartTimer = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

interface Queued {
  readonly partition: number;
  readonly items: unknown[];
  /** The offset of each item (and of records after them). */
  readonly offsets: ArrayLike<number>;
  /** The partition's position once every item is handed over. */
  readonly next: number;
  /** How many items were handed over already. */
  taken: number;
}

export function createKafkaReader(config: KafkaInputConfig, ctx: InputContext, options: KafkaReaderOptions = {}): InputReader {
  return new KafkaReader(config, ctx, options.openClient ?? kafkajsClient, options.startTimer ?? systemTimer);
}

class KafkaReader implements InputReader {
  readonly notifiesOnData = true;
  private readonly settings: ClientSettings;
  private readonly client: KafkaClient;
  private readonly resume: KafkaPositions | undefined;
  private readonly where: string;
  /** Handed-over positions (what `snapshot` saves); undefined until the start finished. */
  private positions: KafkaPositions | undefined;
  /** Where the next fetch of each partition starts (ahead of `positions` by what is queued). */
  private fetchFrom: KafkaPositions = new Map();
  private ends: KafkaPositions | undefined;
  private readonly queue: Queued[] = [];
  private queuedItems = 0;
  private fetching = false;
  private closed = false;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly config: KafkaInputConfig,
    private readonly ctx: InputContext,
    openClient: KafkaClientFactory,
    private readonly startTimer: StartTimer,
  ) {
    this.where = `Step "${ctx.stepId}" (input), Kafka topic ${config.topic}, worker ${ctx.workerIndex}`;
    this.resume = parseResumeState(ctx.resumeState, this.where);
    this.settings = clientSettings(config);
    this.client = openClient(this.settings);
    void this.start();
  }

  poll(max: number): PollResult {
    if (this.failure) throw this.failure.error;
    if (this.closed) return DONE;
    const positions = this.positions;
    if (positions === undefined) return PENDING;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const left = head.items.length - head.taken;
      if (left === 0) {
        positions.set(head.partition, head.next);
        this.queue.shift();
        continue;
      }
      let items: unknown[];
      // A fetched batch goes over whole (it may go past `max`, as an ItemBatch does); testing epochs take one item at a time.
      if (head.taken === 0 && (left <= max || !this.ctx.testingEpochs)) {
        items = head.items;
        head.taken = left;
      } else {
        const count = Math.min(max, left);
        items = head.items.slice(head.taken, head.taken + count);
        head.taken += count;
      }
      this.queuedItems -= items.length;
      if (head.taken === head.items.length) {
        positions.set(head.partition, head.next);
        this.queue.shift();
      } else {
        positions.set(head.partition, head.offsets[head.taken]!);
      }
      this.fetchMore();
      return items;
    }
    if (this.ends !== undefined && reachedEnds(positions, this.ends)) {
      this.close();
      return DONE;
    }
    this.fetchMore();
    return PENDING;
  }

  snapshot(): unknown {
    if (this.positions === undefined) return this.resume === undefined ? {} : positionsState(this.resume);
    return positionsState(this.positions);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    void this.client.close().catch(() => {});
  }

  private async start(): Promise<void> {
    let cancel = () => {};
    const deadline = new Promise<never>((_, reject) => {
      cancel = this.startTimer(() => {
        const brokers = this.config.brokers.join(", ");
        reject(new EddyError("INPUT_KAFKA_UNREACHABLE", `${this.where}: no answer from the Kafka brokers ${brokers} within ${this.settings.startDeadlineMs / 1000} s`));
      }, this.settings.startDeadlineMs);
    });
    try {
      const plan = await Promise.race([deadline, this.plan()]);
      if (this.closed) return;
      this.positions = plan.positions;
      this.fetchFrom = new Map(plan.positions);
      this.ends = plan.ends;
      this.ctx.wake();
      this.fetchMore();
    } catch (error) {
      this.fail(error);
    } finally {
      cancel();
    }
  }

  private async plan() {
    const { topic } = this.config;
    const topicPartitions = await this.client.listPartitions(topic);
    const assigned = assignPartitions(topicPartitions, this.ctx.workerIndex, this.ctx.workerCount);
    const offsets = assigned.length === 0 ? [] : await this.client.offsets(topic, assigned);
    return startPositions({
      topic,
      topicPartitions,
      assigned,
      offsets,
      resume: this.resume,
      startingOffset: this.config.startingOffset,
      offsetReset: this.settings.offsetReset,
      tail: this.config.tail,
      where: this.where,
    });
  }

  /** Starts the next fetch, unless one is under way, enough is queued, or nothing is left to read. */
  private fetchMore(): void {
    if (this.fetching || this.closed || this.failure || this.positions === undefined || this.queuedItems >= PREFETCH_ITEMS) return;
    const ends = this.ends;
    const assignments = [...this.fetchFrom]
      .filter(([partition, offset]) => ends === undefined || offset < ends.get(partition)!)
      .map(([partition, offset]) => ({ partition, offset }));
    if (assignments.length === 0) return;
    this.fetching = true;
    this.client.fetch(this.config.topic, assignments, this.settings.fetch).then(
      (batches) => this.arrived(batches),
      (error) => this.fetchFailed(error),
    );
  }

  private arrived(batches: readonly PartitionBatch[]): void {
    this.fetching = false;
    if (this.closed) return;
    try {
      let queued = false;
      for (const batch of batches) {
        const from = this.fetchFrom.get(batch.partition);
        if (from === undefined) continue;
        const end = this.ends?.get(batch.partition);
        const { items } = toItems(batch, { decode: this.config.decode, end, topic: this.config.topic });
        const truncated = items.length < batch.offsets.length;
        const next = truncated ? batch.offsets[items.length]! : batch.nextOffset;
        if (next === from && items.length === 0) continue;
        this.fetchFrom.set(batch.partition, next);
        this.queue.push({ partition: batch.partition, items, offsets: batch.offsets, next, taken: 0 });
        this.queuedItems += items.length;
        queued = true;
      }
      if (queued || this.ends !== undefined) this.ctx.wake();
      this.fetchMore();
    } catch (error) {
      this.fail(error);
    }
  }

  private fetchFailed(error: unknown): void {
    this.fetching = false;
    if (this.closed) return;
    if (!(error instanceof KafkaOffsetOutOfRangeError) || this.settings.offsetReset === "error" || !this.fetchFrom.has(error.partition)) {
      this.fail(this.explain(error));
      return;
    }
    const partition = error.partition;
    this.client.offsets(this.config.topic, [partition]).then(
      ([range]) => {
        if (this.closed || range === undefined) return;
        const next = outOfRange(this.settings.offsetReset, range, this.fetchFrom.get(partition)!, `${this.where}, partition ${partition}`);
        this.fetchFrom.set(partition, next);
        this.queue.push({ partition, items: [], offsets: [], next, taken: 0 });
        this.fetchMore();
      },
      (failure) => this.fail(failure),
    );
  }

  private explain(error: unknown): unknown {
    if (error instanceof KafkaOffsetOutOfRangeError) {
      const partition = error.partition;
      return new EddyError(
        "INPUT_KAFKA_OFFSET_OUT_OF_RANGE",
        `${this.where}, partition ${partition}: the offset to read next, ${this.fetchFrom.get(partition)}, is no longer in the partition (deleted by retention, or the topic was recreated). Set the property "auto.offset.reset" to "earliest" or "latest" to go on from there, or run with --fresh`,
        { cause: error },
      );
    }
    return error instanceof EddyError ? error : kafkaError(error, { topic: this.config.topic, brokers: this.config.brokers });
  }

  private fail(error: unknown): void {
    if (this.failure || this.closed) return;
    this.failure = { error: error instanceof EddyError ? error : kafkaError(error, { topic: this.config.topic, brokers: this.config.brokers }) };
    void this.client.close().catch(() => {});
    this.ctx.wake();
  }
}
