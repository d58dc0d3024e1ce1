/**
 * The engine's Transport between worker threads: a full mesh of `MessageChannel`s, created by the
 * main thread, one channel per pair of workers. Worker i sends to worker j over its end of their
 * channel (FIFO per pair, as the epoch protocol needs), and to itself through a local inbox.
 * Arriving messages go to the inbox and wake the scheduler through `onArrival`.
 */

import type { MessagePort } from "node:worker_threads";
import { EddyError } from "../../engine/host/index.js";
import { preview } from "../../engine/host/index.js";
import type { Endpoint, Message, Transport } from "../../engine/host/index.js";

const EMPTY: Message[] = [];

export class PortTransport implements Transport {
  private inbox: Message[] = [];
  private readonly arrivals: (() => void)[] = [];

  constructor(
    private readonly workerIndex: number,
    private readonly workerCount: number,
    private readonly ports: readonly (MessagePort | undefined)[],
  ) {
    for (const port of ports) {
      port?.on("message", (message: Message) => this.arrive(message));
    }
  }

  onArrival(callback: () => void): void {
    this.arrivals.push(callback);
  }

  endpoint(workerIndex: number): Endpoint {
    if (workerIndex !== this.workerIndex) {
      throw new EddyError("RUNNER_INTERNAL", `This thread hosts worker ${this.workerIndex}, not worker ${workerIndex}`);
    }
    return {
      workerIndex,
      workerCount: this.workerCount,
      send: (to, message) => this.send(to, message),
      receive: () => {
        if (this.inbox.length === 0) return EMPTY;
        const messages = this.inbox;
        this.inbox = [];
        return messages;
      },
    };
  }

  /** Stops listening, so that the thread can end. */
  close(): void {
    for (const port of this.ports) port?.close();
  }

  private send(to: number, message: Message): void {
    if (to === this.workerIndex) {
      this.arrive(message);
      return;
    }
    const port = this.ports[to];
    if (!port) throw new EddyError("RUNNER_INTERNAL", `Worker ${this.workerIndex} has no channel to worker ${to}`);
    try {
      port.postMessage(message);
    } catch (error) {
      throw notCloneable(error, message, this.workerIndex, to);
    }
  }

  private arrive(message: Message): void {
    this.inbox.push(message);
    for (const arrival of this.arrivals) arrival();
  }
}

/** Items that go to another worker (before a keyed step) are copied with the structured clone algorithm. */
function notCloneable(error: unknown, message: Message, from: number, to: number): Error {
  let culprit: unknown;
  if (message.kind === "data") {
    culprit = message.items.find((item) => {
      try {
        structuredClone(item);
        return false;
      } catch {
        return true;
      }
    });
  }
  const reason = typeof (error as Error)?.message === "string" ? (error as Error).message : String(error);
  const what = culprit === undefined ? "a message" : `the item \`${preview(culprit)}\``;
  return new EddyError(
    "EXCHANGE_NOT_CLONEABLE",
    `Worker ${from} could not send ${what} to worker ${to}: items that go to another worker (before a keyed step) are copied between threads and must be plain data (no functions, no class instances with private state); ${reason}`,
    { cause: error },
  );
}
