/**
 * The contract between a keyed step's runtime node and its per-key logic. Logic is pure: time comes
 * in as `now`, outputs go out through `out`, and it never touches the transport or the clock itself.
 */

export interface LogicContext {
  readonly stepId: string;
  readonly op: string;
  /** False when items were already checked for the `[key, value]` shape at the exchange. */
  readonly checkKeys: boolean;
  /** Records which item a failure happened on (the error itself is rethrown unchanged). */
  readonly failedOn: (error: unknown, item: unknown) => void;
}

export interface KeyedLogic {
  /** Processes a batch of one epoch, appending `[key, out]` items to `out`. */
  onItems(items: readonly unknown[], now: number, out: unknown[]): void;
  /** Wake-ups due at `now` (window closes). */
  onWake(now: number, out: unknown[]): void;
  /** End of input. */
  onEof(out: unknown[]): void;
  /** The earliest system time at which `onWake` has work, or Infinity. */
  nextWake(): number;
  /** Every item of `epoch` has been processed: the point where recovery snapshots are taken. */
  onEpochClose(epoch: number): void;
}
