/**
 * `eddy/window`: clock and window configs (Bytewax's `bytewax.window`, plus 0.12's
 * `EventClockConfig` and 0.21's sliding and session windows).
 */

export {
  ClockConfig,
  SystemClockConfig,
  TestingClockConfig,
  EventClockConfig,
  WindowConfig,
  TumblingWindowConfig,
  SlidingWindowConfig,
  SessionWindowConfig,
  type TumblingWindowOptions,
  type SlidingWindowOptions,
} from "../configs/window.js";
