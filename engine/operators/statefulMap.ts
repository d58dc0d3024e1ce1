/**
 * `statefulMap`: per key, `mapper(state, value)` returns `[updatedState, out]` and `[key, out]` is
 * emitted for every value. A missing state is built with `builder()` (no arguments, as in Bytewax
 * 0.11); an updated state of null or undefined forgets the key.
 */

import type { StatefulMapStep } from "../dataflow/steps.js";
import { EddyTypeError } from "../errors.js";
import { preview } from "../preview.js";
import { assertKeyed } from "./keyed.js";
import { RESET, type KeyedLogic, type LogicContext, type SnapshotEntry } from "./keyedLogic.js";

export class StatefulMapLogic implements KeyedLogic {
  private readonly states = new Map<string, unknown>();
  /** Keys touched since the last snapshot (only when recording). */
  private readonly touched: Set<string> | undefined;

  constructor(
    private readonly step: StatefulMapStep,
    private readonly ctx: LogicContext,
  ) {
    this.touched = ctx.recording ? new Set() : undefined;
  }

  onItems(items: readonly unknown[], _now: number, out: unknown[]): void {
    const { builder, mapper, stepId } = this.step;
    const { checkKeys } = this.ctx;
    const states = this.states;
    const touched = this.touched;
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "stateful_map");
        const key = (item as [string, unknown])[0];
        if (touched) touched.add(key);
        let state = states.get(key);
        if (state === undefined) state = builder();
        const result: unknown = mapper(state, (item as [string, unknown])[1]);
        if (!Array.isArray(result) || result.length !== 2) throw notAPair(stepId, result);
        const updated: unknown = result[0];
        if (updated == null) states.delete(key);
        else states.set(key, updated);
        out.push([key, result[1]]);
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
    for (const key of this.touched) entries.push([key, this.states.has(key) ? this.states.get(key) : RESET]);
    this.touched.clear();
    return entries;
  }

  restore(key: string, state: unknown): void {
    this.states.set(key, state);
  }
}

function notAPair(stepId: string, value: unknown): EddyTypeError {
  return new EddyTypeError(
    "STEP_NOT_PAIR",
    stepId,
    `Step "${stepId}" (stateful_map): return value of \`mapper\` in stateful map operator must be a 2-element array of \`[updatedState, updatedValue]\`; got \`${preview(value)}\` instead`,
  );
}
