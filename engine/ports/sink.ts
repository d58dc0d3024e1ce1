/**
 * The Sink port: a worker's writer for one capture step. The order of calls for one epoch is:
 * `write` (any number of times), `closeEpoch`, then `snapshot` with recovery; later
 * `epochDurable` once the cluster made it durable; `finish` at the end of input; `close` always.
 *
 * ```ts
 * const sink: SinkWriter = {
 *   needsDurableEnd: true,                    // commits only durable epochs, the last ones too
 *   write: (epoch, items) => stage(epoch, items),
 *   closeEpoch: (epoch) => seal(epoch),
 *   epochDurable: (epoch) => publishUpTo(epoch), // with recovery: no resume can replay `epoch` now
 * };
 * ```
 */

export interface SinkWriter {
  /**
   * With recovery, this sink needs the end of input to be durable too: each worker then saves its
   * last (partial) epoch when its inputs end, with a mark that its partition finished, and the
   * cluster's durable frontier passes every worker's last epoch once all of them finished, so
   * `epochDurable` is called for the last epochs as well (the worker is not done before). A re-run
   * of a finished store then resumes after the end and replays nothing. Without it (every other
   * output, as in Bytewax), the last epoch of a finished input is never made durable and a re-run
   * of a finished store replays it.
   */
  readonly needsDurableEnd?: boolean;
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
  /**
   * Every epoch up to `epoch` is durable on every worker of the cluster (each worker's snapshot of
   * it is saved), so no resume can replay it: what a sink keeps pending until then (a Kafka
   * transaction) may be made visible now. Called in order, with rising epochs, each time the
   * cluster's durable frontier passes epochs this worker closed; without recovery, when every
   * worker closed them. The worker waits for a returned promise before its next round.
   */
  epochDurable?(epoch: number): void | Promise<void>;
  /**
   * The input ended: every epoch is closed (called once, after the last `closeEpoch`, before the
   * end of input passes on). Without `needsDurableEnd`, the last epochs never become durable (a
   * re-run replays the last one); with it, they become durable later and `epochDurable` says so:
   * nothing that waits for durability may be made visible here.
   */
  finish?(): void | Promise<void>;
  /** The run is over, however it ended (a failure, a stop, the end): release connections. Never throws. */
  close?(): void;
}
