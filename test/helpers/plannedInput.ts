/**
 * A manual input that gives each worker its planned items at planned times of `clock`: item
 * `[at, item]` is yielded once `clock.now() >= at` ("no data yet" before), and a resume continues at
 * the next planned item. Tests drive crashes and epochs with it under a virtual clock.
 */

import { ManualInputConfig } from "../../engine/configs/inputs.js";
import type { Clock } from "../../engine/ports/clock.js";

export type Plan = readonly (readonly [at: number, item: unknown])[];

export function plannedInput(clock: Clock, planOf: (worker: number) => Plan): ManualInputConfig {
  return new ManualInputConfig(function* (worker, _workers, resume) {
    const plan = planOf(worker);
    for (let i = typeof resume === "number" ? resume : 0; i < plan.length; i++) {
      const [at, item] = plan[i]!;
      while (clock.now() < at) yield undefined;
      yield [i + 1, item];
    }
  });
}
