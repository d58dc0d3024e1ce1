/**
 * Runtime nodes: one per operator (or fused chain of stateless steps) on one worker. Batches are
 * pushed downstream synchronously; frontier markers follow the batches on the same paths.
 *
 * A node's frontier is the lowest epoch it may still see items of: the minimum, over its inputs and
 * over the senders of each input, of the last frontier marker received. When it rises, the node
 * closes the epochs below it (snapshot point, sink flush) and passes the new frontier on.
 */

import { recordFailureContext } from "../errors.js";
import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import { preview } from "../preview.js";
import type { StepMetrics } from "./workerMetrics.js";

/** Where a node sends its output: a node on this worker, or an exchange to every worker. */
export interface OutputTarget {
  push(epoch: number, items: unknown[]): void;
  advance(frontier: number): void;
}

/** What nodes need from the worker that runs them. */
export interface WorkerServices {
  readonly workerIndex: number;
  readonly workerCount: number;
  /** The lowest epoch any worker may still be working on; sources must not run ahead of it. */
  readonly clusterFrontier: number;
  /** Keeps the worker waiting for `work` (an async write) before its next round. */
  defer(work: Promise<void>): void;
  /** Whether nodes must report their state at each epoch close (recovery is on). */
  readonly recording: boolean;
  /** Takes a node's snapshot of `epoch`: keys with their state, or RESET. */
  recordSnapshot(stepId: string, op: string, epoch: number, entries: readonly SnapshotEntry[]): void;
}

export abstract class RuntimeNode {
  frontier: number;
  /** Where the node's items go (its main output). */
  readonly targets: OutputTarget[] = [];
  /** Where a window step's late items go (its `late` output); frontiers go there too. */
  readonly lateTargets: OutputTarget[] = [];
  /** Per input port, the frontier of each sender (one sender for local edges, every worker for exchanges). */
  private readonly senderFrontiers: number[][];
  /** Items received and emitted since the worker started (workerMetrics.ts): counted per batch. */
  private itemsIn = 0;
  private itemsOut = 0;

  constructor(
    readonly stepId: string,
    readonly op: string,
    protected readonly worker: WorkerServices,
    senderCounts: readonly number[],
    startEpoch: number,
  ) {
    this.senderFrontiers = senderCounts.map((count) => new Array<number>(count).fill(startEpoch));
    this.frontier = senderCounts.length === 0 ? Infinity : startEpoch;
  }

  /** A batch of items of `epoch` arrives on input `port`. Callers go through `receive`, which counts it. */
  protected abstract push(port: number, epoch: number, items: unknown[]): void;

  /** Delivers a batch of `epoch` to input `port`, counting its items. */
  receive(port: number, epoch: number, items: unknown[]): void {
    this.itemsIn += items.length;
    this.push(port, epoch, items);
  }

  /** The step whose output this node emits: its own (a fused chain's last step). */
  get outStepId(): string {
    return this.stepId;
  }

  /** Late items of this node (window steps count them, whether a step takes them or not). */
  get lateItems(): number {
    return 0;
  }

  /** This node's counts since the worker started. */
  metrics(): StepMetrics {
    return {
      inStep: this.stepId,
      outStep: this.outStepId,
      op: this.op,
      itemsIn: this.senderFrontiers.length === 0 ? undefined : this.itemsIn,
      itemsOut: this.itemsOut,
      lateItems: this.lateItems,
    };
  }

  /** The sender `sender` of input `port` will send nothing below `frontier` any more. */
  advance(port: number, sender: number, frontier: number): void {
    const senders = this.senderFrontiers[port]!;
    if (frontier <= senders[sender]!) return;
    senders[sender] = frontier;
    let lowest = Infinity;
    for (const input of this.senderFrontiers) for (const f of input) if (f < lowest) lowest = f;
    if (lowest > this.frontier) {
      const previous = this.frontier;
      this.frontier = lowest;
      this.frontierRose(previous, lowest);
    }
  }

  /** Called once when the worker starts, for nodes that have no inputs (their frontier is already Infinity). */
  start(): void {
    if (this.senderFrontiers.length === 0) this.forward(Infinity);
  }

  /** The earliest system time this node wants to be woken at, or Infinity. */
  nextWake(): number {
    return Infinity;
  }

  /**
   * The frontier this node has finished with: what the worker's progress (and so durability) may
   * count. The input frontier for most nodes; a sink that closes epochs asynchronously finishes later.
   */
  get settledFrontier(): number {
    return this.frontier;
  }

  /** Whether this node needs the end of input to be durable (a sink's `needsDurableEnd`). */
  get needsDurableEnd(): boolean {
    return false;
  }

  /**
   * The cluster's durable frontier rose to `frontier` (every worker saved the epochs below it);
   * Infinity once every worker saved its end of input (with a durable end only).
   */
  durableRose(_frontier: number): void {}

  /** The run is over, however it ended: release what the node holds. Never throws. */
  close(): void {}

  /** Runs due wake-ups; returns whether anything happened. */
  wake(_now: number): boolean {
    return false;
  }

  /** Closes the epochs in [previous, next) and passes the frontier on. */
  protected frontierRose(_previous: number, next: number): void {
    this.forward(next);
  }

  protected emit(epoch: number, items: unknown[]): void {
    if (items.length === 0) return;
    this.itemsOut += items.length;
    const targets = this.targets;
    for (let i = 0; i < targets.length; i++) targets[i]!.push(epoch, items);
  }

  /** Sends a window step's late items of `epoch` to the steps that take its `late` output (counted as `lateItems`, not `itemsOut`). */
  protected emitLate(epoch: number, items: unknown[]): void {
    const targets = this.lateTargets;
    for (let i = 0; i < targets.length; i++) targets[i]!.push(epoch, items);
  }

  protected forward(frontier: number): void {
    for (const target of this.targets) target.advance(frontier);
    for (const target of this.lateTargets) target.advance(frontier);
  }

  /** Records where an error happened (the error object itself is not changed); returns what to throw. */
  protected failedOn(error: unknown, item: unknown, hasItem = true): unknown {
    return recordFailureContext(error, {
      stepId: this.stepId,
      op: this.op,
      workerIndex: this.worker.workerIndex,
      itemPreview: hasItem ? preview(item) : undefined,
    });
  }
}

/** The last epoch closed when a frontier rises to `next` (the epoch being finished at end of input). */
export function lastClosedEpoch(previous: number, next: number): number {
  return next === Infinity ? previous : next - 1;
}

/** Feeds a node on the same worker. */
export class LocalTarget implements OutputTarget {
  constructor(
    private readonly node: RuntimeNode,
    private readonly port: number,
  ) {}
  push(epoch: number, items: unknown[]): void {
    this.node.receive(this.port, epoch, items);
  }
  advance(frontier: number): void {
    this.node.advance(this.port, 0, frontier);
  }
}
