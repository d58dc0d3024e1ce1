/** The Sink port: a worker's writer for one capture step. */

export interface SinkWriter {
  /**
   * Writes a batch of items of one epoch, in order. May return a promise; writes are then
   * serialized by the sink and the engine waits for the promise before it closes the epoch.
   */
  write(epoch: number, items: readonly unknown[]): void | Promise<void>;
  /** Every item of `epoch` has been written. */
  closeEpoch(epoch: number): void | Promise<void>;
  /**
   * For sinks that take part in recovery (exactly-once files): what to save with the epoch just
   * closed, and what to go back to on resume (called before any write).
   */
  snapshot?(): unknown;
  restore?(state: unknown): void;
}
