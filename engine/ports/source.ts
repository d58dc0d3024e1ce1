/** The Source port: a worker's reader of one input. Polling never blocks. */

export const PENDING = Symbol("pending");
export const DONE = Symbol("done");

/** A non-empty batch of items, `PENDING` (nothing now, poll again later) or `DONE` (end of input). */
export type PollResult = unknown[] | typeof PENDING | typeof DONE;

export interface InputReader {
  /** Up to `max` items that are ready now. Throws what the input threw. */
  poll(max: number): PollResult;
  /** What this worker resumes from after the items polled so far. */
  snapshot(): unknown;
  /** Releases the input when the run stops early. Never throws. */
  close(): void;
  /** True when the reader wakes the scheduler itself when data arrives (no polling back-off needed). */
  readonly notifiesOnData?: boolean;
}
