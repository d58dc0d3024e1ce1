/**
 * Host adapters for input and output configs the engine cannot serve itself (files, Kafka). A
 * host's entry point registers them; a config without an adapter on this host is a clear error.
 */

import type { InputConfig } from "../configs/inputs.js";
import type { OutputConfig } from "../configs/outputs.js";
import { EddyError } from "../errors.js";
import type { SinkWriter } from "../ports/sink.js";
import type { InputReader } from "../ports/source.js";

export interface InputContext {
  readonly stepId: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** What this worker resumes from, or undefined on a fresh run. */
  readonly resumeState: unknown;
  /** Tells the scheduler that an input that reads in the background has data. */
  readonly wake: () => void;
}

export interface OutputContext {
  readonly stepId: string;
  readonly workerIndex: number;
  readonly workerCount: number;
}

export type InputAdapter = (config: InputConfig, ctx: InputContext) => InputReader;
export type OutputAdapter = (config: OutputConfig, ctx: OutputContext) => SinkWriter;

const inputs = new Map<string, InputAdapter>();
const outputs = new Map<string, OutputAdapter>();

const UNAVAILABLE: Record<string, string> = {
  file: "needs Node (run the flow with the eddy runner, or import eddy/execution in Node)",
  kafka: "is not available yet",
};

export function registerInputAdapter(type: string, adapter: InputAdapter): void {
  inputs.set(type, adapter);
}

export function registerOutputAdapter(type: string, adapter: OutputAdapter): void {
  outputs.set(type, adapter);
}

export function inputAdapterFor(config: InputConfig, stepId: string): InputAdapter | undefined {
  const adapter = inputs.get(config.type);
  if (adapter || !(config.type in UNAVAILABLE)) return adapter;
  throw new EddyError("ADAPTER_MISSING", `Step "${stepId}" (input): ${label(config.type)} input ${UNAVAILABLE[config.type]}`);
}

export function outputAdapterFor(config: OutputConfig, stepId: string): OutputAdapter | undefined {
  const adapter = outputs.get(config.type);
  if (adapter || !(config.type in UNAVAILABLE)) return adapter;
  throw new EddyError("ADAPTER_MISSING", `Step "${stepId}" (capture): ${label(config.type)} output ${UNAVAILABLE[config.type]}`);
}

function label(type: string): string {
  return type === "kafka" ? "Kafka" : type === "file" ? "File" : type;
}
