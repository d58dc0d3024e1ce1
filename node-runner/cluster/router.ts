/**
 * The router of one process of a cluster, in its main thread. Local workers keep the transport of
 * threads (threads/portTransport.ts) unchanged: for each worker of another process, a local worker
 * gets a MessagePort whose other end the router holds (one MessageChannel per local/remote pair,
 * channels.ts, made before the connections when the threads start early).
 * What a worker posts there, a binary frame (credit frames included, so flow control stays end to
 * end), goes onto the TCP connection to that worker's process as a data record naming both
 * workers; what arrives is posted to the right channel. FIFO per pair holds: one channel, one
 * connection, in order.
 *
 * The router also carries the control records (controlRecords.ts): rounds before the workers
 * start, the first failure (relayed to every process before this one closes anything), stops, and
 * the final barrier: `finish` says `done`, waits until every process said it, then says `bye` and
 * closes. A connection that closes without an orderly end (no `bye`, and not every process done)
 * is a lost process: the cluster fails, naming it. So is a process that says nothing for the peer
 * timeout (liveness.ts): every process beats every second, from this thread.
 */

import type { MessagePort } from "node:worker_threads";
import { WorkerChannels } from "./channels.js";
import { Connection, type ConnectionEvent } from "./connection.js";
import { asControl, type ControlRecord } from "./controlRecords.js";
import { ClusterFailedError, type ClusterFailure } from "./failures.js";
import { EXIT } from "../exitCodes.js";
import { BEAT_INTERVAL_MS, DEFAULT_PEER_TIMEOUT_MS, heardAfterStall, silenceMessage, silentPeers, stalled, systemLivenessClock, type LivenessClock } from "./liveness.js";

export interface ClusterLayout {
  readonly procId: number;
  readonly procCount: number;
  readonly workersPerProcess: number;
  /** This process, for messages ("process 0 at 127.0.0.1:4000"). */
  readonly name: string;
}

export interface RouterEvents {
  /** The cluster failed: a failure record arrived, or a process was lost. Called once, never for `fail`. */
  readonly onFailure: (failure: ClusterFailure) => void;
  /** Another process was asked to stop (SIGINT, SIGTERM). Called once. */
  readonly onStop: () => void;
}

/** How the router watches the other processes' liveness (liveness.ts). */
export interface LivenessOptions {
  /** How long a process may say nothing before the cluster stops (DEFAULT_PEER_TIMEOUT_MS). */
  readonly peerTimeoutMs?: number | undefined;
  readonly clock?: LivenessClock;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class Router {
  private readonly rounds = new Map<string, Map<number, unknown>>();
  private readonly doneFrom = new Set<number>();
  private readonly byeFrom = new Set<number>();
  private waiters: { readonly ready: () => boolean; readonly waiter: Waiter }[] = [];
  private failure: ClusterFailure | undefined;
  private stopSeen = false;
  private stopSent = false;
  private localDone = false;
  private leaving = false;
  /** When each other process was last heard from (any record). */
  private lastHeard = new Map<number, number>();
  private lastBeat: number;
  private stopBeating: (() => void) | undefined;

  /** `channels`: made for this layout before the connections, when threads started early (else made here). */
  constructor(
    private readonly peers: ReadonlyMap<number, Connection>,
    private readonly layout: ClusterLayout,
    private readonly events: RouterEvents,
    private readonly channels: WorkerChannels = new WorkerChannels(layout),
    liveness: LivenessOptions = {},
  ) {
    const { procId, procCount, workersPerProcess } = channels.layout;
    if (procId !== layout.procId || procCount !== layout.procCount || workersPerProcess !== layout.workersPerProcess) {
      throw new Error(`the channels of ${layout.name} were made for another layout`);
    }
    for (const { local, remote, port } of channels.pairs()) {
      const connection = peers.get(Math.floor(remote / workersPerProcess))!;
      port.on("message", (buffer: ArrayBuffer) => {
        if (this.failure === undefined) connection.sendData(local, remote, new Uint8Array(buffer));
      });
    }
    const clock = liveness.clock ?? systemLivenessClock;
    const timeoutMs = liveness.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
    this.lastBeat = clock.now();
    for (const proc of peers.keys()) this.lastHeard.set(proc, this.lastBeat);
    for (const [proc, connection] of peers) connection.listen((event) => this.arrive(proc, connection, event, clock.now()));
    this.stopBeating = clock.every(BEAT_INTERVAL_MS, () => this.beat(clock.now(), timeoutMs));
  }

  /** Local worker `worker`'s end of its channel to worker `peer` of another process. */
  portFor(worker: number, peer: number): MessagePort {
    return this.channels.portFor(worker, peer);
  }

  /** The failure that ended the cluster, once there is one. */
  get failed(): ClusterFailure | undefined {
    return this.failure;
  }

  /** Whether another process asked for a stop. */
  get stopped(): boolean {
    return this.stopSeen;
  }

  /**
   * Sends `payload` to every other process and resolves with every process's payload for round
   * `name` (this one's included) once all arrived; rejects with ClusterFailedError on a failure.
   */
  async round(name: string, payload: unknown): Promise<Map<number, unknown>> {
    this.broadcast({ type: "round", name, payload });
    const received = this.roundOf(name);
    await this.until(() => received.size === this.peers.size);
    return new Map([...received, [this.layout.procId, payload]]);
  }

  /** Tells every process that a stop was asked here (once). */
  stop(): void {
    if (this.stopSent) return;
    this.stopSent = true;
    this.broadcast({ type: "stop" });
  }

  /**
   * The final barrier: tells every process that this one's workers are done, waits until every
   * process said so, then says bye and closes. Frames keep flowing meanwhile (a done worker may
   * still owe credit or progress to others). Rejects with ClusterFailedError on a failure.
   */
  async finish(): Promise<void> {
    this.localDone = true;
    this.broadcast({ type: "done" });
    await this.until(() => this.doneFrom.size === this.peers.size);
    this.leaving = true;
    this.broadcast({ type: "bye" });
    await Promise.all([...this.peers.values()].map((connection) => connection.end()));
    this.closePorts();
  }

  /** This process fails: every other process is told (before anything closes), then the connections end. */
  async fail(failure: ClusterFailure): Promise<void> {
    if (this.failure !== undefined) return this.leave();
    this.failure = failure;
    this.broadcast({ type: "failure", failure });
    this.rejectWaiters(failure);
    await this.leave();
  }

  /** Ends every connection after what was written (the failure record that ended the cluster included). */
  async leave(): Promise<void> {
    this.leaving = true;
    await Promise.all([...this.peers.values()].map((connection) => connection.end()));
    this.closePorts();
  }

  /** Says this process is alive, and stops the cluster if another one has been silent for too long. */
  private beat(now: number, timeoutMs: number): void {
    if (this.failure !== undefined || this.leaving) return;
    this.broadcast({ type: "beat" });
    const previous = this.lastBeat;
    this.lastBeat = now;
    if (stalled(previous, now)) {
      this.lastHeard = heardAfterStall(this.lastHeard, now);
      return;
    }
    const [silent] = silentPeers(this.lastHeard, now, timeoutMs);
    if (silent === undefined) return;
    const connection = this.peers.get(silent)!;
    this.failFrom({
      report: { name: "Error", code: "CLUSTER_PROCESS_SILENT", message: silenceMessage(connection.name, now - this.lastHeard.get(silent)!, timeoutMs) },
      exit: EXIT.CLUSTER,
      origin: this.layout.name,
    });
    // Nothing more will come from it, and an orderly end would wait for it.
    connection.destroy();
  }

  private arrive(proc: number, connection: Connection, event: ConnectionEvent, now: number): void {
    if (event.kind === "closed") {
      const orderly = this.byeFrom.has(proc) || this.leaving || (this.localDone && this.doneFrom.size === this.peers.size);
      if (!orderly) this.lose(connection.name, event.error);
      return;
    }
    const { record } = event;
    this.lastHeard.set(proc, now);
    if (record.kind === "data") {
      if (this.failure !== undefined) return;
      const first = proc * this.layout.workersPerProcess;
      const port = this.channels.routerEnd(record.to, record.from);
      if (!port || record.from < first || record.from >= first + this.layout.workersPerProcess) {
        return this.lose(connection.name, new Error(`it sent a frame from worker ${record.from} to worker ${record.to}, which are not its and this process's`));
      }
      const buffer = record.frame.buffer as ArrayBuffer;
      port.postMessage(buffer, [buffer]);
      return;
    }
    let control: ControlRecord;
    try {
      control = asControl(record.message, connection.name);
    } catch (error) {
      return this.lose(connection.name, error as Error);
    }
    switch (control.type) {
      case "round":
        this.roundOf(control.name).set(proc, control.payload);
        break;
      case "failure":
        this.failFrom(control.failure);
        break;
      case "stop":
        if (!this.stopSeen) {
          this.stopSeen = true;
          this.events.onStop();
        }
        break;
      case "done":
        this.doneFrom.add(proc);
        break;
      case "bye":
        this.byeFrom.add(proc);
        break;
      case "beat":
        return;
      default:
        return this.lose(connection.name, new Error(`it sent a ${control.type} record out of turn`));
    }
    this.checkWaiters();
  }

  /** A process closed its connection without an orderly end (or sent what no Eddy process sends). */
  private lose(name: string, error: Error | undefined): void {
    const reason = error ? ` (${error.message})` : "";
    this.failFrom({
      report: { name: "Error", code: "CLUSTER_PROCESS_LOST", message: `${name} died: its connection closed without an orderly end${reason}; the cluster stops (fail-stop)` },
      exit: EXIT.CLUSTER,
      origin: this.layout.name,
    });
  }

  /** A failure from elsewhere: relayed to every process (before this one closes anything), then reported. */
  private failFrom(failure: ClusterFailure): void {
    if (this.failure !== undefined) return;
    this.failure = failure;
    this.broadcast({ type: "failure", failure });
    this.rejectWaiters(failure);
    this.events.onFailure(failure);
  }

  private broadcast(message: ControlRecord): void {
    for (const connection of this.peers.values()) connection.sendControl(message);
  }

  private roundOf(name: string): Map<number, unknown> {
    let received = this.rounds.get(name);
    if (!received) {
      received = new Map();
      this.rounds.set(name, received);
    }
    return received;
  }

  private until(ready: () => boolean): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(new ClusterFailedError(this.failure));
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ ready, waiter: { resolve, reject } }));
  }

  private checkWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const entry of waiting) {
      if (entry.ready()) entry.waiter.resolve();
      else this.waiters.push(entry);
    }
  }

  private rejectWaiters(failure: ClusterFailure): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const { waiter } of waiting) waiter.reject(new ClusterFailedError(failure));
  }

  private closePorts(): void {
    this.stopBeating?.();
    this.stopBeating = undefined;
    this.channels.close();
  }
}
