/**
 * The runtime node of `capture`: writes each batch to its sink on this worker, then passes the same
 * batch on unchanged. When a sink works asynchronously, everything this node sends downstream waits
 * behind the write, so epochs close only after their items are written and order is kept.
 *
 * It also tells the sink when the cluster made epochs durable (`epochDurable`, from the worker),
 * when the input ended (`finish`, before the end passes on) and when the run is over (`close`).
 */

import type { SinkWriter } from "../ports/sink.js";
import { RuntimeNode, lastClosedEpoch, type WorkerServices } from "./runtimeNode.js";

export class CaptureNode extends RuntimeNode {
  private queue: Promise<void> | undefined;
  /** The last epoch the sink was told is durable. */
  private lastDurable = -1;
  /** The frontier passed on: every epoch below it is closed by the sink and its snapshot taken. */
  private closedFrontier: number;

  constructor(
    stepId: string,
    worker: WorkerServices,
    senderCounts: readonly number[],
    startEpoch: number,
    private readonly sink: SinkWriter,
  ) {
    super(stepId, "capture", worker, senderCounts, startEpoch);
    this.closedFrontier = this.frontier;
  }

  /** An epoch counts for progress (and durability) only once the sink closed it and its snapshot was taken. */
  override get settledFrontier(): number {
    return this.closedFrontier;
  }

  /** Lets the sink attribute a failing item to this step. */
  failedOnItem(error: unknown, item: unknown): unknown {
    return this.failedOn(error, item);
  }

  protected push(_port: number, epoch: number, items: unknown[]): void {
    if (this.queue) {
      this.enqueue(() => this.write(epoch, items));
      return;
    }
    this.write(epoch, items);
  }

  /** The cluster's durable frontier rose to `frontier`: epochs below it that this node closed are durable. */
  override durableRose(frontier: number): void {
    if (!this.sink.epochDurable) return;
    const epoch = Math.min(frontier, this.frontier) - 1;
    if (epoch <= this.lastDurable) return;
    this.lastDurable = epoch;
    const notify = (): void | Promise<void> => this.sink.epochDurable!(epoch);
    if (this.queue) {
      this.enqueue(notify);
      return;
    }
    let pending: void | Promise<void>;
    try {
      pending = notify();
    } catch (error) {
      throw this.failedOn(error, undefined, false);
    }
    if (pending) this.track(pending);
  }

  /** Releases the sink's connections (the run is over). */
  override close(): void {
    try {
      this.sink.close?.();
    } catch {
      // close never throws; a sink that does is ignored here: the run's own outcome stands.
    }
  }

  protected override frontierRose(previous: number, next: number): void {
    const epoch = lastClosedEpoch(previous, next);
    const close = (): void | Promise<void> => {
      const closing = this.sink.closeEpoch(epoch);
      if (closing) return closing.then(() => this.closed(epoch, next));
      return this.closed(epoch, next);
    };
    if (this.queue) {
      this.enqueue(close);
      return;
    }
    const pending = close();
    if (pending) this.track(pending);
  }

  /** The sink finished `epoch`: save what it needs to resume, then (at the end, after `finish`) pass the frontier on. */
  private closed(epoch: number, next: number): void | Promise<void> {
    if (this.worker.recording && this.sink.snapshot) {
      this.worker.recordSnapshot(this.stepId, "capture", epoch, [[String(this.worker.workerIndex), this.sink.snapshot()]]);
    }
    if (next === Infinity && this.sink.finish) {
      const finishing = this.sink.finish();
      if (finishing) return finishing.then(() => this.passOn(next));
    }
    this.passOn(next);
  }

  private passOn(next: number): void {
    this.closedFrontier = next;
    this.forward(next);
  }

  private write(epoch: number, items: unknown[]): void | Promise<void> {
    const written = this.sink.write(epoch, items);
    if (written) {
      const then = written.then(() => this.emit(epoch, items));
      if (!this.queue) this.track(then);
      return then;
    }
    this.emit(epoch, items);
  }

  private enqueue(work: () => void | Promise<void>): void {
    this.track(this.queue!.then(work));
  }

  private track(work: Promise<void>): void {
    this.queue = work;
    this.worker.defer(work);
    work.then(
      () => {
        if (this.queue === work) this.queue = undefined;
      },
      () => {},
    );
  }
}
