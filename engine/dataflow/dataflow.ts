/**
 * `Dataflow`: the TypeScript builder of blueprints. As in Bytewax 0.11 every method applies to "the
 * current stream": `input` starts a new one, and steps added before any input see no items.
 * Methods return the dataflow so that calls chain.
 *
 * Beyond 0.11, flows need not be one chain (stream.ts): `stream()` is a handle on the current
 * stream, `from(stream)` continues from it again (a branch), `merge(streams)` continues from their
 * union, and `join(stepId, sides)` joins streams by key. Steps without a user id may take one
 * (`{ stepId }`), so that a flow built here is the blueprint its flow file compiles to.
 */

import { InputConfig } from "../configs/inputs.js";
import { OutputConfig } from "../configs/outputs.js";
import { ClockConfig, WindowConfig } from "../configs/window.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { assertCallable, assertStepId } from "../argumentChecks.js";
import { JOIN_EMIT_MODES, JOIN_INSERT_MODES, type AnyFn, type Blueprint, type JoinEmitMode, type JoinInsertMode, type Step } from "./steps.js";
import { Stream, assertStream, assertStreams } from "./stream.js";

type Item = any;

/** Options of the steps whose id is optional (`map_3` when absent: the kind and the position). */
export interface StepOptions {
  /** The step's id, as a flow file's `id`. */
  stepId?: string;
}

/** Bytewax 0.21's join modes; the defaults are Bytewax's: `last`, and `complete` (`join`) or `final` (`joinWindow`). */
export interface JoinOptions {
  insertMode?: JoinInsertMode;
  emitMode?: JoinEmitMode;
}

export class Dataflow implements Blueprint {
  readonly steps: Step[] = [];
  /** The steps whose output the next step takes (several after `merge`; none before any input). */
  private current: readonly number[] = [];

  input(stepId: string, config: InputConfig): this {
    assertStepId(stepId, "input");
    assertConfig(config, InputConfig, "input", "InputConfig");
    this.current = [this.steps.push({ op: "input", stepId, upstream: [], config }) - 1];
    return this;
  }

  capture(config: OutputConfig, options?: StepOptions): this {
    assertConfig(config, OutputConfig, "capture", "OutputConfig");
    return this.append({ op: "capture", stepId: this.idOf("capture", options), upstream: this.upstream(), config });
  }

  map(mapper: (item: Item) => Item, options?: StepOptions): this {
    assertCallable(mapper, "map", "mapper");
    return this.append({ op: "map", stepId: this.idOf("map", options), upstream: this.upstream(), mapper });
  }

  flatMap(mapper: (item: Item) => Iterable<Item>, options?: StepOptions): this {
    assertCallable(mapper, "flatMap", "mapper");
    return this.append({ op: "flat_map", stepId: this.idOf("flat_map", options), upstream: this.upstream(), mapper });
  }

  filter(predicate: (item: Item) => boolean, options?: StepOptions): this {
    assertCallable(predicate, "filter", "predicate");
    return this.append({ op: "filter", stepId: this.idOf("filter", options), upstream: this.upstream(), predicate });
  }

  inspect(inspector: (item: Item) => void, options?: StepOptions): this {
    assertCallable(inspector, "inspect", "inspector");
    return this.append({ op: "inspect", stepId: this.idOf("inspect", options), upstream: this.upstream(), inspector });
  }

  inspectEpoch(inspector: (epoch: number, item: Item) => void, options?: StepOptions): this {
    assertCallable(inspector, "inspectEpoch", "inspector");
    return this.append({ op: "inspect_epoch", stepId: this.idOf("inspect_epoch", options), upstream: this.upstream(), inspector });
  }

  reduce(stepId: string, reducer: (acc: Item, value: Item) => Item, isComplete: (acc: Item) => boolean): this {
    assertStepId(stepId, "reduce");
    assertCallable(reducer, "reduce", "reducer");
    assertCallable(isComplete, "reduce", "isComplete");
    return this.append({ op: "reduce", stepId, upstream: this.upstream(), reducer, isComplete });
  }

  statefulMap(stepId: string, builder: () => Item, mapper: (state: Item, value: Item) => [Item, Item]): this {
    assertStepId(stepId, "statefulMap");
    assertCallable(builder, "statefulMap", "builder");
    assertCallable(mapper, "statefulMap", "mapper");
    return this.append({ op: "stateful_map", stepId, upstream: this.upstream(), builder, mapper });
  }

  reduceWindow(stepId: string, clock: ClockConfig, window: WindowConfig, reducer: (acc: Item, value: Item) => Item): this {
    assertStepId(stepId, "reduceWindow");
    assertConfig(clock, ClockConfig, "reduceWindow", "ClockConfig");
    assertConfig(window, WindowConfig, "reduceWindow", "WindowConfig");
    assertCallable(reducer, "reduceWindow", "reducer");
    return this.append({ op: "reduce_window", stepId, upstream: this.upstream(), clock, window, reducer });
  }

  foldWindow(
    stepId: string,
    clock: ClockConfig,
    window: WindowConfig,
    builder: () => Item,
    folder: (acc: Item, value: Item) => Item,
  ): this {
    assertStepId(stepId, "foldWindow");
    assertConfig(clock, ClockConfig, "foldWindow", "ClockConfig");
    assertConfig(window, WindowConfig, "foldWindow", "WindowConfig");
    assertCallable(builder, "foldWindow", "builder");
    assertCallable(folder, "foldWindow", "folder");
    return this.append({ op: "fold_window", stepId, upstream: this.upstream(), clock, window, builder, folder });
  }

  /**
   * Joins streams by key (Bytewax 0.21's `join`): each side a stream of `[key, value]` items, in
   * order; emits `[key, [v0, v1, ...]]` with `null` for a side without a value. `insertMode`:
   * `first`, `last` (default) or `product`; `emitMode`: `complete` (default), `final` or `running`.
   * The join's output becomes the current stream.
   *
   * @example
   * const users = flow.input("users", usersIn).map(byId).stream();
   * const orders = flow.input("orders", ordersIn).map(byUserId).stream();
   * flow.join("user_orders", [users, orders], { insertMode: "product", emitMode: "final" }).capture(out);
   */
  join(stepId: string, sides: readonly Stream[], options: JoinOptions = {}): this {
    assertStepId(stepId, "join");
    const upstream = joinSides(sides, this, "join");
    const insertMode = mode(options.insertMode, "last", JOIN_INSERT_MODES, "insertMode", "join");
    const emitMode = mode(options.emitMode, "complete", JOIN_EMIT_MODES, "emitMode", "join");
    return this.append({ op: "join", stepId, upstream, insertMode, emitMode });
  }

  /**
   * Joins streams by key within windows (Bytewax 0.21's `join_window`): per key and window, the
   * sides' values are kept by `insertMode` (default `last`) and emitted by `emitMode`: `final`
   * (default) when the window closes, `complete` once every side has a value (the window then
   * starts over empty), `running` after every item. Windows open and close as `reduceWindow`'s;
   * the clock reads the sides' values. The join's output becomes the current stream.
   *
   * @example
   * flow.joinWindow("clicks_views", new EventClockConfig((e) => e.at, 0), new TumblingWindowConfig(60_000), [clicks, views]).capture(out);
   */
  joinWindow(stepId: string, clock: ClockConfig, window: WindowConfig, sides: readonly Stream[], options: JoinOptions = {}): this {
    assertStepId(stepId, "joinWindow");
    assertConfig(clock, ClockConfig, "joinWindow", "ClockConfig");
    assertConfig(window, WindowConfig, "joinWindow", "WindowConfig");
    const upstream = joinSides(sides, this, "joinWindow");
    const insertMode = mode(options.insertMode, "last", JOIN_INSERT_MODES, "insertMode", "joinWindow");
    const emitMode = mode(options.emitMode, "final", JOIN_EMIT_MODES, "emitMode", "joinWindow");
    return this.append({ op: "join_window", stepId, upstream, clock, window, insertMode, emitMode });
  }

  /**
   * A handle on the current stream, to continue from it later (`from`), merge it or join it.
   *
   * @example
   * const words = flow.input("lines", input).flatMap(split).stream();
   */
  stream(): Stream {
    if (this.current.length === 0) throw new EddyError("FLOW_STREAM_INVALID", "stream: there is no stream yet; start one with `input`");
    return new Stream(this, this.current);
  }

  /**
   * Makes `stream` the current stream again: the next step takes its items (a branch when the
   * stream already feeds a step).
   *
   * @example
   * flow.from(words).filter(isLong).capture(longOut);
   */
  from(stream: Stream): this {
    assertStream(stream, this, "from");
    this.current = stream.steps;
    return this;
  }

  /**
   * Makes the union of `streams` the current stream: the next step takes the items of all of them
   * (a flow file's `after` with several ids).
   *
   * @example
   * flow.merge([clicks, views]).map(toEvent).capture(out);
   */
  merge(streams: readonly Stream[]): this {
    assertStreams(streams, this, "merge");
    const steps: number[] = [];
    for (const stream of streams) for (const step of stream.steps) if (!steps.includes(step)) steps.push(step);
    this.current = steps;
    return this;
  }

  private append(step: Step): this {
    this.current = [this.steps.push(step) - 1];
    return this;
  }

  private upstream(): number[] {
    return [...this.current];
  }

  /** The id a user gave in `options`, else the kind and position, e.g. `map_2`. */
  private idOf(op: string, options: StepOptions | undefined): string {
    if (options?.stepId === undefined) return `${op}_${this.steps.length}`;
    assertStepId(options.stepId, op);
    return options.stepId;
  }
}

/** The step of each side of a join: one or more streams (as in Bytewax; usually two or more), each one step's. */
function joinSides(sides: readonly Stream[], flow: Dataflow, where: string): number[] {
  assertStreams(sides, flow, where);
  return sides.map((side, index) => {
    if (side.steps.length !== 1) {
      throw new EddyError("FLOW_STREAM_INVALID", `${where}: side ${index} is a merge of ${side.steps.length} steps; each side must be one step's stream (map the merge first)`);
    }
    return side.steps[0]!;
  });
}

/** A join mode: `value` when it is one of `allowed`, `fallback` when absent. */
function mode<T extends string>(value: unknown, fallback: T, allowed: readonly T[], name: string, where: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new EddyError("CONFIG_INVALID", `${where}: unknown ${name} \`${preview(value)}\`; expected one of ${allowed.map((m) => JSON.stringify(m)).join(", ")}`);
}

function assertConfig(value: unknown, base: abstract new (...args: never[]) => object, where: string, name: string): void {
  if (!(value instanceof base)) {
    throw new EddyError("CONFIG_INVALID", `${where}: expected a ${name}; got \`${preview(value)}\` instead`);
  }
}

export type { AnyFn };
