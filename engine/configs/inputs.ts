/** Input configs: plain descriptions of where a dataflow's items come from. */

import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { assertCallable } from "../argumentChecks.js";
import { kafkaPropertyProblems } from "./kafkaProperties.js";

/** Base class of every input config. */
export abstract class InputConfig {
  abstract readonly type: string;
}

/**
 * Builds this worker's input: an iterable or async iterable of `[state, item]` pairs. `state` is
 * what the worker resumes from after a failure; a bare `yield` (undefined) means "no data yet";
 * `[state, new ItemBatch(items)]` gives several items at once.
 */
export type InputBuilder = (
  workerIndex: number,
  workerCount: number,
  resumeState: unknown,
) => Iterable<unknown> | AsyncIterable<unknown>;

/**
 * Several items yielded at once, with one resume state: `yield [state, new ItemBatch(items)]`.
 * An Eddy extension to Bytewax 0.11's one-item-per-yield protocol, for sources that read in
 * batches (a Kafka fetch, a file chunk): the engine takes the batch as it is, with no per-item
 * protocol cost. The state is the one to resume from after every item of the batch.
 */
export class ItemBatch {
  readonly items: readonly unknown[];
  constructor(items: readonly unknown[]) {
    if (!Array.isArray(items)) throw new EddyError("CONFIG_INVALID", `ItemBatch: expected an array of items; got \`${preview(items)}\` instead`);
    this.items = items;
  }
}

export class ManualInputConfig extends InputConfig {
  readonly type: string = "manual";
  readonly inputBuilder: InputBuilder;
  constructor(inputBuilder: InputBuilder) {
    super();
    assertCallable(inputBuilder, "ManualInputConfig", "inputBuilder");
    this.inputBuilder = inputBuilder;
  }
}

/**
 * Emits the items of `iterable`, distributed over workers; the resume state is the number of
 * items this worker has consumed. Every worker iterates the same iterable.
 */
export class TestingInputConfig extends ManualInputConfig {
  override readonly type = "testing";
  readonly iterable: Iterable<unknown>;
  constructor(iterable: Iterable<unknown>) {
    if (iterable == null || typeof (iterable as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new EddyError("CONFIG_INVALID", `TestingInputConfig: expected an iterable; got \`${preview(iterable)}\` instead`);
    }
    super(function* (workerIndex, workerCount, resumeState) {
      const skip = typeof resumeState === "number" ? resumeState : 0;
      let i = 0;
      for (const item of distribute(iterable, workerIndex, workerCount)) {
        if (i >= skip) yield [i + 1, item];
        i += 1;
      }
    });
    this.iterable = iterable;
  }
}

export interface KafkaInputOptions {
  /** Keep reading for new records (true), or end once every partition reaches the end offset read at start (false). */
  tail?: boolean;
  /** Where partitions without a saved offset start. */
  startingOffset?: "beginning" | "end";
  /** librdkafka-style client properties (kafkaProperties.ts lists them); an unknown one is refused. */
  additionalProperties?: Record<string, string>;
  /**
   * Eddy extension: decode keys and payloads. Without it, items are `[key, payload]` as
   * `Uint8Array | null`; `"utf8"` makes both strings; `"json"` makes the key a string and parses the
   * payload as JSON.
   */
  decode?: KafkaDecode;
}

export type KafkaDecode = "utf8" | "json";

/**
 * Reads a Kafka topic, as Bytewax 0.11 does: partitions are assigned to workers by `partition mod
 * workerCount` with no consumer group and no committed offsets; each partition's next offset is the
 * input's resume state, saved with the epoch. Served by the Node host (node-runner/connectors/kafkaInput.ts).
 */
export class KafkaInputConfig extends InputConfig {
  readonly type = "kafka";
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly tail: boolean;
  readonly startingOffset: "beginning" | "end";
  readonly additionalProperties: Readonly<Record<string, string>>;
  readonly decode: KafkaDecode | undefined;
  constructor(brokers: readonly string[], topic: string, options: KafkaInputOptions = {}) {
    super();
    const startingOffset = options.startingOffset ?? "beginning";
    if (startingOffset !== "beginning" && startingOffset !== "end") {
      throw new EddyError("CONFIG_INVALID", `startingOffset should be either "beginning" or "end"; got ${JSON.stringify(startingOffset)}`);
    }
    if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((broker) => typeof broker === "string" && broker.length > 0)) {
      throw new EddyError("CONFIG_INVALID", `KafkaInputConfig: \`brokers\` must be a non-empty array of "host:port" strings; got \`${preview(brokers)}\` instead`);
    }
    if (typeof topic !== "string" || topic.length === 0) {
      throw new EddyError("CONFIG_INVALID", `KafkaInputConfig: \`topic\` must be a non-empty string; got \`${preview(topic)}\` instead`);
    }
    if (options.tail !== undefined && typeof options.tail !== "boolean") {
      throw new EddyError("CONFIG_INVALID", `KafkaInputConfig: \`tail\` must be a boolean; got \`${preview(options.tail)}\` instead`);
    }
    if (options.decode !== undefined && options.decode !== "utf8" && options.decode !== "json") {
      throw new EddyError("CONFIG_INVALID", `KafkaInputConfig: \`decode\` should be "utf8" or "json"; got \`${preview(options.decode)}\` instead`);
    }
    const properties = { ...options.additionalProperties };
    const problems = kafkaPropertyProblems(properties);
    if (problems.length > 0) throw new EddyError("CONFIG_INVALID", `KafkaInputConfig: ${problems.join("; ")}`);
    this.brokers = [...brokers];
    this.topic = topic;
    this.tail = options.tail ?? true;
    this.startingOffset = startingOffset;
    this.additionalProperties = properties;
    this.decode = options.decode;
  }
}

/**
 * Reads a text file, one item per line (without the line ending); worker i of n takes lines i,
 * i + n, ... A resumed run continues at the next line. Served by the Node host.
 */
export class FileInputConfig extends InputConfig {
  readonly type = "file";
  readonly path: string;
  constructor(path: string) {
    super();
    if (typeof path !== "string" || path.length === 0) {
      throw new EddyError("CONFIG_INVALID", `FileInputConfig: \`path\` must be a non-empty string; got \`${preview(path)}\` instead`);
    }
    this.path = path;
  }
}

/** The elements whose position modulo `count` is `index`: worker `index`'s share of `elements`. */
export function* distribute<T>(elements: Iterable<T>, index: number, count: number): Generator<T> {
  if (!(index < count)) throw new EddyError("CONFIG_INVALID", `Highest index should only be ${count - 1}; got ${index}`);
  let i = 0;
  for (const element of elements) {
    if (i % count === index) yield element;
    i += 1;
  }
}
