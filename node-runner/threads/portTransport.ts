/**
 * The engine's Transport between worker threads: a full mesh of `MessageChannel`s, created by the
 * main thread, one channel per pair of workers. Worker i sends to worker j over its end of their
 * channel (FIFO per pair, as the epoch protocol needs), and to itself through a local inbox (the
 * message object itself, zero copy).
 *
 * Between threads every message is one binary frame (engine/exchange/frame.ts), encoded once by
 * the sender and posted with its ArrayBuffer in the transfer list (moved, not copied). Flow control
 * is by credit (engine/exchange/creditWindow.ts): at most `window` frames in flight per channel;
 * the receiver decodes frames when its worker asks for them (`receive`) and then returns one credit
 * frame per sender for the frames it consumed.
 *
 * A busy worker does not wait for its event loop to see what arrived: `receive`, and `isCongested`
 * while frames wait for credit, take what is on the ports at once (`receiveMessageOnPort`). Without
 * that, a worker in the middle of its time slice saw neither the frames sent to it nor the credit for
 * its own, so two workers sending to each other filled their windows and then took turns sleeping
 * until the other's event loop turned (thousands of times per run of workload S). What arrives
 * while the worker sleeps still comes through the event loop and wakes the scheduler. `framesInFlight` (the runner's metrics) is the credit
 * window's count: frames posted to other workers and not yet credited back.
 */

import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { CreditWindow, DEFAULT_WINDOW, EddyError, FrameDecoder, FrameEncoder, isCreditFrame, notPlainData, preview } from "../../engine/host/index.js";
import type { Endpoint, ExchangeStats, FunctionGenerator, Message, Transport } from "../../engine/host/index.js";

const EMPTY: Message[] = [];

export class PortTransport implements Transport {
  /** What arrived, oldest first: frames from other workers (with `from`), messages from this one. */
  private inbox: (Message | Uint8Array)[] = [];
  private inboxFrom: number[] = [];
  private readonly arrivals: (() => void)[] = [];
  private readonly encoder: FrameEncoder;
  private readonly decoder: FrameDecoder;
  private readonly credits: CreditWindow;
  /** Frames consumed per sender in one `receive`, returned as credit at its end. */
  private readonly consumed: number[];
  private received = 0;

  constructor(
    private readonly workerIndex: number,
    private readonly workerCount: number,
    private readonly ports: readonly (MessagePort | undefined)[],
    window = DEFAULT_WINDOW,
    /** Whether the codec may read and write objects with generated code (Host.codeGeneration). */
    generateCode = true,
    /** How the decoder's generated code is compiled (Host.generateFunction): items it makes are then of the flow functions' realm, like those made here. */
    generate?: FunctionGenerator,
  ) {
    this.encoder = new FrameEncoder({ generateCode });
    this.decoder = new FrameDecoder({ generateCode, ...(generate !== undefined && { generate }) });
    this.consumed = new Array<number>(workerCount).fill(0);
    this.credits = new CreditWindow(workerCount, window, (to, frame) => this.post(to, frame));
    ports.forEach((port, from) => port?.on("message", (data: ArrayBuffer) => this.arrive(from, new Uint8Array(data), true, true)));
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
      receive: () => this.receive(),
      // Frames taken here wait for the next `receive`: they wake the scheduler, lest it sleep on them.
      isCongested: () => this.credits.congested && (this.takeWaiting(true), this.credits.congested),
      encodesItems: true,
      framesInFlight: () => this.credits.framesInFlight,
    };
  }

  /** Flow control's figures for this worker's channels (frames in flight, waits). */
  stats(): ExchangeStats & { readonly framesReceived: number } {
    return { ...this.credits.stats(), framesReceived: this.received };
  }

  /** Stops listening, so that the thread can end. */
  close(): void {
    for (const port of this.ports) port?.close();
  }

  private send(to: number, message: Message): void {
    if (to === this.workerIndex) {
      this.inbox.push(message);
      this.inboxFrom.push(to);
      this.wake();
      return;
    }
    if (!this.ports[to]) throw new EddyError("RUNNER_INTERNAL", `Worker ${this.workerIndex} has no channel to worker ${to}`);
    let frame: Uint8Array;
    try {
      frame = this.encoder.encode(message);
    } catch (error) {
      throw notCopyable(error, message, this.workerIndex, to);
    }
    this.credits.send(to, frame);
  }

  private post(to: number, frame: Uint8Array): void {
    const buffer = frame.buffer as ArrayBuffer;
    this.ports[to]!.postMessage(buffer, [buffer]);
  }

  /** Takes what waits on the ports now (frames and credit), without waiting for the event loop; the worker is awake, so only frames it will not decode at once (`wakeForFrames`) wake it. */
  private takeWaiting(wakeForFrames: boolean): void {
    const ports = this.ports;
    for (let from = 0; from < ports.length; from++) {
      const port = ports[from];
      if (port === undefined) continue;
      for (let got = receiveMessageOnPort(port); got !== undefined; got = receiveMessageOnPort(port)) this.arrive(from, new Uint8Array(got.message as ArrayBuffer), wakeForFrames, false);
    }
  }

  private receive(): Message[] {
    this.takeWaiting(false);
    if (this.inbox.length === 0) return EMPTY;
    const entries = this.inbox;
    const from = this.inboxFrom;
    this.inbox = [];
    this.inboxFrom = [];
    const messages: Message[] = [];
    const consumed = this.consumed;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!(entry instanceof Uint8Array)) {
        messages.push(entry);
        continue;
      }
      const sender = from[i]!;
      messages.push(this.decoder.decode(entry, `worker ${sender}`) as Message);
      consumed[sender]! += 1;
      this.received += 1;
    }
    for (let sender = 0; sender < consumed.length; sender++) {
      const frames = consumed[sender]!;
      if (frames === 0) continue;
      consumed[sender] = 0;
      const credit = this.encoder.encode({ kind: "credit", frames });
      const buffer = credit.buffer as ArrayBuffer;
      this.ports[sender]!.postMessage(buffer, [buffer]);
    }
    return messages;
  }

  /**
   * A frame from worker `from`: credit is counted at once, anything else waits in the inbox. Whether
   * it wakes the scheduler: for a frame, `wakeForFrame`; for credit that ends congestion,
   * `wakeForCredit` (not when the worker took it itself: it looks at congestion right after).
   */
  private arrive(from: number, frame: Uint8Array, wakeForFrame: boolean, wakeForCredit: boolean): void {
    if (isCreditFrame(frame)) {
      const credit = this.decoder.decode(frame, `worker ${from}`);
      if (credit.kind === "credit" && this.credits.credit(from, credit.frames) && wakeForCredit) this.wake();
      return;
    }
    this.inbox.push(frame);
    this.inboxFrom.push(from);
    if (wakeForFrame) this.wake();
  }

  private wake(): void {
    for (const arrival of this.arrivals) arrival();
  }
}

/** Items that go to another worker (before a keyed step) are encoded into a frame; one that cannot be fails here. */
function notCopyable(error: unknown, message: Message, from: number, to: number): Error {
  const culprit = message.kind === "data" ? message.items.find((item) => notPlainData(item) !== undefined) : undefined;
  const reason = typeof (error as Error)?.message === "string" ? (error as Error).message : String(error);
  const what = culprit === undefined ? "a message" : `the item \`${preview(culprit)}\``;
  return new EddyError(
    "EXCHANGE_NOT_CLONEABLE",
    `Worker ${from} could not send ${what} to worker ${to}: items that go to another worker (before a keyed step) are copied between threads and must be plain data (no functions, no class instances with private state); ${reason}`,
    { cause: error },
  );
}
