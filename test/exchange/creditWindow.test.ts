/**
 * Credit-based flow control (engine/exchange/creditWindow.ts), as a pure state machine: frames go
 * out while a channel has credit, then wait in order behind one another, leave as credit returns,
 * and the window reports congestion while any frame waits. Channels are independent.
 */

import { describe, expect, it } from "vitest";
import { CreditWindow } from "../../engine/exchange/creditWindow.js";

const frame = (n: number) => Uint8Array.of(n);

describe("a credit window", () => {
  it("sends up to the window, queues the rest in order, and sends them as credit returns", () => {
    const wire: [number, number][] = [];
    const window = new CreditWindow(3, 2, (to, bytes) => wire.push([to, bytes[0]!]));
    for (let n = 1; n <= 5; n++) window.send(1, frame(n));
    expect(wire).toEqual([[1, 1], [1, 2]]);
    expect(window.congested).toBe(true);
    expect(window.inFlight(1)).toBe(2);
    // The other channel is not held up by this one.
    window.send(2, frame(9));
    expect(wire.at(-1)).toEqual([2, 9]);
    expect(window.credit(1, 1)).toBe(false);
    expect(wire.map(([, n]) => n)).toEqual([1, 2, 9, 3]);
    expect(window.credit(1, 2)).toBe(true);
    expect(wire.filter(([to]) => to === 1).map(([, n]) => n)).toEqual([1, 2, 3, 4, 5]);
    expect(window.congested).toBe(false);
    expect(window.stats()).toEqual({ window: 2, framesSent: 6, maxFramesInFlight: 2, framesInFlight: 3, framesQueued: 0, creditWaits: 3 });
  });

  it("keeps a channel FIFO: a frame sent while others wait queues behind them even if credit just came back", () => {
    const wire: number[] = [];
    const window = new CreditWindow(2, 1, (_to, bytes) => wire.push(bytes[0]!));
    window.send(1, frame(1));
    window.send(1, frame(2));
    window.send(1, frame(3));
    window.credit(1, 1);
    window.send(1, frame(4));
    window.credit(1, 1);
    window.credit(1, 1);
    expect(wire).toEqual([1, 2, 3, 4]);
  });

  it("never lets frames in flight pass the window, whatever the order of sends and credits", () => {
    let inFlight = 0;
    let most = 0;
    const window = new CreditWindow(2, 3, () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
    });
    for (let round = 0; round < 1000; round++) {
      for (let k = 0; k < (round % 7) + 1; k++) window.send(1, frame(k));
      const back = Math.min(inFlight, round % 4);
      inFlight -= back;
      window.credit(1, back);
    }
    expect(most).toBe(3);
    expect(window.stats().maxFramesInFlight).toBe(3);
  });

  it("refuses a window that is not a positive integer", () => {
    expect(() => new CreditWindow(2, 0, () => {})).toThrow("the exchange window must be a positive integer; got 0");
  });
});
