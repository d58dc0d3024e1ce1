/**
 * `reduce`: per key, the first value is the accumulator and later values are combined with
 * `reducer`; `isComplete` runs after every value, and a complete accumulator is emitted and
 * forgotten. Incomplete accumulators are dropped at end of input, as in Bytewax.
 */

import type { ReduceStep } from "../dataflow/steps.js";
import { assertKeyed, notBoolean } from "./keyed.js";
import { RESET, type KeyedLogic, type LogicContext, type SnapshotEntry } from "./keyedLogic.js";

export class ReduceLogic implements KeyedLogic {
  private readonly accumulators = new Map<string, unknown>();
  /** Keys touched since the last snapshot (only when recording). */
  private readonly touched: Set<string> | undefined;

  constructor(
    private readonly step: ReduceStep,
    private readonly ctx: LogicContext,
  ) {
    this.touched = ctx.recording ? new Set() : undefined;
  }

  onItems(items: readonly unknown[], _now: number, out: unknown[]): void {
    const { reducer, isComplete, stepId } = this.step;
    const { checkKeys } = this.ctx;
    const accumulators = this.accumulators;
    const touched = this.touched;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "reduce");
        const key = (item as [string, unknown])[0];
        if (touched) touched.add(key);
        const value = (item as [string, unknown])[1];
        let acc = accumulators.get(key);
        acc = acc === undefined && !accumulators.has(key) ? value : reducer(acc, value);
        const complete: unknown = isComplete(acc);
        if (complete === true) {
          accumulators.delete(key);
          out.push([key, acc]);
        } else if (complete === false) {
          accumulators.set(key, acc);
        } else {
          throw notBoolean(stepId, "reduce", "isComplete", "reduce", complete);
        }
      }
    } catch (error) {
      this.ctx.failedOn(error, item);
      throw error;
    }
  }

  onWake(): void {}
  onEof(): void {}
  nextWake(): number {
    return Infinity;
  }
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = [];
    if (!this.touched) return entries;
    for (const key of this.touched) entries.push([key, this.accumulators.has(key) ? this.accumulators.get(key) : RESET]);
    this.touched.clear();
    return entries;
  }

  restore(key: string, state: unknown): void {
    this.accumulators.set(key, state);
  }
}
