/**
 * Per-key state of `reduce` and `statefulMap`, kept in slots so that an item costs one Map lookup:
 * the state is updated in its slot, and a slot is listed as touched only the first time in an
 * epoch, which is all a recovery snapshot needs.
 */

import { RESET, type SnapshotEntry } from "../recovery/snapshotEntry.js";
import type { KeyedLogic, LogicContext } from "./keyedLogic.js";

export interface Slot {
  readonly key: string;
  value: unknown;
  /** Listed in this epoch's touched slots already. */
  touched: boolean;
  /** Forgotten: removed from the map (a new slot replaces it if the key comes back). */
  dead: boolean;
}

export class KeyedSlots {
  private readonly slots = new Map<string, Slot>();
  private touched: Slot[] = [];

  constructor(private readonly recording: boolean) {}

  get(key: string): Slot | undefined {
    return this.slots.get(key);
  }

  /** Every live slot, in the order keys were created (forgetting the current one while iterating is fine). */
  all(): IterableIterator<Slot> {
    return this.slots.values();
  }

  create(key: string, value: unknown): Slot {
    const slot: Slot = { key, value, touched: false, dead: false };
    this.slots.set(key, slot);
    return slot;
  }

  /** Notes a change to `slot` for the next snapshot. */
  touch(slot: Slot): void {
    if (this.recording && !slot.touched) {
      slot.touched = true;
      this.touched.push(slot);
    }
  }

  forget(slot: Slot): void {
    this.slots.delete(slot.key);
    slot.dead = true;
    this.touch(slot);
  }

  /** Touched keys in the order they were touched; a key forgotten and created again ends with its new state. */
  takeSnapshot(): SnapshotEntry[] {
    const entries: SnapshotEntry[] = this.touched.map((slot) => [slot.key, slot.dead ? RESET : slot.value]);
    for (const slot of this.touched) slot.touched = false;
    this.touched = [];
    return entries;
  }
}

/** Keyed logic whose state is one value per key and that never wakes: `reduce` and `statefulMap`. */
export abstract class SlotLogic implements KeyedLogic {
  protected readonly slots: KeyedSlots;

  constructor(protected readonly ctx: LogicContext) {
    this.slots = new KeyedSlots(ctx.recording);
  }

  abstract onItems(items: readonly unknown[], now: number, out: unknown[]): void;

  onWake(): void {}
  onEof(): void {}
  nextWake(): number {
    return Infinity;
  }

  takeSnapshot(): SnapshotEntry[] {
    return this.slots.takeSnapshot();
  }

  restore(key: string, state: unknown): void {
    this.slots.create(key, state);
  }
}
