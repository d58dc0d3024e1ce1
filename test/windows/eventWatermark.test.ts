/**
 * The event clock's watermark per key never goes back: system time that passed since the latest
 * event carries it forward, and a newer event that would give a lower watermark leaves it where it
 * is, so a window closed by time alone is not opened and emitted a second time.
 */

import { describe, expect, it } from "vitest";
import { EventClockConfig } from "../../engine/configs/window.js";
import { createWindowClock } from "../../engine/windows/windowClocks.js";

describe("the event clock's watermark", () => {
  it("is monotonic for a key, whatever order system time and event times come in", () => {
    const clock = createWindowClock(new EventClockConfig((value: number) => value, 100), "count", "fold_window");
    const state = clock.initial();
    expect(clock.watermarkOnItem(state, 1000, 0)).toBe(900);
    expect(clock.watermark(state, 500)).toBe(1400); // 500 ms of system time later
    expect(clock.watermarkOnItem(state, 1200, 500)).toBe(1400); // newer event, but 1200 - 100 < 1400
    expect(clock.watermark(state, 600)).toBe(1500);
    expect(clock.watermarkOnItem(state, 2000, 600)).toBe(1900); // an event far enough ahead moves it
    expect(clock.watermarkOnItem(state, 1500, 600)).toBe(1900); // an older event changes nothing
  });

  it("never decreases over random interleavings of events and system time", () => {
    const clock = createWindowClock(new EventClockConfig((value: number) => value, 50), "count", "fold_window");
    const state = clock.initial();
    let now = 0;
    let last = -Infinity;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let step = 0; step < 10_000; step++) {
      now += Math.floor(random() * 20);
      const watermark = random() < 0.5 ? clock.watermarkOnItem(state, Math.floor(random() * 100_000), now) : clock.watermark(state, now);
      if (last !== -Infinity) expect(watermark).toBeGreaterThanOrEqual(last);
      last = watermark;
    }
  });
});
