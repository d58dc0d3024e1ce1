/**
 * `Dataflow`: the TypeScript builder of blueprints. As in Bytewax 0.11 every method applies to "the
 * current stream": `input` starts a new one, and steps added before any input see no items.
 * Methods return the dataflow so that calls chain.
 */

import { InputConfig } from "../configs/inputs.js";
import { OutputConfig } from "../configs/outputs.js";
import { ClockConfig, WindowConfig } from "../configs/window.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { assertCallable, assertStepId } from "../argumentChecks.js";
import type { AnyFn, Blueprint, Step } from "./steps.js";

type Item = any;

export class Dataflow implements Blueprint {
  readonly steps: Step[] = [];
  private current: number | undefined;

  input(stepId: string, config: InputConfig): this {
    assertStepId(stepId, "input");
    assertConfig(config, InputConfig, "input", "InputConfig");
    this.current = this.steps.push({ op: "input", stepId, upstream: [], config }) - 1;
    return this;
  }

  capture(config: OutputConfig): this {
    assertConfig(config, OutputConfig, "capture", "OutputConfig");
    return this.append({ op: "capture", stepId: this.autoId("capture"), upstream: this.upstream(), config });
  }

  map(mapper: (item: Item) => Item): this {
    assertCallable(mapper, "map", "mapper");
    return this.append({ op: "map", stepId: this.autoId("map"), upstream: this.upstream(), mapper });
  }

  flatMap(mapper: (item: Item) => Iterable<Item>): this {
    assertCallable(mapper, "flatMap", "mapper");
    return this.append({ op: "flat_map", stepId: this.autoId("flat_map"), upstream: this.upstream(), mapper });
  }

  filter(predicate: (item: Item) => boolean): this {
    assertCallable(predicate, "filter", "predicate");
    return this.append({ op: "filter", stepId: this.autoId("filter"), upstream: this.upstream(), predicate });
  }

  inspect(inspector: (item: Item) => void): this {
    assertCallable(inspector, "inspect", "inspector");
    return this.append({ op: "inspect", stepId: this.autoId("inspect"), upstream: this.upstream(), inspector });
  }

  inspectEpoch(inspector: (epoch: number, item: Item) => void): this {
    assertCallable(inspector, "inspectEpoch", "inspector");
    return this.append({ op: "inspect_epoch", stepId: this.autoId("inspect_epoch"), upstream: this.upstream(), inspector });
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

  private append(step: Step): this {
    this.current = this.steps.push(step) - 1;
    return this;
  }

  private upstream(): number[] {
    return this.current === undefined ? [] : [this.current];
  }

  /** Steps without a user id are named by kind and position, e.g. `map_2`. */
  private autoId(op: string): string {
    return `${op}_${this.steps.length}`;
  }
}

/** Options of every window step. */
export interface WindowStepOptions {
  /** Emit each result with its window, as `[key, [windowStart, windowEnd, value]]` in epoch ms (default false). */
  withWindow?: boolean;
}

function assertWindowConfigs(clock: unknown, window: unknown, where: string): asserts window is WindowConfig {
  assertConfig(clock, ClockConfig, where, "ClockConfig");
  assertConfig(window, WindowConfig, where, "WindowConfig");
}

/** The step fields of window options: `withWindow` only when set, so that other steps' fingerprints stay as they were. */
function windowOptions(options: unknown, where: string): { withWindow?: true } {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new EddyError("CONFIG_INVALID", `${where}: options must be an object such as { withWindow: true }; got \`${preview(options)}\` instead`);
  }
  const { withWindow, ...rest } = options as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new EddyError("CONFIG_INVALID", `${where}: unknown option \`${unknown[0]}\`; the options are: withWindow`);
  if (withWindow !== undefined && typeof withWindow !== "boolean") {
    throw new EddyError("CONFIG_INVALID", `${where}: \`withWindow\` must be a boolean; got \`${preview(withWindow)}\` instead`);
  }
  return withWindow === true ? { withWindow: true } : {};
}

function assertConfig(value: unknown, base: abstract new (...args: never[]) => object, where: string, name: string): void {
  if (!(value instanceof base)) {
    throw new EddyError("CONFIG_INVALID", `${where}: expected a ${name}; got \`${preview(value)}\` instead`);
  }
}

export type { AnyFn };
