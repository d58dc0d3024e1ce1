/**
 * What a simulated run records for the UI: per step, how many items it emitted and a ring buffer
 * of the latest of them; the output lines of the capture steps (up to a limit, then only counted).
 *
 * Recording is per batch and allocation-free: a batch adds to a count and writes at most
 * `previewLimit` ring slots (the item itself, its epoch and worker in typed arrays). Previews are
 * rendered only when an update is built, at most `previewLimit` per step, and kept until the slot
 * is overwritten. So an item that a later step mutates in place may show its mutated form.
 */

import { preview } from "../../engine/host/index.js";
import type { OutputLine, PreviewItem, StepLive } from "./simulatorApi.js";

/** Marks shared by every recorder of a run: whether anything changed since the last update, and the latest epoch. */
export interface RunMarks {
  changed: boolean;
  epoch: number;
}

export class StepStats {
  count = 0;
  private readonly items: unknown[];
  private readonly epochs: Float64Array;
  private readonly workers: Int32Array;
  private readonly texts: (string | undefined)[];
  /** The next slot to write. */
  private next = 0;

  constructor(
    private readonly limit: number,
    private readonly marks: RunMarks,
  ) {
    this.items = new Array<unknown>(limit);
    this.epochs = new Float64Array(limit);
    this.workers = new Int32Array(limit);
    this.texts = new Array<string | undefined>(limit);
  }

  /** A batch this step emitted on `worker` in `epoch`. */
  record(epoch: number, worker: number, items: readonly unknown[]): void {
    const length = items.length;
    if (length === 0) return;
    this.count += length;
    const marks = this.marks;
    marks.changed = true;
    if (epoch > marks.epoch) marks.epoch = epoch;
    const limit = this.limit;
    if (limit === 0) return;
    let slot = this.next;
    for (let i = Math.max(0, length - limit); i < length; i++) {
      this.items[slot] = items[i];
      this.epochs[slot] = epoch;
      this.workers[slot] = worker;
      this.texts[slot] = undefined;
      slot = slot + 1 === limit ? 0 : slot + 1;
    }
    this.next = slot;
  }

  /** The count and the latest items, oldest first. */
  live(): StepLive {
    const limit = this.limit;
    const size = Math.min(this.count, limit);
    const latest: PreviewItem[] = [];
    for (let k = 0; k < size; k++) {
      const slot = (this.next - size + k + limit) % limit;
      let text = this.texts[slot];
      if (text === undefined) text = this.texts[slot] = preview(this.items[slot]);
      latest.push({ epoch: this.epochs[slot]!, worker: this.workers[slot]!, text });
    }
    return { count: this.count, latest };
  }
}

/** Output lines waiting for the next update; lines beyond `limit` in all are only counted. */
export class OutputCollector {
  private pending: OutputLine[] = [];
  private kept = 0;
  dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly marks: RunMarks,
  ) {}

  add(stepId: string, worker: number, epoch: number, line: string): void {
    this.marks.changed = true;
    if (this.kept >= this.limit) {
      this.dropped += 1;
      return;
    }
    this.kept += 1;
    this.pending.push({ stepId, worker, epoch, line });
  }

  /**
   * Called when a capture step closed an epoch on a worker, before the epoch's snapshot is
   * committed. With recovery on, the run sends the pending lines at once from here, so that the
   * output of every committed epoch has left the worker before a crash can lose it.
   */
  onEpochClosed: (() => void) | undefined;

  epochClosed(): void {
    if (this.pending.length > 0) this.onEpochClosed?.();
  }

  /** The lines added since the last call. */
  take(): OutputLine[] {
    const lines = this.pending;
    this.pending = [];
    return lines;
  }
}

/** Every step's stats and the output of one run. */
export class LiveRecorder {
  readonly marks: RunMarks = { changed: false, epoch: -1 };
  readonly output: OutputCollector;
  private readonly steps = new Map<string, StepStats>();
  /** The late items of window steps, counted only. */
  private readonly lateItems = new Map<string, StepStats>();

  constructor(
    private readonly previewLimit: number,
    outputLimit: number,
  ) {
    this.output = new OutputCollector(outputLimit, this.marks);
  }

  /** The stats of `stepId` (created on first use, in flow order). */
  step(stepId: string): StepStats {
    let stats = this.steps.get(stepId);
    if (!stats) {
      stats = new StepStats(this.previewLimit, this.marks);
      this.steps.set(stepId, stats);
    }
    return stats;
  }

  /** The count of a window step's late items (created on first use). */
  late(stepId: string): StepStats {
    let stats = this.lateItems.get(stepId);
    if (!stats) {
      stats = new StepStats(0, this.marks);
      this.lateItems.set(stepId, stats);
    }
    return stats;
  }

  snapshot(): Record<string, StepLive> {
    const steps: Record<string, StepLive> = {};
    for (const [stepId, stats] of this.steps) {
      const live = stats.live();
      const late = this.lateItems.get(stepId);
      steps[stepId] = late === undefined ? live : { ...live, late: late.count };
    }
    return steps;
  }
}
