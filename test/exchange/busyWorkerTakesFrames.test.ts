/**
 * A busy worker thread takes what was sent to it without returning to its event loop: frames from
 * another worker when it asks for messages (`receive`), and the credit for its own frames when it
 * looks at congestion (`isCongested`). Two PortTransports joined by a MessageChannel in this thread,
 * and no `await` between a send and the read that must see it: the event loop never turns, so
 * anything the reader sees it took from the port itself.
 */

import { MessageChannel } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { Endpoint, Message } from "../../engine/host/index.js";
import { PortTransport } from "../../node-runner/threads/portTransport.js";

const batch = (n: number): Message => ({ kind: "data", node: 0, port: 0, epoch: 0, items: [["k", n]] });
const valuesOf = (messages: Message[]) => messages.map((message) => (message as { items: [string, number][] }).items[0]![1]);

const open: PortTransport[] = [];
afterEach(() => {
  for (const transport of open.splice(0)) transport.close();
});

/** Workers 0 and 1 joined by one MessageChannel, and how often each woke its scheduler. */
function pair(window: number): { zero: Endpoint; one: Endpoint; wakes: [number, number] } {
  const channel = new MessageChannel();
  const transports = [new PortTransport(0, 2, [undefined, channel.port1], window), new PortTransport(1, 2, [channel.port2, undefined], window)] as const;
  open.push(...transports);
  const wakes: [number, number] = [0, 0];
  transports[0].onArrival(() => (wakes[0] += 1));
  transports[1].onArrival(() => (wakes[1] += 1));
  return { zero: transports[0].endpoint(0), one: transports[1].endpoint(1), wakes };
}

describe("a busy worker thread takes what arrived without waiting for its event loop", () => {
  it("receives frames sent to it in the same turn, in order, without waking itself", () => {
    const { zero, one, wakes } = pair(16);
    for (let n = 0; n < 3; n++) zero.send(1, batch(n));
    expect(valuesOf(one.receive())).toEqual([0, 1, 2]);
    expect(one.receive()).toEqual([]);
    // It took them while awake: no wake-up is left over to make its scheduler loop for nothing.
    expect(wakes[1]).toBe(0);
  });

  it("sees credit come back while it is still busy: its congestion ends and the waiting frames leave", () => {
    const { zero, one } = pair(2);
    for (let n = 0; n < 5; n++) zero.send(1, batch(n));
    expect(zero.isCongested?.()).toBe(true);
    expect(zero.framesInFlight?.()).toBe(2);
    // Worker 1 consumes the two in flight and returns their credit; worker 0 learns it at once.
    expect(valuesOf(one.receive())).toEqual([0, 1]);
    expect(zero.isCongested?.()).toBe(true); // two more went out, one still waits
    expect(valuesOf(one.receive())).toEqual([2, 3]);
    expect(zero.isCongested?.()).toBe(false);
    expect(valuesOf(one.receive())).toEqual([4]);
  });

  it("wakes its scheduler for a frame it took while looking at congestion, and delivers it next", () => {
    const { zero, one, wakes } = pair(1);
    zero.send(1, batch(0));
    zero.send(1, batch(1));
    expect(zero.isCongested?.()).toBe(true);
    expect(valuesOf(one.receive())).toEqual([0]);
    one.send(0, batch(100));
    // Worker 0 takes the credit and worker 1's frame; the frame waits for its next receive, so it is woken.
    expect(zero.isCongested?.()).toBe(false);
    expect(wakes[0]).toBe(1);
    expect(valuesOf(zero.receive())).toEqual([100]);
    expect(valuesOf(one.receive())).toEqual([1]);
  });
});
