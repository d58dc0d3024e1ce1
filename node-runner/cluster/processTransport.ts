/**
 * The transport of a process of a TCP cluster whose workers run in its main thread (the Node
 * entry's `clusterMain` with addresses: flow functions are closures and cannot go to threads).
 * Each local worker has the transport of threads (threads/portTransport.ts) over MessageChannels:
 * in-thread channels to the other local workers, the router's channels (router.ts) to the workers
 * of other processes. Binary frames and credit flow control are the same as between threads.
 *
 * When the cluster fails elsewhere, `fail` makes the next `receive` of any worker throw the
 * failure, and wakes the scheduler: the scheduler of this thread ends at once (it cannot be
 * terminated like a thread), unless a flow function is running, which it lets return first.
 */

import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { Endpoint, FunctionGenerator, Transport } from "../../engine/host/index.js";
import { PortTransport } from "../threads/portTransport.js";

export class ProcessTransport implements Transport {
  private readonly transports = new Map<number, PortTransport>();
  private readonly arrivals: (() => void)[] = [];
  private failure: Error | undefined;

  /**
   * `local`: this process's workers; `remotePort(w, peer)`: worker w's end of its router channel
   * to `peer`. `window`, `generateCode` and `generate` as for PortTransport.
   */
  constructor(local: readonly number[], workerCount: number, remotePort: (worker: number, peer: number) => MessagePort, window: number, generateCode: boolean, generate?: FunctionGenerator) {
    const ports = new Map(local.map((worker) => [worker, new Array<MessagePort | undefined>(workerCount).fill(undefined)]));
    for (const [i, a] of local.entries()) {
      for (const b of local.slice(i + 1)) {
        const { port1, port2 } = new MessageChannel();
        ports.get(a)![b] = port1;
        ports.get(b)![a] = port2;
      }
      for (let peer = 0; peer < workerCount; peer++) if (!local.includes(peer)) ports.get(a)![peer] = remotePort(a, peer);
    }
    for (const worker of local) this.transports.set(worker, new PortTransport(worker, workerCount, ports.get(worker)!, window, generateCode, generate));
  }

  onArrival(callback: () => void): void {
    this.arrivals.push(callback);
    for (const transport of this.transports.values()) transport.onArrival(callback);
  }

  endpoint(workerIndex: number): Endpoint {
    const own = this.transports.get(workerIndex)!.endpoint(workerIndex);
    return {
      ...own,
      receive: () => {
        if (this.failure) throw this.failure;
        return own.receive();
      },
    };
  }

  /** Ends every worker's run at its next step with `failure`. */
  fail(failure: Error): void {
    this.failure ??= failure;
    for (const arrival of this.arrivals) arrival();
  }

  close(): void {
    for (const transport of this.transports.values()) transport.close();
  }
}
