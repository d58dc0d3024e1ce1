/**
 * Streams of the `Dataflow` builder: a handle on what a step emits (or on several steps' output
 * together, a merge), for flows that are not one chain. `flow.stream()` takes the current stream;
 * `flow.from(stream)` continues from it again (a branch), `flow.merge([a, b])` continues from
 * their union, and `flow.join(stepId, [a, b])` joins them by key. `flow.late()` is a handle on a
 * window step's late items.
 */

import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { upstreamOutput, upstreamStep, type UpstreamRef } from "./steps.js";

/**
 * A stream of a dataflow: the step outputs at `refs` (upstream references into the blueprint: a
 * step's index, or `{ step, output: "late" }`; several after a merge). Only the dataflow that made
 * it can use it.
 *
 * @example
 * const words = flow.input("lines", input).flatMap(split).stream();
 * flow.from(words).filter(isLong).capture(longOut);
 * flow.from(words).map(upper).capture(upperOut);
 */
export class Stream {
  readonly #owner: object;
  /** Made by `Dataflow.stream()`; not meant to be built by hand. */
  constructor(
    owner: object,
    readonly refs: readonly UpstreamRef[],
  ) {
    this.#owner = owner;
  }

  /** Whether `flow` made this stream. */
  belongsTo(flow: object): boolean {
    return this.#owner === flow;
  }
}

/** Checks that `value` is a stream of `owner`; `where` names the call for the error. */
export function assertStream(value: unknown, owner: object, where: string): asserts value is Stream {
  if (!(value instanceof Stream)) {
    throw new EddyError("FLOW_STREAM_INVALID", `${where}: expected a Stream (from \`flow.stream()\`); got \`${preview(value)}\` instead`);
  }
  if (!value.belongsTo(owner)) throw new EddyError("FLOW_STREAM_INVALID", `${where}: the stream belongs to another Dataflow; streams are used in the dataflow that made them`);
}

/** Checks a non-empty array of streams of `owner`. */
export function assertStreams(value: unknown, owner: object, where: string): asserts value is Stream[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new EddyError("FLOW_STREAM_INVALID", `${where}: expected a non-empty array of Streams; got \`${preview(value)}\` instead`);
  }
  value.forEach((stream, index) => assertStream(stream, owner, `${where}, stream ${index}`));
}

/**
 * Whether two upstream references name the same output of the same step.
 *
 * @example
 * sameRef(3, { step: 3, output: "late" }); // false
 */
export function sameRef(a: UpstreamRef, b: UpstreamRef): boolean {
  return upstreamStep(a) === upstreamStep(b) && upstreamOutput(a) === upstreamOutput(b);
}
