/** Turns an epoch config into what sources act on. */

import { DEFAULT_EPOCH_LENGTH, type EpochConfig, type PeriodicEpochConfig } from "../configs/epochs.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import type { EpochPolicy } from "./sourceNode.js";

export function epochPolicyOf(config: EpochConfig | undefined): EpochPolicy {
  if (config === undefined) return { kind: "periodic", length: DEFAULT_EPOCH_LENGTH };
  switch (config.type) {
    case "periodic":
      return { kind: "periodic", length: (config as PeriodicEpochConfig).epochLength };
    case "testing":
      return { kind: "testing" };
    default:
      throw new EddyError("CONFIG_INVALID", `Unknown epoch config type: ${preview(config.type)}`);
  }
}
