/**
 * A worker runs the whole dataflow over its share of the data. `step` does one bounded round of
 * work and never blocks: deliver what other workers sent, run due wake-ups, poll each source once
 * (unless the transport is congested: frames wait for credit), then publish this worker's
 * progress (the lowest epoch any of its nodes may still see).
 *
 * Progress is broadcast to every worker; the cluster frontier (the minimum over workers) is what
 * opens a source's gate for its next epoch. With recovery, a worker announces an epoch only once
 * its snapshots and its frontier are committed to its partition, so the gate waits for durability.
 *
 * The end of input: as in Bytewax, a worker whose inputs ended (its frontier is Infinity) commits
 * nothing more, so a re-run of a finished store replays the last epoch. When a sink needs a durable
 * end (`SinkWriter.needsDurableEnd`), the worker commits its last epoch and the mark that its
 * partition finished, then announces itself durable for every epoch: the cluster's durable frontier
 * then never waits for it, passes its last epoch once every other worker saved that epoch too (or
 * finished), and reaches Infinity once every worker finished; the sinks hear each rise. The worker
 * is done only once the cluster's durable frontier passed its last epoch and its sinks heard it.
 */

import type { SnapshotEntry } from "../recovery/snapshotEntry.js";
import type { Clock } from "../ports/clock.js";
import type { PartitionWriter } from "../recovery/partitionWriter.js";
import type { Endpoint, Message } from "../ports/transport.js";
import type { WorkerServices, RuntimeNode } from "./runtimeNode.js";
import type { SourceNode } from "./sourceNode.js";
import type { WorkerMetrics } from "./workerMetrics.js";

/** The longest a source that said "no data yet" waits before it is polled again. */
const MAX_RETRY_DELAY = 32;

export class Worker implements WorkerServices {
  readonly workerIndex: number;
  /** Which workers' stop proposals arrived (see the "stop" message). */
  private readonly stopVotes: boolean[];
  readonly workerCount: number;
  clusterFrontier: number;
  /** The lowest durable frontier over all workers: what garbage collection may rely on. */
  private clusterDurable: number;
  readonly recording: boolean;
  nodes: readonly RuntimeNode[] = [];
  sources: readonly SourceNode[] = [];
  private readonly progress: number[];
  private readonly durableProgress: number[];
  private localFrontier: number;
  /** With recovery, a sink needs the end of input to be durable: the worker commits its end. */
  private durableEnd = false;
  /** The last epoch this worker committed at its end of input (with a durable end). */
  private endEpoch = -1;
  private stopping = false;
  private deferred: Promise<void>[] = [];
  private readonly retryAt: number[] = [];
  private readonly retryDelay: number[] = [];
  private readonly notifies: boolean[] = [];

  constructor(
    private readonly endpoint: Endpoint,
    private readonly clock: Clock,
    startEpoch: number,
    private readonly writer?: PartitionWriter,
  ) {
    this.workerIndex = endpoint.workerIndex;
    this.workerCount = endpoint.workerCount;
    this.stopVotes = new Array<boolean>(endpoint.workerCount).fill(false);
    this.progress = new Array<number>(endpoint.workerCount).fill(startEpoch);
    this.durableProgress = new Array<number>(endpoint.workerCount).fill(startEpoch);
    this.clusterFrontier = startEpoch;
    this.clusterDurable = startEpoch;
    this.localFrontier = startEpoch;
    this.recording = writer !== undefined;
  }

  recordSnapshot(stepId: string, op: string, epoch: number, entries: readonly SnapshotEntry[]): void {
    this.writer?.record(stepId, op, epoch, entries);
  }

  /** Wires the compiled nodes in; `notifies[i]` says whether source i wakes the scheduler itself. */
  attach(nodes: readonly RuntimeNode[], sources: readonly SourceNode[], notifies: readonly boolean[]): void {
    this.nodes = nodes;
    this.sources = sources;
    for (let i = 0; i < sources.length; i++) {
      this.retryAt.push(-Infinity);
      this.retryDelay.push(0);
      this.notifies.push(notifies[i] ?? false);
    }
    this.durableEnd = this.recording && nodes.some((node) => node.needsDurableEnd);
    for (const node of nodes) node.start();
    this.publishProgress();
  }

  /**
   * Done: every input ended (with a durable end: once that end is committed and the cluster's
   * durable frontier passed this worker's last epoch, or a stop was asked, and the sinks heard
   * it), or a stop was asked and everything before it is finished and durable.
   */
  get isDone(): boolean {
    if (this.localFrontier === Infinity) return !this.durableEnd || this.endSettled;
    if (!this.stopping || this.deferred.length > 0) return false;
    let target = 0;
    for (const source of this.sources) {
      if (!source.isFinished) return false;
      if (!source.isDone) target = Math.max(target, source.frontier);
    }
    // Every other worker's stop epoch must be known (or that worker finished), or this one could end
    // below the epoch another proposes and leave it waiting.
    for (let w = 0; w < this.workerCount; w++) if (w !== this.workerIndex && !this.stopVotes[w] && this.progress[w] !== Infinity) return false;
    return this.localFrontier >= target && this.durableProgress[this.workerIndex] === this.localFrontier;
  }

  /**
   * With a durable end: this worker's end is committed, the cluster's durable frontier passed its
   * last epoch (the sinks were told: every epoch they closed is durable) unless a stop was asked
   * (the others may stop below it; a resume commits what stays pending), and no sink work is
   * left to wait for.
   */
  private get endSettled(): boolean {
    if (this.deferred.length > 0 || this.durableProgress[this.workerIndex] !== Infinity) return false;
    return this.clusterDurable > this.endEpoch || this.stopping;
  }

  /**
   * Stops at the next epoch boundary: inputs close their open epoch and read no more. Returns
   * whether this was news (the scheduler counts it as work: it may have finished the worker).
   */
  requestStop(): boolean {
    if (this.stopping) return false;
    this.stopping = true;
    let at = -Infinity;
    for (const source of this.sources) at = Math.max(at, source.stopProposal());
    if (at === -Infinity) at = 0;
    for (let to = 0; to < this.workerCount; to++) if (to !== this.workerIndex) this.endpoint.send(to, { kind: "stop", from: this.workerIndex, at });
    this.stopAt(at);
    return true;
  }

  /** Stops every input at epoch `at` or later (the highest proposal wins). */
  private stopAt(at: number): void {
    const now = this.clock.now();
    for (const source of this.sources) source.stopAtEpoch(at, now);
    this.publishProgress();
  }

  defer(work: Promise<void>): void {
    this.deferred.push(work);
  }

  /** One round of work. Returns whether anything happened; a promise when async writes are pending. */
  step(): boolean | Promise<boolean> {
    let worked = false;
    const messages = this.endpoint.receive();
    for (let i = 0; i < messages.length; i++) this.deliver(messages[i]!);
    if (messages.length > 0) worked = true;

    const now = this.clock.now();
    for (const node of this.nodes) if (node.wake(now)) worked = true;

    // While frames wait for credit, inputs read nothing more (what arrives is still delivered).
    const congested = this.endpoint.isCongested?.() === true;
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      if (source.closeEpochIfDue(now)) worked = true;
      if (this.stopping && source.closeForStop(now)) worked = true;
      if (congested || now < this.retryAt[i]!) continue;
      const outcome = source.poll(now);
      if (outcome === "worked") {
        worked = true;
        this.retryDelay[i] = 0;
      } else if (outcome === "pending" && !this.notifies[i]) {
        const delay = Math.min(MAX_RETRY_DELAY, Math.max(1, this.retryDelay[i]! * 2));
        this.retryDelay[i] = delay;
        this.retryAt[i] = now + delay;
      }
    }

    if (this.publishProgress()) worked = true;
    if (this.deferred.length === 0) return worked;
    const pending = this.deferred;
    this.deferred = [];
    return Promise.all(pending).then(() => {
      this.publishProgress();
      return true;
    });
  }

  /** The earliest time this worker has something to do without new messages, or Infinity. */
  nextDeadline(): number {
    let deadline = Infinity;
    for (const node of this.nodes) deadline = Math.min(deadline, node.nextWake());
    // Congested: the transport wakes the scheduler when credit comes back, not a retry.
    const congested = this.endpoint.isCongested?.() === true;
    const sources = this.sources;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      if (!source.gateOpen) continue;
      deadline = Math.min(deadline, source.epochDeadline());
      if (!this.notifies[i] && !congested) deadline = Math.min(deadline, this.retryAt[i]!);
    }
    return deadline;
  }

  /** What this worker has counted so far (workerMetrics.ts): built on demand, for a host to expose. */
  metrics(): WorkerMetrics {
    return {
      workerIndex: this.workerIndex,
      epoch: this.localFrontier,
      durableEpoch: this.recording ? (this.clusterDurable === Infinity ? this.endEpoch : this.clusterDurable - 1) : undefined,
      framesInFlight: this.endpoint.framesInFlight?.(),
      steps: this.nodes.map((node) => node.metrics()),
    };
  }

  /** Releases the inputs and outputs however the run ended (early, by a failure or a stop, or at the end). */
  close(): void {
    for (const node of this.nodes) node.close();
  }

  private deliver(message: Message): void {
    switch (message.kind) {
      case "data":
        this.nodes[message.node]!.receive(message.port, message.epoch, message.items);
        return;
      case "frontier":
        this.nodes[message.node]!.advance(message.port, message.from, message.frontier);
        return;
      case "stop":
        // Another worker was asked to stop: propose this worker's own epoch too, then take the highest.
        this.stopVotes[message.from] = true;
        this.requestStop();
        this.stopAt(message.at);
        return;
      case "progress":
        this.progress[message.from] = message.frontier;
        this.durableProgress[message.from] = message.durable;
        this.clusterFrontier = Math.min(...this.progress);
        this.setClusterDurable(Math.min(...this.durableProgress));
        return;
    }
  }

  /**
   * Records the cluster's durable frontier; when it rose, tells the nodes (sinks that wait for
   * durability). Infinity (every worker committed its end of input) is news only with a durable end.
   */
  private setClusterDurable(durable: number): void {
    const previous = this.clusterDurable;
    this.clusterDurable = durable;
    if (durable > previous && (durable !== Infinity || this.durableEnd)) for (const node of this.nodes) node.durableRose(durable);
  }

  /**
   * Recomputes this worker's frontier. When it rose: without recovery, tells every worker at once;
   * with recovery, commits the finished epochs first. The last, partial epoch of a finished input
   * is never committed (as in Bytewax), so a re-run replays it; with a durable end it is, with the
   * finished mark, and the worker then counts as durable for every epoch.
   */
  private publishProgress(): boolean {
    let local = Infinity;
    for (const node of this.nodes) if (node.settledFrontier < local) local = node.settledFrontier;
    if (local === this.localFrontier) return false;
    const previous = this.localFrontier;
    this.localFrontier = local;
    const writer = this.writer;
    if (!writer) {
      this.announce(local, local);
    } else if (local !== Infinity) {
      this.defer(writer.commit(local, this.clusterDurable).then(() => this.announce(local, local)));
    } else if (this.durableEnd) {
      this.defer(
        writer.commitEnd(previous, this.clusterDurable).then((end) => {
          this.endEpoch = end - 1;
          this.announce(Infinity, Infinity);
        }),
      );
    } else {
      this.announce(Infinity, this.durableProgress[this.workerIndex]!);
    }
    return true;
  }

  private announce(frontier: number, durable: number): void {
    const self = this.workerIndex;
    this.progress[self] = Math.max(this.progress[self]!, frontier);
    this.durableProgress[self] = durable;
    this.clusterFrontier = Math.min(...this.progress);
    this.setClusterDurable(Math.min(...this.durableProgress));
    for (let to = 0; to < this.workerCount; to++) {
      if (to !== self) this.endpoint.send(to, { kind: "progress", from: self, frontier: this.progress[self]!, durable });
    }
  }
}
