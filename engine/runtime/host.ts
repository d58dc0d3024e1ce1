/**
 * Host services: what the engine needs from the environment it runs in. The Node entry points
 * replace `writeStdout` with a writer on `process.stdout`; a browser or Web Worker host keeps the
 * console. Tests and simulations pass their own clock per run.
 */

import { systemClock, type Clock } from "../ports/clock.js";

export interface HostServices {
  readonly clock: Clock;
  /** Writes text (whole lines, each ending in "\n") to standard output. */
  readonly writeStdout: (text: string) => void | Promise<void>;
  /**
   * Items that go to a keyed step must be plain data (runtime/plainData.ts), with any worker count:
   * set by the runner, whose worker threads copy items, so that a class instance is refused alike
   * with one worker thread and with several instead of losing its class only when it crosses.
   * The studio sets it too, to refuse what the runner refuses. runMain and clusterMain copy
   * nothing and keep it off: their items keep their classes with any worker count.
   */
  readonly plainItems?: boolean;
}

let defaults: HostServices = {
  clock: systemClock,
  writeStdout(text) {
    console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
  },
};

/** Replaces some of the default host services (called once by a host's entry point). */
export function configureHost(services: Partial<HostServices>): void {
  defaults = { ...defaults, ...services };
}

export function hostServices(overrides: Partial<HostServices> = {}): HostServices {
  return { ...defaults, ...overrides };
}
