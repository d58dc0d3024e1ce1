/**
 * Credit-based flow control for one worker's channels (one per other worker), whatever carries the
 * frames (MessagePorts, TCP). Each channel starts with `window` credits; a frame sent takes one,
 * and the receiver gives credits back (a `credit` frame, frame.ts) once it has consumed frames. A
 * frame for a channel out of credit waits in that channel's queue, and every later frame to that
 * worker queues behind it, so each channel stays FIFO (the epoch protocol needs it: a frontier
 * marker never overtakes the batches before it). Credit frames themselves take no credit.
 *
 * The worker does not block: while any queue holds a frame the window is `congested`, and the
 * worker stops polling its inputs (engine/runtime/worker.ts) but goes on delivering what arrives,
 * so both sides of a pair that send heavily to each other keep returning credit and cannot
 * deadlock. Frames in flight per channel never exceed `window`; the queues hold at most what one
 * round of the worker produced, so memory stays flat however long the run.
 */

/** Frames in flight per channel by default: enough to keep both threads busy, few enough to bound memory (about 16 × 8 KB for batches of 512 small items). */
export const DEFAULT_WINDOW = 16;

/** What a channel's flow control has seen (for metrics, and for tests that check the bound). */
export interface ExchangeStats {
  /** Frames in flight allowed per channel. */
  readonly window: number;
  /** Frames sent to other workers (credit frames not counted). */
  readonly framesSent: number;
  /** The most frames that were ever in flight on one channel at once (≤ window). */
  readonly maxFramesInFlight: number;
  /** Frames in flight now, over all channels. */
  readonly framesInFlight: number;
  /** Frames waiting for credit now, over all channels. */
  readonly framesQueued: number;
  /** How many frames had to wait for credit. */
  readonly creditWaits: number;
}

export class CreditWindow {
  private readonly credits: number[];
  private readonly queues: Uint8Array[][];
  private queued = 0;
  private sent = 0;
  private waits = 0;
  private maxInFlight = 0;

  constructor(
    workerCount: number,
    readonly window: number,
    /** Puts a frame on the wire to worker `to`. */
    private readonly post: (to: number, frame: Uint8Array) => void,
  ) {
    if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`the exchange window must be a positive integer; got ${window}`);
    this.credits = new Array<number>(workerCount).fill(window);
    this.queues = Array.from({ length: workerCount }, () => []);
  }

  /** Sends a frame to worker `to` now if its channel has credit and nothing queued, else queues it. */
  send(to: number, frame: Uint8Array): void {
    const queue = this.queues[to]!;
    if (queue.length === 0 && this.credits[to]! > 0) {
      this.transmit(to, frame);
      return;
    }
    queue.push(frame);
    this.queued += 1;
    this.waits += 1;
  }

  /**
   * Worker `from` consumed `frames` of this worker's frames: sends what was waiting, as far as the
   * credit goes. Returns whether the window stopped being congested.
   */
  credit(from: number, frames: number): boolean {
    const wasCongested = this.queued > 0;
    const credits = this.credits[from];
    if (credits === undefined) return false;
    this.credits[from] = Math.min(this.window, credits + frames);
    const queue = this.queues[from]!;
    let sent = 0;
    while (sent < queue.length && this.credits[from]! > 0) this.transmit(from, queue[sent++]!);
    if (sent > 0) {
      queue.splice(0, sent);
      this.queued -= sent;
    }
    return wasCongested && this.queued === 0;
  }

  /** Frames wait for credit: the worker should read no more input until they are sent. */
  get congested(): boolean {
    return this.queued > 0;
  }

  /** Frames in flight on the channel to worker `to`. */
  inFlight(to: number): number {
    return this.window - this.credits[to]!;
  }

  /** Frames in flight over all channels: sent and not yet credited back (frames waiting for credit are not counted). */
  get framesInFlight(): number {
    let inFlight = 0;
    for (let to = 0; to < this.credits.length; to++) inFlight += this.window - this.credits[to]!;
    return inFlight;
  }

  stats(): ExchangeStats {
    return { window: this.window, framesSent: this.sent, maxFramesInFlight: this.maxInFlight, framesInFlight: this.framesInFlight, framesQueued: this.queued, creditWaits: this.waits };
  }

  private transmit(to: number, frame: Uint8Array): void {
    const credits = this.credits[to]! - 1;
    this.credits[to] = credits;
    this.sent += 1;
    if (this.window - credits > this.maxInFlight) this.maxInFlight = this.window - credits;
    this.post(to, frame);
  }
}
