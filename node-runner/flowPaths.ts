/**
 * Paths in a flow file are relative to the flow file's directory: `file` inputs and outputs are
 * made absolute once the flow is compiled (in the main thread and in each worker thread alike).
 */

import { resolve } from "node:path";
import { FileInputConfig, FileOutputConfig, type Blueprint, type Step } from "../engine/host/index.js";

/** The flow with every file input and output path made absolute against `base`. */
export function withAbsolutePaths(flow: Blueprint, base: string): Blueprint {
  const steps = flow.steps.map((step): Step => {
    if (step.op === "input" && step.config instanceof FileInputConfig) {
      return { ...step, config: new FileInputConfig(resolve(base, step.config.path)) };
    }
    if (step.op === "capture" && step.config instanceof FileOutputConfig) {
      return { ...step, config: new FileOutputConfig(resolve(base, step.config.path)) };
    }
    return step;
  });
  return { ...flow, steps };
}
