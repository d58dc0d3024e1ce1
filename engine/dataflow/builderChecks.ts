/**
 * The argument checks of the `Dataflow` builder (dataflow.ts): configs, window options, join sides
 * and modes. Each throws an EddyError that names the builder method and what it expected.
 */

import { ClockConfig, WindowConfig } from "../configs/window.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import type { UpstreamRef } from "./steps.js";
import { assertStreams, type Stream } from "./stream.js";

/** Options of every window step. */
export interface WindowStepOptions {
  /** Emit each result with its window, as `[key, [windowStart, windowEnd, value]]` in epoch ms (default false). */
  withWindow?: boolean;
}

/**
 * Checks that `value` is an instance of `base` (a config class); `name` is what the error calls it.
 *
 * @example
 * assertConfig(config, InputConfig, "input", "InputConfig");
 */
export function assertConfig(value: unknown, base: abstract new (...args: never[]) => object, where: string, name: string): void {
  if (!(value instanceof base)) {
    throw new EddyError("CONFIG_INVALID", `${where}: expected a ${name}; got \`${preview(value)}\` instead`);
  }
}

/**
 * Checks a window step's clock and window configs.
 *
 * @example
 * assertWindowConfigs(new SystemClockConfig(), new SessionWindowConfig(1000), "countWindow");
 */
export function assertWindowConfigs(clock: unknown, window: unknown, where: string): asserts window is WindowConfig {
  assertConfig(clock, ClockConfig, where, "ClockConfig");
  assertConfig(window, WindowConfig, where, "WindowConfig");
}

/**
 * The step fields of window options: `withWindow` only when set, so that other steps' fingerprints stay as they were.
 *
 * @example
 * windowOptions({ withWindow: true }, "countWindow"); // { withWindow: true }
 */
export function windowOptions(options: unknown, where: string): { withWindow?: true } {
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

/**
 * The upstream reference of each side of a join: one or more streams (as in Bytewax; usually two
 * or more), each one step's output (a window step's late items may be a side).
 *
 * @example
 * joinSides([users, orders], flow, "join"); // [1, 3]
 */
export function joinSides(sides: readonly Stream[], flow: object, where: string): UpstreamRef[] {
  assertStreams(sides, flow, where);
  return sides.map((side, index) => {
    if (side.refs.length !== 1) {
      throw new EddyError("FLOW_STREAM_INVALID", `${where}: side ${index} is a merge of ${side.refs.length} steps; each side must be one step's stream (map the merge first)`);
    }
    return side.refs[0]!;
  });
}

/**
 * A join mode: `value` when it is one of `allowed`, `fallback` when absent.
 *
 * @example
 * mode(undefined, "last", JOIN_INSERT_MODES, "insertMode", "join"); // "last"
 */
export function mode<T extends string>(value: unknown, fallback: T, allowed: readonly T[], name: string, where: string): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new EddyError("CONFIG_INVALID", `${where}: unknown ${name} \`${preview(value)}\`; expected one of ${allowed.map((m) => JSON.stringify(m)).join(", ")}`);
}
