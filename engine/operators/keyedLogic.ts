/**
 * The contract between a keyed step's runtime node and its per-key logic. Logic is pure: time comes
 * in as `now`, outputs go out through `out`, and it never touches the transport or the clock itself.
 */

import type { SnapshotEntry } from "../recovery/snapshotEntry.js";

export interface LogicContext {
  readonly stepId: string;
  readonly op: string;
  /** False when items were already checked for the `[key, value]` shape at the exchange. */
  readonly checkKeys: boolean;
  /** Records which item a failure happened on; returns what to throw (see `recordFailureContext`). */
  readonly failedOn: (error: unknown, item: unknown) => unknown;
  /** Whether to track touched keys for recovery snapshots. */
  readonly recording: boolean;
}


export interface KeyedLogic {
  /**
   * Processes a batch of one epoch, appending `[key, out]` items to `out`, and (window steps) the
   * items that came too late for their window to `late`, as they came. `port` is the input the
   * batch came on (a join's side); steps with one input ignore it.
   */
  onItems(items: readonly unknown[], now: number, out: unknown[], late: unknown[], port: number): void;
  /** Wake-ups due at `now` (window closes). */
  onWake(now: number, out: unknown[]): void;
  /** End of input. */
  onEof(out: unknown[]): void;
  /** The earliest system time at which `onWake` has work, or Infinity. */
  nextWake(): number;
  /**
   * The keys touched since the last call, each with its state now (or RESET). Called when an epoch
   * closes, only when recording.
   */
  takeSnapshot(): SnapshotEntry[];
  /** Sets a key's state from a recovery snapshot, before any item arrives. */
  restore(key: string, state: unknown): void;
  /** Late items since the worker started (window logic counts them; absent elsewhere). */
  readonly lateItems?: number;
}
