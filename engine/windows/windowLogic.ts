/**
 * Windowed keyed logic, shared by every window step (`reduce_window`, `fold_window`,
 * `collect_window`, `count_window`) and every window kind (windower.ts). Per key, as in Bytewax 0.11:
 *
 * 1. An item updates the key's clock and gives the watermark, then the windower places it by its
 *    time: into the windows it belongs to, opening, extending or merging them.
 * 2. An item that is late (the windower says when: a window it belongs to may have closed before the
 *    watermark) joins no window: it goes to the step's `late` output, `[key, value]` as it came,
 *    and is counted (`lateItems`).
 * 3. Every window whose close time is strictly before the watermark closes and emits `[key, value]`
 *    (or `[key, [windowStart, windowEnd, value]]` with `withWindow`), oldest window first, in the
 *    epoch of the item. The watermark here is the one the item left behind: Bytewax 0.11.2 wakes a
 *    key with open windows again right after its item (its `Instant::elapsed() >= 0` test is always
 *    true), and by then a testing clock has moved on by `itemIncr` (test/windows/bytewaxEpochs.test.ts
 *    checks the epochs against Bytewax itself).
 * 4. The key asks to be woken when its oldest open window would close by time alone.
 *
 * End of input closes every window. Wake-ups live in an indexed heap of the keys' states (a key is
 * in it once, at its due time: keyWakeups.ts), and recovery snapshots them, so a resumed run still
 * closes them (windowedLogicBase.ts, shared with join_window).
 */

import type { ClockConfig } from "../configs/window.js";
import { assertKeyed } from "../operators/keyed.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import { KeyWindowState } from "./keyWindowState.js";
import type { WindowAccumulator, Windower } from "./windower.js";
import { WindowedLogicBase } from "./windowedLogicBase.js";
import { removeWindow } from "./windowList.js";

/** A window step's logic; its windows' accumulators are saved as they are. */
export class WindowLogic extends WindowedLogicBase implements KeyedLogic {
  constructor(
    clockConfig: ClockConfig,
    windower: Windower,
    private readonly accumulator: WindowAccumulator,
    ctx: LogicContext,
    /** Emit `[key, [windowStart, windowEnd, value]]` rather than `[key, value]`. */
    private readonly withWindow = false,
  ) {
    super(clockConfig, windower, ctx);
  }

  onItems(items: readonly unknown[], now: number, out: unknown[], late: unknown[]): void {
    const { clock, windower, accumulator, keys } = this;
    const movesWithItems = clock.movesWithItems;
    const { checkKeys, stepId, op } = this.ctx;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        // The shape check inline; assertKeyed (too big to inline) only to throw.
        if (checkKeys && !(Array.isArray(item) && item.length === 2 && typeof item[0] === "string")) assertKeyed(item, stepId, op);
        const key = (item as [string, unknown])[0];
        const value = (item as [string, unknown])[1];
        let state = keys.get(key);
        if (state === undefined) {
          const initial = clock.initial();
          state = new KeyWindowState(key, initial.time, initial.seenAt);
          keys.set(key, state);
        }
        const watermark = clock.watermarkOnItem(state, value, now);
        const time = clock.timeOf(state, value, now);
        const oldest = state.first;
        if (!windower.add(state, time, watermark, value, accumulator)) {
          this.lateItems++;
          late.push(item);
        }
        // The wake-up that follows the item, in its epoch (as in Bytewax 0.11.2): with the key's clock
        // as the item left it. For the testing clock that is its time plus itemIncr; for the others
        // it is the watermark above.
        const after = movesWithItems ? clock.watermark(state, now) : watermark;
        // Most items close nothing and leave the oldest window as it was: then there is no work.
        if (state.first !== oldest || (oldest !== undefined && oldest.closeAt < after)) this.drain(key, state, after, out);
        else if (this.touched) this.touched.add(key);
      }
    } catch (error) {
      throw this.ctx.failedOn(error, item);
    }
  }

  protected saveAcc(acc: unknown): unknown {
    return acc;
  }

  protected restoreAcc(saved: unknown): unknown {
    return saved;
  }

  protected drain(key: string, state: KeyWindowState, watermark: number, out: unknown[]): void {
    if (this.touched) this.touched.add(key);
    const accumulator = this.accumulator;
    for (let closing = state.first; closing !== undefined && closing.closeAt < watermark; closing = state.first) {
      const value = accumulator.result(closing.acc);
      out.push(this.withWindow ? [key, [closing.start, closing.end, value]] : [key, value]);
      removeWindow(state, closing);
    }
    this.wakeups.rearm(state);
  }
}
