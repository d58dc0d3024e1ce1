/**
 * `join`: gathers each key's values from several upstream steps (the sides, in the order of
 * `upstream`), as Bytewax 0.21's `join` operator. Per key, each side's values are kept by the
 * insert mode (joinSides.ts), and rows `[key, [v0, v1, ...]]` are emitted by the emit mode:
 *
 * - `complete`: once every side has a value; then the key's state is forgotten;
 * - `running`: after every item, with `null` for a side without a value; the state is kept;
 * - `final`: at end of input, for every key (with `null` for missing sides).
 *
 * The side of an item is the input port it arrives on: the exchange routes every side by the same
 * key hash, so a key's items of every side meet on one worker.
 */

import type { JoinStep } from "../dataflow/steps.js";
import { RESET, type SnapshotEntry } from "../recovery/snapshotEntry.js";
import { assertKeyed } from "./keyed.js";
import type { KeyedLogic, LogicContext } from "./keyedLogic.js";
import { KeyedSlots } from "./keyedState.js";
import { JoinSides, appendRows, newSides, insertValue, restoreSides, saveSides } from "./joinSides.js";

export class JoinLogic implements KeyedLogic {
  private readonly slots: KeyedSlots;
  private readonly sideCount: number;

  constructor(
    private readonly step: JoinStep,
    private readonly ctx: LogicContext,
  ) {
    this.slots = new KeyedSlots(ctx.recording);
    this.sideCount = step.upstream.length;
  }

  onItems(items: readonly unknown[], _now: number, out: unknown[], _late: unknown[], side = 0): void {
    const { insertMode, emitMode, stepId } = this.step;
    const { checkKeys } = this.ctx;
    const slots = this.slots;
    const sideCount = this.sideCount;
    const running = emitMode === "running";
    const complete = emitMode === "complete";
    let item: unknown;
    try {
      for (let i = 0; i < items.length; i++) {
        item = items[i];
        if (checkKeys) assertKeyed(item, stepId, "join");
        const key = (item as [string, unknown])[0];
        let slot = slots.get(key);
        if (slot === undefined) slot = slots.create(key, newSides(sideCount, insertMode));
        const sides = slot.value as JoinSides;
        insertValue(sides, side, (item as [string, unknown])[1], insertMode);
        if (running) {
          appendRows(key, sides, out);
          slots.touch(slot);
        } else if (complete && sides.filled === sideCount) {
          appendRows(key, sides, out);
          slots.forget(slot);
        } else {
          slots.touch(slot);
        }
      }
    } catch (error) {
      throw this.ctx.failedOn(error, item);
    }
  }

  onWake(): void {}

  /** `final`: every key's rows, in the order keys first came; then the state is forgotten. */
  onEof(out: unknown[]): void {
    if (this.step.emitMode !== "final") return;
    for (const slot of this.slots.all()) {
      appendRows(slot.key, slot.value as JoinSides, out);
      this.slots.forget(slot);
    }
  }

  nextWake(): number {
    return Infinity;
  }

  /** Each touched key's values per side (`[[v0], [], ...]`), or RESET once forgotten. */
  takeSnapshot(): SnapshotEntry[] {
    return this.slots.takeSnapshot().map(([key, state]) => [key, state === RESET ? RESET : saveSides(state as JoinSides)] as const);
  }

  restore(key: string, state: unknown): void {
    this.slots.create(key, restoreSides(state as unknown[][], this.step.insertMode));
  }
}
