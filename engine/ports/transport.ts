/**
 * The Transport port: how workers send each other batches, frontier markers and progress. Messages
 * from one worker to another arrive in the order they were sent (FIFO per pair), which the epoch
 * protocol relies on. `InMemoryTransport` connects workers that share a thread (zero copy: the
 * receiver gets the sender's arrays); transports between threads and processes encode each message
 * once into a binary frame (engine/exchange/frame.ts) and bound the frames in flight per channel.
 */

export type Message =
  /** A batch for an exchange input of `node` on the receiving worker. */
  | { readonly kind: "data"; readonly node: number; readonly port: number; readonly epoch: number; readonly items: unknown[] }
  /** The sender's output into `node`'s exchange input has passed every epoch below `frontier`. */
  | { readonly kind: "frontier"; readonly node: number; readonly port: number; readonly from: number; readonly frontier: number }
  /**
   * Every step on worker `from` has finished every epoch below `frontier` (Infinity once it is
   * done), and everything below `durable` is safely in its recovery partition.
   */
  | { readonly kind: "progress"; readonly from: number; readonly frontier: number; readonly durable: number }
  /**
   * A stop was asked: every worker stops its inputs at epoch `at` (the highest any worker proposes),
   * so that they all end at the same epoch boundary and the run can finish. Each worker sends its
   * proposal once, when it starts stopping (asked directly or told by another worker).
   */
  | { readonly kind: "stop"; readonly from: number; readonly at: number };

/** One worker's connection to the others. */
export interface Endpoint {
  readonly workerIndex: number;
  readonly workerCount: number;
  send(to: number, message: Message): void;
  /** Every message that arrived since the last call, oldest first (empty when none). */
  receive(): Message[];
  /**
   * Frames wait for the receiver's credit (flow control, engine/exchange/creditWindow.ts): the
   * worker reads no more input until they have left, but goes on delivering what arrives. Absent
   * for transports without flow control (in memory, where a send is a push onto the receiver's inbox).
   */
  isCongested?(): boolean;
  /**
   * `send` encodes items into a frame (engine/exchange/frame.ts), which refuses anything that is
   * not plain data by throwing: the exchange then need not check items for other workers itself.
   */
  readonly encodesItems?: boolean;
  /**
   * Frames (batches, markers, progress) this endpoint sent to other workers that their receivers
   * have not taken yet: with flow control, those posted and not yet credited back, at most the
   * window per channel (frames still waiting for credit are not counted). The runner's metrics read
   * it; absent for transports that do not count frames (in memory).
   */
  framesInFlight?(): number;
}

export interface Transport {
  endpoint(workerIndex: number): Endpoint;
  /** Called whenever a message arrives, so that a sleeping scheduler wakes up. */
  onArrival(callback: () => void): void;
}

const EMPTY: Message[] = [];

/** Workers in one thread: sending appends to the receiver's inbox. */
export class InMemoryTransport implements Transport {
  private readonly inboxes: Message[][];
  private readonly arrivals: (() => void)[] = [];
  constructor(readonly workerCount: number) {
    this.inboxes = Array.from({ length: workerCount }, () => []);
  }
  onArrival(callback: () => void): void {
    this.arrivals.push(callback);
  }
  endpoint(workerIndex: number): Endpoint {
    const inboxes = this.inboxes;
    const transport = this;
    return {
      workerIndex,
      workerCount: this.workerCount,
      send(to, message) {
        inboxes[to]!.push(message);
        for (const arrival of transport.arrivals) arrival();
      },
      receive() {
        const inbox = inboxes[workerIndex]!;
        if (inbox.length === 0) return EMPTY;
        inboxes[workerIndex] = [];
        return inbox;
      },
    };
  }
}
