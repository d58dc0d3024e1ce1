/**
 * The channels between this process's workers and the workers of the other processes of a
 * cluster: one MessageChannel per (local worker, remote worker) pair. A local worker's thread
 * holds one end (`portFor`), the router (router.ts) the other (`routerEnd`). They exist before any
 * connection does, so that `eddy cluster` can start its worker threads, which are handed their
 * ends when they start, while it connects to the other processes; what a thread posts before the
 * router listens waits in its channel (a MessagePort queues until it is started).
 */

import { MessageChannel, type MessagePort } from "node:worker_threads";
import { workersOfProcess } from "../../engine/host/index.js";

export interface ChannelLayout {
  readonly procId: number;
  readonly procCount: number;
  readonly workersPerProcess: number;
}

export class WorkerChannels {
  private readonly workerEnds = new Map<string, MessagePort>();
  private readonly routerEnds = new Map<string, MessagePort>();

  constructor(readonly layout: ChannelLayout) {
    for (const local of workersOfProcess(layout.procId, layout.workersPerProcess)) {
      for (let proc = 0; proc < layout.procCount; proc++) {
        if (proc === layout.procId) continue;
        for (const remote of workersOfProcess(proc, layout.workersPerProcess)) {
          const { port1, port2 } = new MessageChannel();
          this.workerEnds.set(key(local, remote), port1);
          this.routerEnds.set(key(local, remote), port2);
        }
      }
    }
  }

  /** Local worker `worker`'s end of its channel to worker `peer` of another process. */
  portFor(worker: number, peer: number): MessagePort {
    const port = this.workerEnds.get(key(worker, peer));
    if (!port) throw new Error(`no channel from worker ${worker} to worker ${peer} in process ${this.layout.procId}`);
    return port;
  }

  /** The router's end of the channel between local worker `local` and remote worker `remote` (undefined when neither is such a pair). */
  routerEnd(local: number, remote: number): MessagePort | undefined {
    return this.routerEnds.get(key(local, remote));
  }

  /** The router's ends, with the pair each joins. */
  *pairs(): Iterable<{ readonly local: number; readonly remote: number; readonly port: MessagePort }> {
    for (const [pair, port] of this.routerEnds) {
      const [local, remote] = pair.split(">").map(Number) as [number, number];
      yield { local, remote, port };
    }
  }

  /** Closes the router's ends (the workers' ends close with their threads). */
  close(): void {
    for (const port of this.routerEnds.values()) port.close();
  }
}

function key(local: number, remote: number): string {
  return `${local}>${remote}`;
}
