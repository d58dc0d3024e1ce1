/**
 * The runtime node of `input`: polls its reader and cuts items into epochs.
 *
 * Gating (as in Bytewax): the source emits items of epoch e only once every worker has finished
 * every epoch below e. Periodic epochs close when more than `epochLength` ms have passed since the
 * epoch started, even while the input is idle; testing epochs close after every item. At end of
 * input the source's frontier becomes Infinity.
 */

import { DONE, PENDING, type InputReader } from "../ports/source.js";
import { RuntimeNode, type WorkerServices } from "./runtimeNode.js";

/** How a source decides when an epoch ends. */
export type EpochPolicy = { readonly kind: "periodic"; readonly length: number } | { readonly kind: "testing" };

/** The most items a source hands downstream at once. */
export const MAX_BATCH = 1024;

export type PollOutcome = "worked" | "idle" | "pending";

export class SourceNode extends RuntimeNode {
  private epochStartedAt: number;
  private done = false;
  /** Asked to stop at this epoch: epochs below it are closed (early if need be), nothing at it is read. */
  private stopAt = Infinity;
  /** Set while the reader has no data: the next poll happens after a growing back-off. */
  idleSince = -1;

  constructor(
    stepId: string,
    worker: WorkerServices,
    private readonly reader: InputReader,
    private readonly policy: EpochPolicy,
    startEpoch: number,
    now: number,
  ) {
    super(stepId, "input", worker, [], startEpoch);
    // A source has no inputs, but its frontier is its current epoch rather than Infinity.
    this.frontier = startEpoch;
    this.epochStartedAt = now;
  }

  override start(): void {}

  /** Sources have no inputs. */
  protected push(): void {}

  get isDone(): boolean {
    return this.done;
  }

  get isFinished(): boolean {
    return this.done || this.stopped;
  }

  private get stopped(): boolean {
    return this.frontier >= this.stopAt;
  }

  /** May this source emit items of its current epoch now? */
  get gateOpen(): boolean {
    return !this.done && !this.stopped && this.worker.clusterFrontier >= this.frontier;
  }

  /**
   * The epoch this source proposes to stop at: the end of the epoch it is reading (its frontier when
   * no item of it may be emitted yet).
   */
  stopProposal(): number {
    if (this.done) return -Infinity;
    return this.gateOpen ? this.frontier + 1 : this.frontier;
  }

  /**
   * Stops at epoch `at` (agreed by every worker, so all end at the same boundary): epochs below it
   * are closed now when the gate allows (saving the input's state), and nothing at `at` is read.
   * A later, higher `at` moves the stop on.
   */
  stopAtEpoch(at: number, now: number): void {
    if (this.done) return;
    this.stopAt = this.stopAt === Infinity ? at : Math.max(this.stopAt, at);
    this.closeForStop(now);
  }

  /** Closes epochs below the stop epoch as soon as the gate opens for them; returns whether it did. */
  closeForStop(now: number): boolean {
    let closed = false;
    while (this.stopAt !== Infinity && this.frontier < this.stopAt && !this.done && this.worker.clusterFrontier >= this.frontier) {
      this.closeEpoch(now);
      closed = true;
    }
    return closed;
  }

  /** When the current periodic epoch should close (Infinity for testing epochs or a closed gate). */
  epochDeadline(): number {
    if (this.policy.kind !== "periodic" || !this.gateOpen) return Infinity;
    return this.epochStartedAt + this.policy.length + 1;
  }

  /** Closes the current periodic epoch if its time is up; returns whether it did. */
  closeEpochIfDue(now: number): boolean {
    const policy = this.policy;
    if (policy.kind !== "periodic" || !this.gateOpen || !(now - this.epochStartedAt > policy.length)) return false;
    this.closeEpoch(now);
    return true;
  }

  /** Polls the reader once, if the gate is open. */
  poll(now: number): PollOutcome {
    if (!this.gateOpen) return "idle";
    const testing = this.policy.kind === "testing";
    let result;
    try {
      result = this.reader.poll(testing ? 1 : MAX_BATCH);
    } catch (error) {
      throw this.failedOn(error, undefined, false);
    }
    if (result === PENDING) return "pending";
    if (result === DONE) {
      this.finish();
      return "worked";
    }
    this.emit(this.frontier, result);
    if (testing) this.closeEpoch(now);
    return "worked";
  }

  /** What this worker resumes this input from. */
  snapshot(): unknown {
    return this.reader.snapshot();
  }

  override close(): void {
    this.reader.close();
  }

  private closeEpoch(now: number): void {
    this.recordInputState();
    this.frontier += 1;
    this.epochStartedAt = now;
    this.forward(this.frontier);
  }

  /**
   * At end of input the state is saved in the current, partial epoch too. If the whole run ends,
   * that epoch is never committed (a re-run replays it, as in Bytewax); but if other workers go on,
   * this worker keeps committing epochs, and its input must then resume at its end, in step with
   * the state its last items already changed.
   */
  private finish(): void {
    this.recordInputState();
    this.done = true;
    this.frontier = Infinity;
    this.forward(Infinity);
  }

  private recordInputState(): void {
    if (this.worker.recording) this.worker.recordSnapshot(this.stepId, "input", this.frontier, [[String(this.worker.workerIndex), this.reader.snapshot()]]);
  }
}
