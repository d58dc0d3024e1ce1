/** Output configs: plain descriptions of where `capture` writes items. */

import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { assertCallable } from "../argumentChecks.js";

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
}

/** Produces `[key, payload]` byte pairs to a Kafka topic. */
export class KafkaOutputConfig extends OutputConfig {
  readonly type = "kafka";
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly additionalProperties: Readonly<Record<string, string>>;
  constructor(brokers: readonly string[], topic: string, options: KafkaOutputOptions = {}) {
    super();
    this.brokers = [...brokers];
    this.topic = topic;
    this.additionalProperties = { ...options.additionalProperties };
  }
}
