/**
 * Fused stateless steps. Consecutive `map`, `flat_map`, `filter`, `inspect` and `inspect_epoch`
 * steps become one push pipeline of closures, driven by a single loop over each batch: no
 * intermediate arrays, no per-item queues. A failing user function is reported with its own step
 * and item; the error object itself passes through unchanged.
 */

import type { StatelessStep } from "../dataflow/steps.js";
import { recordFailureContext } from "../errors.js";
import { preview } from "../preview.js";
import { compileChain, notBooleanFilter, notIterable, promisedIn, type CompiledChain } from "./chainCompiler.js";
import { RuntimeNode, type NodeHost } from "./node.js";

type Push = (item: unknown) => void;

export class ChainNode extends RuntimeNode {
  private out: unknown[] = [];
  private epoch = 0;
  private readonly head: Push;
  /** The chain as one generated loop, when code generation is allowed (see chainCompiler.ts). */
  private readonly compiled: CompiledChain | undefined;
  private readonly failedAt: (error: unknown, stage: number, item: unknown) => unknown;

  constructor(
    steps: readonly StatelessStep[],
    host: NodeHost,
    senderCounts: readonly number[],
    startEpoch: number,
    /** Whether the host allows generated code (Host.codeGeneration); closures run otherwise. */
    codeGeneration: boolean,
  ) {
    super(steps[0]!.stepId, steps[0]!.op, host, senderCounts, startEpoch);
    let next: Push = (item) => {
      this.out.push(item);
    };
    for (let i = steps.length - 1; i >= 0; i--) next = this.stage(steps[i]!, next);
    this.head = next;
    this.compiled = codeGeneration ? compileChain(steps) : undefined;
    this.failedAt = (error, stage, item) => {
      const step = steps[stage]!;
      return recordFailureContext(error, { stepId: step.stepId, op: step.op, workerIndex: this.host.workerIndex, itemPreview: preview(item) });
    };
  }

  push(_port: number, epoch: number, items: unknown[]): void {
    if (this.compiled !== undefined) {
      const out: unknown[] = [];
      this.compiled(items, out, epoch, this.failedAt);
      this.emit(epoch, out);
      return;
    }
    this.out = [];
    this.epoch = epoch;
    const head = this.head;
    for (let i = 0; i < items.length; i++) head(items[i]);
    this.emit(epoch, this.out);
  }

  private stage(step: StatelessStep, next: Push): Push {
    const fail = (error: unknown, item: unknown): unknown =>
      recordFailureContext(error, { stepId: step.stepId, op: step.op, workerIndex: this.host.workerIndex, itemPreview: preview(item) });
    switch (step.op) {
      case "map": {
        const mapper = step.mapper;
        return (item) => {
          let mapped: unknown;
          try {
            mapped = mapper(item);
            if (typeof mapped === "object" && mapped !== null && typeof (mapped as { then?: unknown }).then === "function") throw promisedIn(step, mapped);
          } catch (error) {
            throw fail(error, item);
          }
          next(mapped);
        };
      }
      case "filter": {
        const predicate = step.predicate;
        return (item) => {
          let keep: unknown;
          try {
            keep = predicate(item);
            if (keep !== true && keep !== false) throw notBooleanFilter(step, keep);
          } catch (error) {
            throw fail(error, item);
          }
          if (keep) next(item);
        };
      }
      case "flat_map": {
        const mapper = step.mapper;
        const yielded = (one: unknown): void => {
          if (typeof one === "object" && one !== null && typeof (one as { then?: unknown }).then === "function") throw promisedIn(step, one);
          next(one);
        };
        return (item) => {
          // Errors from downstream steps are already attributed; `fail` keeps the first context.
          try {
            const many: unknown = mapper(item);
            if (Array.isArray(many)) {
              for (let i = 0; i < many.length; i++) yielded(many[i]);
            } else if (many != null && typeof (many as Iterable<unknown>)[Symbol.iterator] === "function") {
              for (const one of many as Iterable<unknown>) yielded(one);
            } else {
              throw notIterable(step, many);
            }
          } catch (error) {
            throw fail(error, item);
          }
        };
      }
      case "inspect": {
        const inspector = step.inspector;
        return (item) => {
          try {
            const returned: unknown = inspector(item);
            if (typeof returned === "object" && returned !== null && typeof (returned as { then?: unknown }).then === "function") throw promisedIn(step, returned);
          } catch (error) {
            throw fail(error, item);
          }
          next(item);
        };
      }
      case "inspect_epoch": {
        const inspector = step.inspector;
        return (item) => {
          try {
            const returned: unknown = inspector(this.epoch, item);
            if (typeof returned === "object" && returned !== null && typeof (returned as { then?: unknown }).then === "function") throw promisedIn(step, returned);
          } catch (error) {
            throw fail(error, item);
          }
          next(item);
        };
      }
    }
  }
}
