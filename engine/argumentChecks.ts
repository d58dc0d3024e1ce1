/** Argument checks shared by the public constructors and builder methods. */

import { EddyError } from "./errors.js";
import { preview } from "./preview.js";

export function assertCallable(value: unknown, where: string, name: string): void {
  if (typeof value !== "function") {
    throw new EddyError("FLOW_NOT_CALLABLE", `${where}: \`${name}\` must be a function; got \`${preview(value)}\` instead`);
  }
}

export function assertStepId(value: unknown, where: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new EddyError("FLOW_INVALID_STEP_ID", `${where}: the step id must be a non-empty string; got \`${preview(value)}\` instead`);
  }
}

/** Converts a `Date` or epoch milliseconds to epoch milliseconds. */
export function toMillis(value: unknown, where: string, name: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new EddyError("CONFIG_INVALID", `${where}: \`${name}\` must be a Date or epoch milliseconds; got \`${preview(value)}\` instead`);
}

/** A duration in milliseconds: a finite number, at least `min`. */
export function toDuration(value: unknown, where: string, name: string, min: number): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= min) return value;
  const bound = min > 0 ? `greater than or equal to ${min}` : "not negative";
  throw new EddyError("CONFIG_INVALID", `${where}: \`${name}\` must be a number of milliseconds, ${bound}; got \`${preview(value)}\` instead`);
}
