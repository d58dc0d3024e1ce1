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

function assertConfig(value: unknown, base: abstract new (...args: never[]) => object, where: string, name: string): void {
  if (!(value instanceof base)) {
    throw new EddyError("CONFIG_INVALID", `${where}: expected a ${name}; got \`${preview(value)}\` instead`);
  }
}

export type { AnyFn };
