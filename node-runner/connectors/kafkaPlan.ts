/**
 * The Kafka input's decisions, as pure functions of data (no client, no clock): which partitions a
 * worker reads, what its saved state says, and where each partition starts and (with `tail: false`)
 * ends. kafkaInput.ts does the I/O around them.
 *
 * Resume state: a plain object from partition id (a string, as object keys are) to the next offset
 * to read, for this worker's partitions: `{ "0": 1200, "3": 17 }`. As in Bytewax 0.11, a partition
 * without a saved offset starts at `startingOffset`; so partitions added to the topic since the
 * snapshot are read from there. A saved partition that the topic no longer has is refused
 * (RECOVERY_KAFKA_PARTITION_GONE): resuming would silently drop what the snapshot promised.
 *
 * ```ts
 * assignPartitions([0, 1, 2, 3], 1, 3);      // [1]
 * startPositions({ assigned: [1], topicPartitions: [0, 1, 2, 3], offsets: [{ partition: 1, low: 0, high: 9 }],
 *                  resume: { "1": 4 }, startingOffset: "beginning", offsetReset: "error", tail: false, topic: "t" });
 * // { positions: Map { 1 => 4 }, ends: Map { 1 => 9 } }
 * ```
 */

import { EddyError, preview } from "../../engine/host/index.js";
import type { PartitionOffsets } from "../kafka/client.js";
import type { OffsetReset } from "../kafka/clientOptions.js";

/** Partition ids → next offset to read. */
export type KafkaPositions = Map<number, number>;

/** The partitions worker `workerIndex` of `workerCount` reads: `partition mod workerCount === workerIndex`. */
export function assignPartitions(partitions: readonly number[], workerIndex: number, workerCount: number): number[] {
  return partitions.filter((partition) => partition % workerCount === workerIndex);
}

/** The saved positions, or undefined on a fresh run; a state that is not one is RECOVERY_CORRUPT. */
export function parseResumeState(state: unknown, where: string): KafkaPositions | undefined {
  if (state === undefined || state === null) return undefined;
  const corrupt = () => new EddyError("RECOVERY_CORRUPT", `${where}: the saved state ${preview(state)} is not a map of Kafka partitions to offsets`);
  if (typeof state !== "object" || Array.isArray(state)) throw corrupt();
  const positions: KafkaPositions = new Map();
  for (const [key, offset] of Object.entries(state as Record<string, unknown>)) {
    if (!/^\d+$/.test(key) || !Number.isSafeInteger(offset) || (offset as number) < 0) throw corrupt();
    positions.set(Number(key), offset as number);
  }
  return positions;
}

/** The resume state of `positions` (see the header). */
export function positionsState(positions: KafkaPositions): Record<string, number> {
  const state: Record<string, number> = {};
  for (const [partition, offset] of positions) state[String(partition)] = offset;
  return state;
}

export interface StartInput {
  readonly topic: string;
  /** Every partition the topic has now. */
  readonly topicPartitions: readonly number[];
  /** This worker's partitions. */
  readonly assigned: readonly number[];
  /** Low and high offsets of (at least) the assigned partitions. */
  readonly offsets: readonly PartitionOffsets[];
  readonly resume: KafkaPositions | undefined;
  readonly startingOffset: "beginning" | "end";
  readonly offsetReset: OffsetReset;
  readonly tail: boolean;
  /** Names the step and worker in messages. */
  readonly where?: string;
}

export interface StartPlan {
  readonly positions: KafkaPositions;
  /** With `tail: false`: the offset each partition ends at (its high-water mark at start). */
  readonly ends: KafkaPositions | undefined;
  /** Partitions whose saved offset was out of range and reset by `auto.offset.reset`. */
  readonly reset: readonly number[];
}

export function startPositions(input: StartInput): StartPlan {
  const where = input.where ?? `Kafka topic ${input.topic}`;
  const exists = new Set(input.topicPartitions);
  const gone = [...(input.resume?.keys() ?? [])].filter((partition) => !exists.has(partition)).sort((a, b) => a - b);
  if (gone.length > 0) {
    throw new EddyError(
      "RECOVERY_KAFKA_PARTITION_GONE",
      `${where}: the saved offsets name partition${gone.length === 1 ? "" : "s"} ${gone.join(", ")} of topic ${input.topic}, which now has ${input.topicPartitions.length} partition${input.topicPartitions.length === 1 ? "" : "s"}; the topic was recreated or shrunk since the snapshot. Run with --fresh to start over, or restore the topic`,
    );
  }
  const offsetsOf = new Map(input.offsets.map((o) => [o.partition, o]));
  const positions: KafkaPositions = new Map();
  const ends: KafkaPositions | undefined = input.tail ? undefined : new Map();
  const reset: number[] = [];
  for (const partition of input.assigned) {
    const range = offsetsOf.get(partition) ?? { partition, low: 0, high: 0 };
    const saved = input.resume?.get(partition);
    let position: number;
    if (saved === undefined) {
      position = input.startingOffset === "beginning" ? range.low : range.high;
    } else if (saved >= range.low && saved <= range.high) {
      position = saved;
    } else {
      position = outOfRange(input.offsetReset, range, saved, `${where}: partition ${partition} of topic ${input.topic}`);
      reset.push(partition);
    }
    positions.set(partition, position);
    ends?.set(partition, range.high);
  }
  return { positions, ends, reset };
}

/** Where a partition whose offset is out of range goes on, by `auto.offset.reset`; "error" throws. */
export function outOfRange(policy: OffsetReset, range: PartitionOffsets, offset: number, what: string): number {
  if (policy === "earliest") return range.low;
  if (policy === "latest") return range.high;
  throw new EddyError(
    "INPUT_KAFKA_OFFSET_OUT_OF_RANGE",
    `${what}: the offset to read next, ${offset}, is outside what the partition holds (${range.low} to ${range.high}): records were deleted by retention, or the topic was recreated. Set the property "auto.offset.reset" to "earliest" or "latest" to go on from there, or run with --fresh`,
  );
}

/** With `tail: false`: whether every partition has reached its end. */
export function reachedEnds(positions: KafkaPositions, ends: KafkaPositions): boolean {
  for (const [partition, end] of ends) if ((positions.get(partition) ?? 0) < end) return false;
  return true;
}
