/** Epoch configs: how a source cuts its items into epochs, the unit of recovery. */

import { EddyError } from "../errors.js";
import { preview } from "../preview.js";

/** Base class of every epoch config. */
export abstract class EpochConfig {
  abstract readonly type: string;
}

/** Closes an epoch every `epochLength` milliseconds of system time (more than 0); the default is 10 s. */
export class PeriodicEpochConfig extends EpochConfig {
  readonly type = "periodic";
  readonly epochLength: number;
  constructor(epochLength: number) {
    super();
    if (typeof epochLength !== "number" || !Number.isFinite(epochLength) || epochLength <= 0) {
      throw new EddyError("CONFIG_INVALID", `Invalid epoch length: ${preview(epochLength)} (a number of milliseconds, more than 0)`);
    }
    this.epochLength = epochLength;
  }
}

/** Closes an epoch after every item on every worker: item n of a worker is in epoch n. */
export class TestingEpochConfig extends EpochConfig {
  readonly type = "testing";
}

export const DEFAULT_EPOCH_LENGTH = 10_000;
