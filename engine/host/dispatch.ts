/**
 * Which entry of a host's tables serves a config: the adapter of `config.type`, or a clear error
 * saying why there is none (a type this host cannot serve, like files in a browser, or an unknown
 * type). The one place where a table's entry is called with the config it dispatched on.
 *
 * ```ts
 * const reader = openInput(host, new TestingInputConfig([1, 2]), ctx);
 * ```
 */

import type { InputConfig } from "../configs/inputs.js";
import type { OutputConfig } from "../configs/outputs.js";
import type { RecoveryConfig } from "../configs/recovery.js";
import { EddyError } from "../errors.js";
import type { SinkWriter } from "../ports/sink.js";
import type { InputReader } from "../ports/source.js";
import { preview } from "../preview.js";
import type { RecoveryStore } from "../recovery/store.js";
import type { Host, InputContext, OutputContext } from "./host.js";

/** Types known to Eddy that some hosts cannot serve, and what to do instead. */
const INPUT_ELSEWHERE: Readonly<Record<string, string>> = {
  file: "needs Node (run the flow with the eddy runner, or import eddy/execution in Node)",
  kafka: "needs Node: a browser cannot connect to Kafka brokers (run the flow with the eddy runner, or import eddy/execution in Node; in the studio, give the step a sample)",
};

const OUTPUT_ELSEWHERE: Readonly<Record<string, string>> = {
  file: INPUT_ELSEWHERE.file!,
  kafka: INPUT_ELSEWHERE.kafka!,
};

const STORE_ELSEWHERE: Readonly<Record<string, string>> = {
  file: "FileRecoveryConfig needs Node: import eddy/execution in Node, or use MemoryRecoveryConfig or IndexedDbRecoveryConfig in a browser",
  indexeddb: "IndexedDbRecoveryConfig needs a browser (IndexedDB); in Node use FileRecoveryConfig",
  kafka: "KafkaRecoveryConfig needs Node: a browser cannot connect to Kafka brokers (import eddy/execution in Node, or run the flow with the eddy runner); in a browser use MemoryRecoveryConfig or IndexedDbRecoveryConfig",
};

function label(type: string): string {
  return type === "kafka" ? "Kafka" : type === "file" ? "File" : type;
}

function missing(kind: "input" | "capture", what: "input" | "output", stepId: string, type: string): EddyError {
  const elsewhere = what === "input" ? INPUT_ELSEWHERE : OUTPUT_ELSEWHERE;
  const reason = Object.hasOwn(elsewhere, type) ? elsewhere[type] : undefined;
  if (reason) return new EddyError("ADAPTER_MISSING", `Step "${stepId}" (${kind}): ${label(type)} ${what} ${reason}`);
  return new EddyError("CONFIG_INVALID", `Step "${stepId}" (${kind}): Unknown ${what} config type: ${preview(type)}`);
}

/**
 * Why a type Eddy knows is not served by this host (ADAPTER_MISSING: files in a browser, Kafka),
 * or undefined for a type Eddy does not know.
 */
export function unavailableHere(kind: "input" | "output", stepId: string, type: string): EddyError | undefined {
  const error = missing(kind === "input" ? "input" : "capture", kind, stepId, type);
  return error.code === "ADAPTER_MISSING" ? error : undefined;
}

/** Whether `host` serves input configs of `type` (the runner checks a flow before its threads start). */
export function servesInput(host: Host, type: string): boolean {
  return Object.hasOwn(host.inputs, type);
}

export function servesOutput(host: Host, type: string): boolean {
  return Object.hasOwn(host.outputs, type);
}

export function openInput(host: Host, config: InputConfig, ctx: InputContext): InputReader {
  if (!servesInput(host, config.type)) throw missing("input", "input", ctx.stepId, config.type);
  const adapter = host.inputs[config.type] as (config: InputConfig, ctx: InputContext) => InputReader;
  return adapter(config, ctx);
}

export function openOutput(host: Host, config: OutputConfig, ctx: OutputContext): SinkWriter {
  if (!servesOutput(host, config.type)) throw missing("capture", "output", ctx.stepId, config.type);
  const adapter = host.outputs[config.type] as (config: OutputConfig, ctx: OutputContext) => SinkWriter;
  return adapter(config, ctx);
}

export function openRecoveryStore(host: Host, config: RecoveryConfig): RecoveryStore {
  if (Object.hasOwn(host.recoveryStores, config.type)) {
    const factory = host.recoveryStores[config.type] as (config: RecoveryConfig) => RecoveryStore;
    return factory(config);
  }
  const reason = Object.hasOwn(STORE_ELSEWHERE, config.type) ? STORE_ELSEWHERE[config.type] : undefined;
  if (reason) throw new EddyError("ADAPTER_MISSING", reason);
  throw new EddyError("CONFIG_INVALID", `Unknown recovery config type: ${preview(config.type)}`);
}

/** The transport of `type` for `workerCount` workers. */
export function openTransport(host: Host, type: string, workerCount: number) {
  if (!Object.hasOwn(host.transports, type)) throw new EddyError("ADAPTER_MISSING", `This host has no ${preview(type)} transport`);
  return host.transports[type]!(workerCount);
}
