/**
 * The checks of `eddy run` and `eddy cluster` (commands/runStart.ts imports this once the worker
 * threads are started, so that they start before the main thread loads it): the runner's host (its
 * `node:vm` function compiler, its connectors: host/runnerConnectors.ts), then the flow file's text
 * checked and compiled with it, and every input and output checked to be served here. From the
 * check on, no value read from `$env` reaches standard error (the threads' included).
 *
 * ```ts
 * const { compiled, host, load } = checkRunFlow(text, "flow.json", say); // throws a FlowFileError listing every problem
 * ```
 */

import { servesInput, servesOutput, unavailableHere, type Blueprint, type Host } from "../../engine/host/index.js";
import { redactStandardError, redactorFor } from "../errors/redact.js";
import { compileFlowText, envNamesOf, inactiveLines, type CompiledFlowFile } from "../flowFile.js";
import { FlowFileError } from "../flowFileProblems.js";
import { runnerHost, type RunnerConnectors } from "../host/runnerConnectors.js";

/** A checked and compiled flow, and the main thread's host that compiled it. */
export interface CheckedFlow {
  readonly compiled: CompiledFlowFile;
  readonly host: Host;
  /** Loads the host's connectors that a run uses (its recovery store's). */
  readonly load: RunnerConnectors["load"];
}

/** Checks and compiles `text` (the file `file`), saying the notes on the steps that do not run; throws what refuses it. */
export function checkRunFlow(text: string, file: string, say: (text: string) => void): CheckedFlow {
  redactStandardError(redactorFor(envNamesOf(text), process.env));
  const { host, load } = runnerHost();
  const compiled = compileFlowText(text, file, process.env, host.compileFunction);
  checkAdapters(compiled.flow, host);
  for (const note of inactiveLines(compiled)) say(note);
  return { compiled, host, load };
}

/** Every input and output of the flow can be served by the threads' host (a Kafka step fails now, not in a thread). */
function checkAdapters(flow: Blueprint, host: Host): void {
  for (const step of flow.steps) {
    if (step.op === "input" && !servesInput(host, step.config.type)) {
      const unavailable = unavailableHere("input", step.stepId, step.config.type);
      if (unavailable) throw unavailable;
      throw new FlowFileError("unknown input", [{ path: "", stepId: step.stepId, message: `no input of type ${JSON.stringify(step.config.type)} on this host` }]);
    }
    if (step.op === "capture" && !servesOutput(host, step.config.type)) {
      const unavailable = unavailableHere("output", step.stepId, step.config.type);
      if (unavailable) throw unavailable;
      throw new FlowFileError("unknown output", [{ path: "", stepId: step.stepId, message: `no output of type ${JSON.stringify(step.config.type)} on this host` }]);
    }
  }
}
