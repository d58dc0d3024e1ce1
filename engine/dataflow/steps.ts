/**
 * The blueprint: a dataflow as plain data. Steps form a DAG through `upstream` (references to
 * earlier steps: an index for a step's items, `{ step, output: "late" }` for a window step's late
 * items). Flow files and the TypeScript builder (linear chains as in Bytewax 0.11, and streams for
 * branches, merges and joins) both make it. `runtime/plan.ts` and `runtime/buildWorker.ts` turn
 * steps into running operators.
 */

import type { ClockConfig, WindowConfig } from "../configs/window.js";
import type { InputConfig } from "../configs/inputs.js";
import type { OutputConfig } from "../configs/outputs.js";

/** User functions are called with loose types: items are whatever the previous step produced. */
export type AnyFn = (...args: any[]) => any;

/** The outputs of a step: every step has `main`; window steps also emit their late items on `late`. */
export type StepOutput = "main" | "late";

/** An upstream step's output: its index (its main output), or `{ step, output: "late" }`. */
export type UpstreamRef = number | { readonly step: number; readonly output: "late" };

/**
 * The index of the step an upstream reference names.
 *
 * @example
 * upstreamStep(3); // 3
 * upstreamStep({ step: 3, output: "late" }); // 3
 */
export function upstreamStep(ref: UpstreamRef): number {
  return typeof ref === "number" ? ref : ref.step;
}

/**
 * Which output of its step an upstream reference takes.
 *
 * @example
 * upstreamOutput({ step: 3, output: "late" }); // "late"
 */
export function upstreamOutput(ref: UpstreamRef): StepOutput {
  return typeof ref === "number" ? "main" : ref.output;
}

interface StepBase {
  /** Names the step in errors; for stateful and input steps it is also the recovery key. */
  readonly stepId: string;
  /** The step outputs that feed this one (a union when there are several). */
  readonly upstream: readonly UpstreamRef[];
}

export interface InputStep extends StepBase { readonly op: "input"; readonly config: InputConfig }
export interface CaptureStep extends StepBase { readonly op: "capture"; readonly config: OutputConfig }
export interface MapStep extends StepBase { readonly op: "map"; readonly mapper: AnyFn }
export interface FlatMapStep extends StepBase { readonly op: "flat_map"; readonly mapper: AnyFn }
export interface FilterStep extends StepBase { readonly op: "filter"; readonly predicate: AnyFn }
export interface InspectStep extends StepBase { readonly op: "inspect"; readonly inspector: AnyFn }
export interface InspectEpochStep extends StepBase { readonly op: "inspect_epoch"; readonly inspector: AnyFn }
export interface ReduceStep extends StepBase { readonly op: "reduce"; readonly reducer: AnyFn; readonly isComplete: AnyFn }
export interface StatefulMapStep extends StepBase { readonly op: "stateful_map"; readonly builder: AnyFn; readonly mapper: AnyFn }
/** What every window step has: a clock, a window, and whether results carry their window. */
interface WindowStepBase extends StepBase {
  readonly clock: ClockConfig;
  readonly window: WindowConfig;
  /** Emit `[key, [windowStart, windowEnd, value]]` (epoch ms) instead of `[key, value]`. */
  readonly withWindow?: boolean;
}
export interface ReduceWindowStep extends WindowStepBase { readonly op: "reduce_window"; readonly reducer: AnyFn }
export interface FoldWindowStep extends WindowStepBase {
  readonly op: "fold_window";
  readonly builder: AnyFn;
  readonly folder: AnyFn;
  /** Combines two windows' accumulators when they merge (session windows); needed with session windows. */
  readonly merger?: AnyFn;
}
export interface CollectWindowStep extends WindowStepBase { readonly op: "collect_window" }
export interface CountWindowStep extends WindowStepBase { readonly op: "count_window" }

/** How a join keeps a side's values (Bytewax 0.21's `JoinInsertMode`). */
export type JoinInsertMode = "first" | "last" | "product";
/** When a join emits (Bytewax 0.21's `JoinEmitMode`). */
export type JoinEmitMode = "complete" | "final" | "running";
export const JOIN_INSERT_MODES: readonly JoinInsertMode[] = ["first", "last", "product"];
export const JOIN_EMIT_MODES: readonly JoinEmitMode[] = ["complete", "final", "running"];

/** A join by key: `upstream` lists its sides in order; emits `[key, [v0, v1, ...]]`. */
export interface JoinStep extends StepBase {
  readonly op: "join";
  readonly insertMode: JoinInsertMode;
  readonly emitMode: JoinEmitMode;
}

/** A join per key and window: `upstream` lists its sides in order; emits `[key, [v0, v1, ...]]`. */
export interface JoinWindowStep extends StepBase {
  readonly op: "join_window";
  readonly clock: ClockConfig;
  readonly window: WindowConfig;
  readonly insertMode: JoinInsertMode;
  readonly emitMode: JoinEmitMode;
}

export type StatelessStep = MapStep | FlatMapStep | FilterStep | InspectStep | InspectEpochStep;
/** The window steps that make one value per window (windowLogic.ts); `join_window` is windowed too, with rows per window. */
export type WindowStep = ReduceWindowStep | FoldWindowStep | CollectWindowStep | CountWindowStep;
export type KeyedStep = ReduceStep | StatefulMapStep | WindowStep | JoinStep | JoinWindowStep;
export type Step = InputStep | CaptureStep | StatelessStep | KeyedStep;
export type StepOp = Step["op"];

export interface Blueprint {
  readonly steps: readonly Step[];
  /**
   * The ids of the steps of a flow file left out because they do not run (disabled, or skipped);
   * recovery names them when a store holds their state.
   */
  readonly inactiveStepIds?: readonly string[];
}

export function isStateless(step: Step): step is StatelessStep {
  return STEP_KINDS[step.op].role === "stateless";
}

export function isKeyed(step: Step): step is KeyedStep {
  return STEP_KINDS[step.op].role === "keyed";
}

export function isWindowed(step: Step): step is WindowStep | JoinWindowStep {
  return STEP_KINDS[step.op].windowed;
}

/**
 * The outputs a step kind has: window steps emit their late items on `late` as well.
 *
 * @example
 * outputsOf("count_window"); // ["main", "late"]
 */
export function outputsOf(op: StepOp): readonly StepOutput[] {
  return STEP_KINDS[op].windowed ? WINDOW_OUTPUTS : MAIN_OUTPUT;
}

const MAIN_OUTPUT: readonly StepOutput[] = ["main"];
const WINDOW_OUTPUTS: readonly StepOutput[] = ["main", "late"];

/** What a step kind is, for the compiler, error messages and (later) the studio's palette. */
export interface StepKind {
  /** Bytewax's operator name, used in flow files. */
  readonly op: StepOp;
  /** The `Dataflow` method that adds it. */
  readonly method: string;
  readonly role: "input" | "capture" | "stateless" | "keyed";
  /** Whether the user names the step (its id is a recovery key). */
  readonly hasStepId: boolean;
  /** Whether it keeps per-key state and takes `[key, value]` items. */
  readonly stateful: boolean;
  /** Whether it cuts time into windows (and so has a `late` output). */
  readonly windowed: boolean;
  /** The user functions it takes, in argument order. */
  readonly functions: readonly string[];
  readonly summary: string;
}

export const STEP_KINDS: Readonly<Record<StepOp, StepKind>> = {
  input: { op: "input", method: "input", role: "input", hasStepId: true, stateful: false, windowed: false, functions: [], summary: "Introduces items from a source; starts a new stream." },
  capture: { op: "capture", method: "capture", role: "capture", hasStepId: false, stateful: false, windowed: false, functions: [], summary: "Writes each item to an output and passes it on unchanged." },
  map: { op: "map", method: "map", role: "stateless", hasStepId: false, stateful: false, windowed: false, functions: ["mapper"], summary: "Transforms each item one to one." },
  flat_map: { op: "flat_map", method: "flatMap", role: "stateless", hasStepId: false, stateful: false, windowed: false, functions: ["mapper"], summary: "Turns each item into any number of items." },
  filter: { op: "filter", method: "filter", role: "stateless", hasStepId: false, stateful: false, windowed: false, functions: ["predicate"], summary: "Keeps the items for which the predicate returns true." },
  inspect: { op: "inspect", method: "inspect", role: "stateless", hasStepId: false, stateful: false, windowed: false, functions: ["inspector"], summary: "Calls a function with each item and passes it on." },
  inspect_epoch: { op: "inspect_epoch", method: "inspectEpoch", role: "stateless", hasStepId: false, stateful: false, windowed: false, functions: ["inspector"], summary: "Calls a function with each item's epoch and the item." },
  reduce: { op: "reduce", method: "reduce", role: "keyed", hasStepId: true, stateful: true, windowed: false, functions: ["reducer", "isComplete"], summary: "Combines a key's values until isComplete says the result is ready." },
  stateful_map: { op: "stateful_map", method: "statefulMap", role: "keyed", hasStepId: true, stateful: true, windowed: false, functions: ["builder", "mapper"], summary: "Maps each value with per-key state." },
  reduce_window: { op: "reduce_window", method: "reduceWindow", role: "keyed", hasStepId: true, stateful: true, windowed: true, functions: ["reducer"], summary: "Combines a key's values per time window." },
  fold_window: { op: "fold_window", method: "foldWindow", role: "keyed", hasStepId: true, stateful: true, windowed: true, functions: ["builder", "folder", "merger"], summary: "Folds a key's values into an accumulator per time window." },
  collect_window: { op: "collect_window", method: "collectWindow", role: "keyed", hasStepId: true, stateful: true, windowed: true, functions: [], summary: "Collects a key's values per time window into an array, in time order." },
  count_window: { op: "count_window", method: "countWindow", role: "keyed", hasStepId: true, stateful: true, windowed: true, functions: [], summary: "Counts a key's values per time window." },
  join: { op: "join", method: "join", role: "keyed", hasStepId: true, stateful: true, windowed: false, functions: [], summary: "Joins the values of each key from several steps into [v0, v1, ...]." },
  join_window: { op: "join_window", method: "joinWindow", role: "keyed", hasStepId: true, stateful: true, windowed: true, functions: [], summary: "Joins the values of each key from several steps, per time window." },
};
