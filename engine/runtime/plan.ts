/**
 * Planning: turns a blueprint into plan nodes, the same for every worker. Stateless steps that
 * follow each other with no branch in between are fused into one chain; every other step is a
 * node of its own. Edges into keyed steps are exchanges when there is more than one worker. An edge
 * leaves its node's main output, or a window step's `late` output.
 */

import { isKeyed, isStateless, upstreamOutput, upstreamStep, type Blueprint, type Step, type StepOutput } from "../dataflow/steps.js";
import { EddyError } from "../errors.js";

export interface PlanNode {
  readonly kind: "source" | "chain" | "keyed" | "capture";
  /** The steps of the node: several for a fused chain, one otherwise. */
  readonly steps: Step[];
  /** Upstream plan nodes, one per input port. */
  readonly inputs: number[];
  /** Which output of each upstream node feeds the port. */
  readonly inputOutputs: StepOutput[];
}

export interface PlanEdge {
  readonly from: number;
  /** The output of `from` the edge leaves. */
  readonly output: StepOutput;
  readonly to: number;
  readonly port: number;
}

export interface Plan {
  readonly nodes: readonly PlanNode[];
  readonly edges: readonly PlanEdge[];
}

/** Checks the flow's shape and plans it. Throws for a flow without input or without capture. */
export function planDataflow(blueprint: Blueprint): Plan {
  const steps = blueprint.steps;
  if (!steps.some((step) => step.op === "input")) throw new EddyError("FLOW_NO_INPUT", "Dataflow needs to contain at least one input");
  if (!steps.some((step) => step.op === "capture")) throw new EddyError("FLOW_NO_CAPTURE", "Dataflow needs to contain at least one capture");

  const downstreamCount = new Array<number>(steps.length).fill(0);
  for (const step of steps) for (const up of step.upstream) downstreamCount[upstreamStep(up)]! += 1;

  const nodeOfStep: number[] = [];
  const nodes: PlanNode[] = [];
  steps.forEach((step, index) => {
    const only = step.upstream.length === 1 ? step.upstream[0]! : undefined;
    const up = only !== undefined && upstreamOutput(only) === "main" ? upstreamStep(only) : -1;
    if (isStateless(step) && up >= 0 && isStateless(steps[up]!) && downstreamCount[up] === 1) {
      const chain = nodeOfStep[up]!;
      nodes[chain]!.steps.push(step);
      nodeOfStep[index] = chain;
      return;
    }
    nodeOfStep[index] = nodes.length;
    nodes.push({
      kind: kindOf(step),
      steps: [step],
      inputs: step.upstream.map((ref) => nodeOfStep[upstreamStep(ref)]!),
      inputOutputs: step.upstream.map(upstreamOutput),
    });
  });

  const edges: PlanEdge[] = [];
  nodes.forEach((node, to) => node.inputs.forEach((from, port) => edges.push({ from, output: node.inputOutputs[port]!, to, port })));
  return { nodes, edges };
}

function kindOf(step: Step): PlanNode["kind"] {
  if (step.op === "input") return "source";
  if (step.op === "capture") return "capture";
  return isKeyed(step) ? "keyed" : "chain";
}
