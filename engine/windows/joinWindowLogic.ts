/**
 * `join_window`: a join per key and window (Bytewax 0.21's `join_window`), on Eddy's clocks and
 * window kinds. Windows open, close and take late items as those of the other window steps
 * (windowLogic.ts): per key, an item's clock gives the watermark and the windower (windower.ts:
 * tumbling, sliding or session) places the item into its windows; an item that is late joins no
 * window and goes to the step's `late` output, `[key, value]` as it came; a window closes when the
 * watermark is strictly past its close time (by the item that moves it there, or by time alone
 * through a wake-up), and every window closes at end of input.
 *
 * Inside each window the join is Bytewax's `_JoinWindowLogic` (joinSides.ts keeps the values):
 * `running` emits `[key, row]` after every item, `complete` emits once every side has a value and
 * then empties the window (which stays open), `final` emits when the window closes. Two sessions
 * that an item bridges merge as Bytewax's `on_merge` (mergeWindowSides), then emit as after an item.
 */

import type { ClockConfig } from "../configs/window.js";
import type { JoinEmitMode, JoinInsertMode, JoinWindowStep } from "../dataflow/steps.js";
import { assertKeyed } from "../operators/keyed.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import { JoinSides, appendRows, clearSides, insertValue, mergeWindowSides, newSides, restoreSides, saveSides } from "../operators/joinSides.js";
import { KeyWindowState } from "./keyWindowState.js";
import type { WindowAccumulator, Windower } from "./windower.js";
import { WindowedLogicBase } from "./windowedLogicBase.js";
import { removeWindow } from "./windowList.js";

/**
 * The windower's accumulator for a join: a window's `JoinSides`. It is told the item's key and
 * side before each item, and appends the rows the emit mode asks for to `out` as values arrive and
 * as windows merge.
 */
class JoinAccumulator implements WindowAccumulator {
  key = "";
  side = 0;
  out: unknown[] = [];
  constructor(
    private readonly sideCount: number,
    private readonly insertMode: JoinInsertMode,
    private readonly emitMode: JoinEmitMode,
  ) {}

  first(value: unknown): unknown {
    return this.next(newSides(this.sideCount, this.insertMode), value);
  }

  next(acc: unknown, value: unknown): unknown {
    insertValue(acc as JoinSides, this.side, value, this.insertMode);
    this.emitAfterChange(acc as JoinSides);
    return acc;
  }

  merge(into: unknown, from: unknown): unknown {
    mergeWindowSides(into as JoinSides, from as JoinSides, this.insertMode);
    this.emitAfterChange(into as JoinSides);
    return into;
  }

  result(acc: unknown): unknown {
    return acc;
  }

  /** Bytewax's `_check_emit`: `running` emits the rows, `complete` emits and empties a full window. */
  private emitAfterChange(sides: JoinSides): void {
    if (this.emitMode === "running") appendRows(this.key, sides, this.out);
    else if (this.emitMode === "complete" && sides.filled === this.sideCount) {
      appendRows(this.key, sides, this.out);
      clearSides(sides);
    }
  }
}

/** join_window's logic; a window's `JoinSides` is saved as `saveSides` saves it. */
export class JoinWindowLogic extends WindowedLogicBase<unknown[][]> implements KeyedLogic {
  private readonly accumulator: JoinAccumulator;

  constructor(
    clockConfig: ClockConfig,
    windower: Windower,
    private readonly step: JoinWindowStep,
    ctx: LogicContext,
  ) {
    super(clockConfig, windower, ctx);
    this.accumulator = new JoinAccumulator(step.upstream.length, step.insertMode, step.emitMode);
  }

  onItems(items: readonly unknown[], now: number, out: unknown[], late: unknown[], side = 0): void {
    const { clock, windower, keys, accumulator } = this;
    const { checkKeys, stepId } = this.ctx;
    accumulator.side = side;
    accumulator.out = out;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "join_window");
        const key = (item as [string, unknown])[0];
        const value = (item as [string, unknown])[1];
        let state = keys.get(key);
        if (state === undefined) {
          const initial = clock.initial();
          state = new KeyWindowState(key, initial.time, initial.seenAt);
          keys.set(key, state);
        }
        const watermark = clock.watermarkOnItem(state, value, now);
        accumulator.key = key;
        if (!windower.add(state, clock.timeOf(state, value, now), watermark, value, accumulator)) {
          this.lateItems++;
          late.push(item);
        }
        this.drain(key, state, clock.watermark(state, now), out);
      }
    } catch (error) {
      throw this.ctx.failedOn(error, item);
    }
  }

  protected saveAcc(acc: unknown): unknown[][] {
    return saveSides(acc as JoinSides);
  }

  protected restoreAcc(saved: unknown[][]): unknown {
    return restoreSides(saved, this.step.insertMode);
  }

  /** Closes the key's windows that the watermark passed (oldest first), emitting `final` rows. */
  protected drain(key: string, state: KeyWindowState, watermark: number, out: unknown[]): void {
    if (this.touched) this.touched.add(key);
    const final = this.step.emitMode === "final";
    for (let closing = state.first; closing !== undefined && closing.closeAt < watermark; closing = state.first) {
      const sides = closing.acc as JoinSides;
      if (final && sides.filled > 0) appendRows(key, sides, out);
      removeWindow(state, closing);
    }
    this.wakeups.rearm(state);
  }
}
