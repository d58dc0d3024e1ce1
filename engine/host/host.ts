/**
 * The host: everything a run needs from the place it runs in, as one value passed to each run
 * (runMain, clusterMain, a worker of the runner, the studio's simulation). Its clock, its standard
 * output and log, whether it may generate code, and four tables keyed by config type: what serves
 * each input, output and recovery-store config, and each transport. The engine's own types are
 * entries of the same tables (engineHost.ts), so a run has exactly the adapters of its host, never
 * what some module registered before it, and two runs in one process can differ.
 *
 * A new connector is one file that exports its adapter, and one entry in a host's table:
 *
 * ```ts
 * const host = extendHost(engineHost(), { inputs: { lines: (config: LinesInputConfig, ctx) => linesReader(config, ctx) } });
 * await execute(flow, { workerCount: 1, errors: "original", host });
 * ```
 */

import type { InputConfig } from "../configs/inputs.js";
import type { OutputConfig } from "../configs/outputs.js";
import type { RecoveryConfig } from "../configs/recovery.js";
import type { FunctionCompiler } from "../flow/compile.js";
import type { Clock } from "../ports/clock.js";
import type { SinkWriter } from "../ports/sink.js";
import type { InputReader } from "../ports/source.js";
import type { Transport } from "../ports/transport.js";
import type { RecoveryStore } from "../recovery/store.js";
import type { FunctionGenerator } from "../runtime/generatedCode.js";

/** What an input adapter gets besides its config. */
export interface InputContext {
  readonly stepId: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** What this worker resumes from, or undefined on a fresh run. */
  readonly resumeState: unknown;
  /** Tells the scheduler that an input that reads in the background has data. */
  readonly wake: () => void;
  /** Testing epochs (one item per epoch): read no further ahead than needed. */
  readonly testingEpochs: boolean;
}

/** What an output adapter gets besides its config. */
export interface OutputContext {
  readonly stepId: string;
  readonly workerIndex: number;
  readonly workerCount: number;
  /** The host's standard output. */
  readonly writeStdout: (text: string) => void | Promise<void>;
  /** Whether recovery is on: `snapshot` is saved with each epoch, and a resume may replay epochs not yet durable. */
  readonly recording: boolean;
  /** Attributes an error to the item being written; returns what to throw (see `recordFailureContext`). */
  readonly failedOn: (error: unknown, item: unknown) => unknown;
}

/**
 * An adapter takes the config of its own type: its first parameter is typed by the adapter's
 * author (`(config: FileInputConfig, ctx) => ...`), and the table dispatches on `config.type`.
 */
export type InputAdapter<C extends InputConfig = never> = (config: C, ctx: InputContext) => InputReader;
export type OutputAdapter<C extends OutputConfig = never> = (config: C, ctx: OutputContext) => SinkWriter;
export type RecoveryStoreFactory<C extends RecoveryConfig = never> = (config: C) => RecoveryStore;
/** Connects `workerCount` workers (all in this process for "in-process"). */
export type TransportFactory = (workerCount: number) => Transport;

export interface Host {
  readonly clock: Clock;
  /** Writes text (whole lines, each ending in "\n") to standard output. */
  readonly writeStdout: (text: string) => void | Promise<void>;
  /** Where the console output of flow functions and the engine's notices go. */
  readonly log: (text: string) => void;
  /** How the functions of a flow file (source text) become functions. */
  readonly compileFunction: FunctionCompiler;
  /** Whether stateless chains may be compiled to JavaScript (`new Function`); closures run otherwise. */
  readonly codeGeneration: boolean;
  /**
   * How the engine compiles the code it generates, where codeGeneration allows it: in the realm of
   * the flow's functions, so that the JIT can inline them (runtime/generatedCode.ts).
   */
  readonly generateFunction: FunctionGenerator;
  /**
   * Items that go to a keyed step must be plain data (runtime/plainData.ts), with any worker count:
   * set by the runner, whose worker threads copy items, and by the studio, to refuse what the
   * runner refuses. runMain and clusterMain copy nothing and keep it off.
   */
  readonly plainItems: boolean;
  readonly inputs: Readonly<Record<string, InputAdapter>>;
  readonly outputs: Readonly<Record<string, OutputAdapter>>;
  readonly recoveryStores: Readonly<Record<string, RecoveryStoreFactory>>;
  readonly transports: Readonly<Record<string, TransportFactory>>;
}

/** Changes to a host: services replace, table entries are added to (or replace) the base's. */
export type HostChanges = Partial<Host>;

/**
 * The host's generator where it allows code generation (Host.codeGeneration), else undefined:
 * what compiles a chain's loop and a call tracker's chained wrappers, or says to run closures.
 *
 * @example
 * new ChainNode(steps, worker, counts, startEpoch, codeGenerator(host)); // closures when undefined
 */
export function codeGenerator(host: Host): FunctionGenerator | undefined {
  return host.codeGeneration ? host.generateFunction : undefined;
}

/**
 * A new host: `base` with `changes` applied. Neither is modified.
 *
 * ```ts
 * const quiet = extendHost(engineHost(), { writeStdout: () => {}, log: () => {} });
 * ```
 */
export function extendHost(base: Host, changes: HostChanges): Host {
  return {
    ...base,
    ...changes,
    inputs: { ...base.inputs, ...changes.inputs },
    outputs: { ...base.outputs, ...changes.outputs },
    recoveryStores: { ...base.recoveryStores, ...changes.recoveryStores },
    transports: { ...base.transports, ...changes.transports },
  };
}
