/** `eddy/window`: clock and window configs (Bytewax's `bytewax.window`, plus 0.12's `EventClockConfig`). */

export {
  ClockConfig,
  SystemClockConfig,
  TestingClockConfig,
  EventClockConfig,
  WindowConfig,
  TumblingWindowConfig,
  type TumblingWindowOptions,
} from "../configs/window.js";
