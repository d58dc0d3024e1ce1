/**
 * What a worker has counted since it started, as plain data: a host reads it (`Worker.metrics()`)
 * whenever it likes and exposes it (the runner serves it as Prometheus text, node-runner/metrics/).
 * Counting costs one addition per batch and per node, never anything per item; a snapshot is built
 * only when asked for.
 *
 * A fused chain of stateless steps (chainNode.ts) is one loop and so one node: its items in are
 * counted at its first step and its items out at its last; the steps between have no counts of
 * their own.
 */

/** The counts of one runtime node of one worker: a step, or a fused chain of stateless steps. */
export interface StepMetrics {
  /** The step whose items in these are (a chain's first step). */
  readonly inStep: string;
  /** The step whose items out these are (a chain's last step). */
  readonly outStep: string;
  /** The op of the node's first step (`input`, `map`, `reduce_window`, ...). */
  readonly op: string;
  /** Items that arrived, in batches from upstream steps and other workers; undefined for an input, which has no upstream. */
  readonly itemsIn: number | undefined;
  /** Items passed downstream (for a capture, the items it wrote). */
  readonly itemsOut: number;
  /** Items too late for their window (window steps; 0 elsewhere): sent to the step's `late` output, or dropped when no step takes it. */
  readonly lateItems: number;
}

export interface WorkerMetrics {
  readonly workerIndex: number;
  /** The lowest epoch any step of this worker may still see items of (Infinity once every input ended). */
  readonly epoch: number;
  /** With recovery: the last epoch every worker has saved (one below the first epoch a resume would replay). */
  readonly durableEpoch: number | undefined;
  /** Exchange frames this worker sent that the receivers have not taken yet, when the transport counts them. */
  readonly framesInFlight: number | undefined;
  readonly steps: readonly StepMetrics[];
}
