/**
 * Fused stateless steps. Consecutive `map`, `flat_map`, `filter`, `inspect` and `inspect_epoch`
 * steps run as one loop per batch: no intermediate arrays, no per-item queues. The loop is
 * generated code where the host allows it (chainCompiler.ts), else a pipeline of closures
 * (chainClosures.ts); both are assembled from the one definition of each op in
 * operators/statelessOps.ts. A failing user function is reported with its own step and item; the
 * error object itself passes through unchanged.
 */

import type { StatelessStep } from "../dataflow/steps.js";
import { recordFailureContext } from "../errors.js";
import { preview } from "../preview.js";
import { closureChain } from "./chainClosures.js";
import { compileChain, type CompiledChain } from "./chainCompiler.js";
import type { FunctionGenerator } from "./generatedCode.js";
import { RuntimeNode, type WorkerServices } from "./runtimeNode.js";

export class ChainNode extends RuntimeNode {
  /** The chain's loop: generated when code generation is allowed, closures otherwise. */
  private readonly run: CompiledChain;
  private readonly failedAt: (error: unknown, stage: number, item: unknown) => unknown;
  /** The chain's last step: its items out are the chain's (workerMetrics.ts). */
  private readonly lastStepId: string;

  constructor(
    steps: readonly StatelessStep[],
    worker: WorkerServices,
    senderCounts: readonly number[],
    startEpoch: number,
    /** How generated code is compiled (Host.generateFunction), where the host allows it (Host.codeGeneration); closures run otherwise. */
    generate: FunctionGenerator | undefined,
  ) {
    super(steps[0]!.stepId, steps[0]!.op, worker, senderCounts, startEpoch);
    this.lastStepId = steps[steps.length - 1]!.stepId;
    this.run = generate !== undefined ? compileChain(steps, generate) : closureChain(steps);
    this.failedAt = (error, stage, item) => {
      const step = steps[stage]!;
      return recordFailureContext(error, { stepId: step.stepId, op: step.op, workerIndex: this.worker.workerIndex, itemPreview: preview(item) });
    };
  }

  override get outStepId(): string {
    return this.lastStepId;
  }

  protected push(_port: number, epoch: number, items: unknown[]): void {
    const out: unknown[] = [];
    this.run(items, out, epoch, this.failedAt);
    this.emit(epoch, out);
  }
}
