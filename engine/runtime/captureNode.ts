/**
 * The runtime node of `capture`: writes each batch to its sink on this worker, then passes the same
 * batch on unchanged. When a sink works asynchronously, everything this node sends downstream waits
 * behind the write, so epochs close only after their items are written and order is kept.
 */

import type { SinkWriter } from "../ports/sink.js";
import { RuntimeNode, lastClosedEpoch, type WorkerServices } from "./runtimeNode.js";

export class CaptureNode extends RuntimeNode {
  private queue: Promise<void> | undefined;

  constructor(
    stepId: string,
    worker: WorkerServices,
    senderCounts: readonly number[],
    startEpoch: number,
    private readonly sink: SinkWriter,
  ) {
    super(stepId, "capture", worker, senderCounts, startEpoch);
  }

  /** Lets the sink attribute a failing item to this step. */
  failedOnItem(error: unknown, item: unknown): unknown {
    return this.failedOn(error, item);
  }

  push(_port: number, epoch: number, items: unknown[]): void {
    if (this.queue) {
      this.enqueue(() => this.write(epoch, items));
      return;
    }
    this.write(epoch, items);
  }

  protected override frontierRose(previous: number, next: number): void {
    const epoch = lastClosedEpoch(previous, next);
    const close = (): void | Promise<void> => {
      const closing = this.sink.closeEpoch(epoch);
      if (closing) return closing.then(() => this.closed(epoch, next));
      this.closed(epoch, next);
    };
    if (this.queue) {
      this.enqueue(close);
      return;
    }
    const pending = close();
    if (pending) this.track(pending);
  }

  /** The sink finished `epoch`: save what it needs to resume, then pass the frontier on. */
  private closed(epoch: number, next: number): void {
    if (this.worker.recording && this.sink.snapshot) {
      this.worker.recordSnapshot(this.stepId, "capture", epoch, [[String(this.worker.workerIndex), this.sink.snapshot()]]);
    }
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
