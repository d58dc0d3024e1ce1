/** The windower of each window config (windower.ts says what a windower is). */

import type { SessionWindowConfig, SlidingWindowConfig, TumblingWindowConfig, WindowConfig } from "../configs/window.js";
import { EddyError } from "../errors.js";
import { preview } from "../preview.js";
import { sessionWindower } from "./session.js";
import { slidingWindower } from "./sliding.js";
import { tumblingWindower } from "./tumbling.js";
import type { Windower } from "./windower.js";

/**
 * The windower of a window config; `defaultStartAt` (the run's start time) places tumbling and
 * sliding windows that have no `startAt`.
 *
 * @example
 * createWindower(new SessionWindowConfig(30_000), Date.now()).kind; // "session"
 */
export function createWindower(config: WindowConfig, defaultStartAt: number): Windower {
  switch (config.type) {
    case "tumbling": {
      const tumbling = config as TumblingWindowConfig;
      return tumblingWindower(tumbling.length, tumbling.startAt ?? defaultStartAt);
    }
    case "sliding": {
      const sliding = config as SlidingWindowConfig;
      return slidingWindower(sliding.length, sliding.offset, sliding.startAt ?? defaultStartAt);
    }
    case "session":
      return sessionWindower((config as SessionWindowConfig).gap);
    default:
      throw new EddyError("CONFIG_INVALID", `Unknown window config type: ${preview(config.type)}`);
  }
}

