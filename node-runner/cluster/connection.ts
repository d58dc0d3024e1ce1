/**
 * One TCP connection to another process of the cluster, as a stream of records (framing.ts) and a
 * final `closed` event. Events wait in a backlog while nobody listens, so that the records that
 * arrive right after the handshake reach the router that takes over from connectMesh.ts.
 */

import type { Socket } from "node:net";
import { dataHeader, encodeControl, RecordDecoder, type WireRecord } from "./framing.js";

export type ConnectionEvent =
  | { readonly kind: "record"; readonly record: WireRecord }
  /** The connection closed; `error` when it failed (reset, refused, a corrupt stream). */
  | { readonly kind: "closed"; readonly error: Error | undefined };

/** How long an orderly end may take to flush what is still to be written. */
const END_MS = 2_000;

export class Connection {
  private handler: ((event: ConnectionEvent) => void) | undefined;
  private backlog: ConnectionEvent[] = [];
  private closed = false;
  private lastError: Error | undefined;

  /** `name` is how errors call the other side ("process 1 at 127.0.0.1:4001"). */
  constructor(
    readonly socket: Socket,
    public name: string,
  ) {
    const decoder = new RecordDecoder(name);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5_000);
    socket.on("data", (chunk: Buffer) => {
      if (this.closed) return;
      let records: WireRecord[];
      try {
        records = decoder.push(chunk);
      } catch (error) {
        this.lastError = error as Error;
        socket.destroy();
        this.emitClosed();
        return;
      }
      for (const record of records) this.emit({ kind: "record", record });
    });
    socket.on("error", (error) => (this.lastError ??= error));
    socket.on("close", () => this.emitClosed());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Delivers the backlog, then every later event, to `handler` (replacing the previous one). */
  listen(handler: (event: ConnectionEvent) => void): void {
    this.handler = handler;
    while (this.backlog.length > 0 && this.handler === handler) handler(this.backlog.shift()!);
  }

  /** Stops delivering: events wait behind `pending` until the next `listen`. */
  hold(pending: readonly ConnectionEvent[] = []): void {
    this.handler = undefined;
    this.backlog = [...pending, ...this.backlog];
  }

  sendControl(message: unknown): void {
    if (this.socket.writable) this.socket.write(encodeControl(message));
  }

  sendData(from: number, to: number, frame: Uint8Array): void {
    if (!this.socket.writable) return;
    this.socket.cork();
    this.socket.write(dataHeader(from, to, frame.length));
    this.socket.write(frame);
    this.socket.uncork();
  }

  /** Ends the connection after what was written is sent (at most END_MS, then it is cut). */
  end(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, END_MS);
      timer.unref();
      this.socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private emit(event: ConnectionEvent): void {
    if (this.handler) this.handler(event);
    else this.backlog.push(event);
  }

  private emitClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit({ kind: "closed", error: this.lastError });
  }
}
