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
import type { ClockConfig, WindowConfig } from "../configs/window.js";
import { EddyError } from "../errors.js";
import { assertCallable, assertStepId } from "../argumentChecks.js";
import { JOIN_EMIT_MODES, JOIN_INSERT_MODES, isWindowed, type AnyFn, type Blueprint, type JoinEmitMode, type JoinInsertMode, type Step, type UpstreamRef } from "./steps.js";
import { Stream, assertStream, assertStreams, sameRef } from "./stream.js";
import { assertConfig, assertWindowConfigs, joinSides, mode, windowOptions, type WindowStepOptions } from "./builderChecks.js";

export type { WindowStepOptions };

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
  /** The step outputs the next step takes (several after `merge`; none before any input). */
  private current: readonly UpstreamRef[] = [];

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

  /**
   * Combines a key's values per window with `reducer`: the first value is the accumulator. Windows
   * that merge (sessions bridged by an item) combine as `reducer(earlier, later)`.
   *
   * @example
   * flow.reduceWindow("sum", new SystemClockConfig(), new TumblingWindowConfig(5000), (a, b) => a + b);
   */
  reduceWindow(stepId: string, clock: ClockConfig, window: WindowConfig, reducer: (acc: Item, value: Item) => Item, options?: WindowStepOptions): this {
    const where = "reduceWindow";
    assertStepId(stepId, where);
    assertWindowConfigs(clock, window, where);
    assertCallable(reducer, where, "reducer");
    return this.append({ op: "reduce_window", stepId, upstream: this.upstream(), clock, window, reducer, ...windowOptions(options, where) });
  }

  /**
   * Folds a key's values per window: `builder()` starts each window's accumulator, `folder(acc,
   * value)` adds a value. With session windows, `merger(earlier, later)` combines two sessions that
   * an out-of-order item bridges (Bytewax 0.21's `fold_window`); it is required there.
   *
   * @example
   * flow.foldWindow("visits", clock, new SessionWindowConfig(1_800_000), () => [], (acc, page) => [...acc, page], (a, b) => [...a, ...b]);
   */
  foldWindow(
    stepId: string,
    clock: ClockConfig,
    window: WindowConfig,
    builder: () => Item,
    folder: (acc: Item, value: Item) => Item,
    merger?: (earlier: Item, later: Item) => Item,
    options?: WindowStepOptions,
  ): this {
    const where = "foldWindow";
    assertStepId(stepId, where);
    assertWindowConfigs(clock, window, where);
    assertCallable(builder, where, "builder");
    assertCallable(folder, where, "folder");
    // (Destructured: the layer rules take `window.` for the DOM's global.)
    const { type: windowType } = window;
    if (merger !== undefined) assertCallable(merger, where, "merger");
    else if (windowType === "session") {
      throw new EddyError("FLOW_NOT_CALLABLE", `${where}: \`merger\` must be a function with session windows (it combines two sessions that an out-of-order item bridges); got \`undefined\` instead`);
    }
    return this.append({
      op: "fold_window",
      stepId,
      upstream: this.upstream(),
      clock,
      window,
      builder,
      folder,
      ...(merger !== undefined && { merger }),
      ...windowOptions(options, where),
    });
  }

  /**
   * Collects a key's values per window into an array, in clock-time order (Bytewax 0.14's
   * `collect_window`).
   *
   * @example
   * flow.collectWindow("batches", new SystemClockConfig(), new TumblingWindowConfig(1000)); // ["k", [v1, v2, ...]]
   */
  collectWindow(stepId: string, clock: ClockConfig, window: WindowConfig, options?: WindowStepOptions): this {
    const where = "collectWindow";
    assertStepId(stepId, where);
    assertWindowConfigs(clock, window, where);
    return this.append({ op: "collect_window", stepId, upstream: this.upstream(), clock, window, ...windowOptions(options, where) });
  }

  /**
   * Counts a key's values per window.
   *
   * @example
   * flow.countWindow("clicks", new SystemClockConfig(), new SlidingWindowConfig(60_000, 10_000)); // ["k", 3]
   */
  countWindow(stepId: string, clock: ClockConfig, window: WindowConfig, options?: WindowStepOptions): this {
    const where = "countWindow";
    assertStepId(stepId, where);
    assertWindowConfigs(clock, window, where);
    return this.append({ op: "count_window", stepId, upstream: this.upstream(), clock, window, ...windowOptions(options, where) });
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
    assertWindowConfigs(clock, window, "joinWindow");
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
    this.current = stream.refs;
    return this;
  }

  /**
   * A handle on the late items of the current step, a window step (its `late` output, a flow
   * file's `after: ["ID:late"]`): the items that came too late for their window, `[key, value]` as
   * they came. The current stream stays the window step's results.
   *
   * @example
   * flow.input("clicks", input).map(byUser).countWindow("count", clock, window);
   * const late = flow.late(); // the clicks too late for count's windows
   * flow.capture(counts);     // count's results
   * flow.from(late).capture(lateOut);
   */
  late(): Stream {
    const current = this.current;
    const only = current.length === 1 ? current[0]! : undefined;
    const step = typeof only === "number" ? this.steps[only]! : undefined;
    if (step === undefined || !isWindowed(step)) {
      throw new EddyError("FLOW_STREAM_INVALID", "late: the current stream is not a window step's results; only window steps have late items (use `from` on the stream a window step made)");
    }
    return new Stream(this, [{ step: only as number, output: "late" }]);
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
    const refs: UpstreamRef[] = [];
    for (const stream of streams) for (const ref of stream.refs) if (!refs.some((seen) => sameRef(seen, ref))) refs.push(ref);
    this.current = refs;
    return this;
  }

  private append(step: Step): this {
    this.current = [this.steps.push(step) - 1];
    return this;
  }

  private upstream(): UpstreamRef[] {
    return [...this.current];
  }

  /** The id a user gave in `options`, else the kind and position, e.g. `map_2`. */
  private idOf(op: string, options: StepOptions | undefined): string {
    if (options?.stepId === undefined) return `${op}_${this.steps.length}`;
    assertStepId(options.stepId, op);
    return options.stepId;
  }
}

export type { AnyFn };
