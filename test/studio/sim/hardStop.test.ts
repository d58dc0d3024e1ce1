/**
 * The studio's Stop on a stuck worker: when the run is still stopping after HARD_STOP_MS (a step in
 * an endless call cannot reach an epoch boundary), the worker is ended; a run that stopped on its
 * own is left alone. The timer is injected: nothing here waits.
 */

import { describe, expect, it } from "vitest";
import { HARD_STOP_MS, armHardStop, hardStopMarker } from "../../../studio/ui/hardStop.js";

function harness(stillStopping: () => boolean) {
  const timers: { callback: () => void; ms: number }[] = [];
  let hardStops = 0;
  armHardStop({ stillStopping, hardStop: () => (hardStops += 1), setTimer: (callback, ms) => timers.push({ callback, ms }) });
  return { timers, hardStops: () => hardStops };
}

describe("Stop, then hard stop", () => {
  it("ends the worker when the run is still stopping after a few seconds", () => {
    const { timers, hardStops } = harness(() => true);
    expect(timers.map((timer) => timer.ms)).toEqual([HARD_STOP_MS]);
    expect(hardStops()).toBe(0);
    timers[0]!.callback();
    expect(hardStops()).toBe(1);
  });

  it("leaves a run that reached its boundary alone", () => {
    const { timers, hardStops } = harness(() => false);
    timers[0]!.callback();
    expect(hardStops()).toBe(0);
  });

  it("says why in the run's markers", () => {
    expect(hardStopMarker()).toMatch(/stopped hard: no epoch boundary within 3 s of Stop; a step is stuck in a call/);
  });
});
