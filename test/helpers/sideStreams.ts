/**
 * How the join tests feed a join: one input of events `[side, key, value]`, split into a stream of
 * `[key, value]` per side (a filter and a map each), so the join sees the events in the input's
 * order on any worker count. The scripts that record Bytewax's joins build the same flow
 * (test/helpers/bytewax_join_cases.py).
 */

import type { Dataflow } from "../../engine/dataflow/dataflow.js";
import type { Stream } from "../../engine/dataflow/stream.js";

/** An event of a join test: the side it comes on, its key and its value. */
type SideEvent = readonly [side: number, key: string, value: unknown];

/**
 * `count` streams of `flow`, stream `s` holding `[key, value]` of the events of `events` on side `s`.
 *
 * @example
 * const events = flow.input("events", fromWorkerZero([[0, "a", 1], [1, "a", 10]])).stream();
 * flow.join("joined", sideStreams(flow, events, 2)); // emits ["a", [1, 10]]
 */
export function sideStreams(flow: Dataflow, events: Stream, count: number): Stream[] {
  return Array.from({ length: count }, (_, side) =>
    flow
      .from(events)
      .filter((event: SideEvent) => event[0] === side)
      .map((event: SideEvent) => [event[1], event[2]])
      .stream(),
  );
}
