/** Output configs: plain descriptions of where `capture` writes items. */

import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { assertCallable } from "../argumentChecks.js";
import { KAFKA_OUTPUT_PROPERTIES, kafkaPropertyProblems } from "./kafkaProperties.js";

/** Base class of every output config. */
export abstract class OutputConfig {
  abstract readonly type: string;
  /** Whether its sink saves state with each epoch (and so its capture step id keys recovery data). */
  readonly keepsState: boolean = false;
}

export type ItemHandler = (item: any) => void | Promise<void>;
export type EpochItemHandler = (epochItem: [epoch: number, item: any]) => void | Promise<void>;

/** Calls `outputBuilder(workerIndex, workerCount)` once per worker; the handler gets each item. */
export class ManualOutputConfig extends OutputConfig {
  readonly type: string = "manual";
  readonly outputBuilder: (workerIndex: number, workerCount: number) => ItemHandler;
  constructor(outputBuilder: (workerIndex: number, workerCount: number) => ItemHandler) {
    super();
    assertCallable(outputBuilder, "ManualOutputConfig", "outputBuilder");
    this.outputBuilder = outputBuilder;
  }
}

/** Like `ManualOutputConfig`, but the handler gets `[epoch, item]`. */
export class ManualEpochOutputConfig extends OutputConfig {
  readonly type: string = "manual_epoch";
  readonly outputBuilder: (workerIndex: number, workerCount: number) => EpochItemHandler;
  constructor(outputBuilder: (workerIndex: number, workerCount: number) => EpochItemHandler) {
    super();
    assertCallable(outputBuilder, "ManualEpochOutputConfig", "outputBuilder");
    this.outputBuilder = outputBuilder;
  }
}

/** Writes each item to standard output on its own line: strings as they are, other values as JSON. */
export class StdOutputConfig extends OutputConfig {
  readonly type = "stdout";
}

/** Appends each item to `array` (shared by all workers of this process). */
export class TestingOutputConfig extends ManualOutputConfig {
  override readonly type = "testing";
  readonly array: unknown[];
  constructor(array: unknown[]) {
    super(() => (item) => {
      array.push(item);
    });
    this.array = array;
  }
}

/** Appends `[epoch, item]` to `array` for each item. */
export class TestingEpochOutputConfig extends ManualEpochOutputConfig {
  override readonly type = "testing_epoch";
  readonly array: unknown[];
  constructor(array: unknown[]) {
    super(() => (epochItem) => {
      array.push(epochItem);
    });
    this.array = array;
  }
}

/**
 * Writes each item as one JSON line. With one worker it writes `path`; with several, worker i
 * writes `path` with `.i` before the extension (`out.0.jsonl`). Exactly once under recovery: a
 * fresh run starts the file empty, the file's length at each epoch close is saved with the epoch,
 * and a resume cuts the file back to it before writing. Served by the Node host.
 */
export class FileOutputConfig extends OutputConfig {
  readonly type = "file";
  override readonly keepsState = true;
  readonly path: string;
  constructor(path: string) {
    super();
    if (typeof path !== "string" || path.length === 0) {
      throw new EddyError("CONFIG_INVALID", `FileOutputConfig: \`path\` must be a non-empty string; got \`${preview(path)}\` instead`);
    }
    this.path = path;
  }
}

export interface KafkaOutputOptions {
  additionalProperties?: Record<string, string>;
  /** Beyond Bytewax: one Kafka transaction per epoch per worker, committed once the epoch is durable. */
  exactlyOnce?: boolean;
}

/**
 * Produces `[key, payload]` items to a Kafka topic (key and payload each a string, a Uint8Array or
 * null), a producer per worker; served by the Node host (node-runner/connectors/kafkaOutput.ts).
 * At least once by default (an idempotent producer, every epoch acknowledged before it counts as
 * durable); with `exactlyOnce`, a transaction per epoch, committed once the epoch is durable on
 * every worker (with recovery, the last epochs of a finished input too: the writer needs a durable
 * end), so that `read_committed` consumers see each item once across crashes, resumes and re-runs.
 */
export class KafkaOutputConfig extends OutputConfig {
  readonly type = "kafka";
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly additionalProperties: Readonly<Record<string, string>>;
  readonly exactlyOnce: boolean;
  /** With `exactlyOnce`, the pending transactions are saved with each epoch. */
  override readonly keepsState: boolean;
  constructor(brokers: readonly string[], topic: string, options: KafkaOutputOptions = {}) {
    super();
    if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((broker) => typeof broker === "string" && broker.length > 0)) {
      throw new EddyError("CONFIG_INVALID", `KafkaOutputConfig: \`brokers\` must be a non-empty array of "host:port" strings; got \`${preview(brokers)}\` instead`);
    }
    if (typeof topic !== "string" || topic.length === 0) {
      throw new EddyError("CONFIG_INVALID", `KafkaOutputConfig: \`topic\` must be a non-empty string; got \`${preview(topic)}\` instead`);
    }
    if (options.exactlyOnce !== undefined && typeof options.exactlyOnce !== "boolean") {
      throw new EddyError("CONFIG_INVALID", `KafkaOutputConfig: \`exactlyOnce\` must be a boolean; got \`${preview(options.exactlyOnce)}\` instead`);
    }
    const properties = { ...options.additionalProperties };
    const problems = kafkaPropertyProblems(properties, KAFKA_OUTPUT_PROPERTIES);
    if (problems.length > 0) throw new EddyError("CONFIG_INVALID", `KafkaOutputConfig: ${problems.join("; ")}`);
    const exactlyOnce = options.exactlyOnce ?? false;
    const acks = properties.acks ?? properties["request.required.acks"];
    if (exactlyOnce && acks !== undefined && acks !== "all" && acks !== "-1") {
      throw new EddyError("CONFIG_INVALID", `KafkaOutputConfig: \`exactlyOnce\` needs acks from all in-sync replicas; got acks ${JSON.stringify(acks)} (leave it out, or set "all")`);
    }
    if (exactlyOnce && properties["enable.idempotence"]?.toLowerCase() === "false") {
      throw new EddyError("CONFIG_INVALID", "KafkaOutputConfig: `exactlyOnce` needs an idempotent producer; leave out \"enable.idempotence\": \"false\"");
    }
    this.brokers = [...brokers];
    this.topic = topic;
    this.additionalProperties = properties;
    this.exactlyOnce = exactlyOnce;
    this.keepsState = exactlyOnce;
  }
}
