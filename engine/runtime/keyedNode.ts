/**
 * The runtime node of a keyed step: feeds batches to its pure `KeyedLogic`, runs its wake-ups, and
 * on each frontier rise closes epochs (the snapshot point) and, at end of input, lets the logic
 * emit what closes at the end. Output produced without an item (wake-ups, end of input) belongs to
 * the node's current epoch.
 */

import type { KeyedLogic } from "../operators/keyedLogic.js";
import type { Clock } from "../ports/clock.js";
import { RuntimeNode, lastClosedEpoch, type WorkerServices } from "./runtimeNode.js";

export class KeyedNode extends RuntimeNode {
  logic!: KeyedLogic;

  constructor(
    stepId: string,
    op: string,
    worker: WorkerServices,
    senderCounts: readonly number[],
    startEpoch: number,
    private readonly clock: Clock,
  ) {
    super(stepId, op, worker, senderCounts, startEpoch);
  }

  /** Lets the exchange attribute a malformed item to this step. */
  badItem(error: unknown, item: unknown): unknown {
    return this.failedOn(error, item);
  }

  protected push(port: number, epoch: number, items: unknown[]): void {
    const out: unknown[] = [];
    const late: unknown[] = [];
    this.logic.onItems(items, this.clock.now(), out, late, port);
    this.emit(epoch, out);
    if (late.length > 0) this.emitLate(epoch, late);
  }

  override get lateItems(): number {
    return this.logic.lateItems ?? 0;
  }

  override nextWake(): number {
    return this.frontier === Infinity ? Infinity : this.logic.nextWake();
  }

  override wake(now: number): boolean {
    if (this.logic.nextWake() > now || this.frontier === Infinity) return false;
    const out: unknown[] = [];
    this.logic.onWake(now, out);
    this.emit(this.frontier, out);
    return true;
  }

  protected override frontierRose(previous: number, next: number): void {
    if (next === Infinity) {
      const out: unknown[] = [];
      this.logic.onEof(out);
      this.emit(previous, out);
    }
    if (this.worker.recording) this.worker.recordSnapshot(this.stepId, this.op, lastClosedEpoch(previous, next), this.logic.takeSnapshot());
    this.forward(next);
  }
}
