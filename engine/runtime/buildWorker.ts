/**
 * Builds one worker's runtime nodes from the plan: readers from input configs, writers from output
 * configs, logic for keyed steps. Builders of user inputs and outputs are called here, once per
 * worker per step, as in Bytewax.
 */

import type { CaptureStep, InputStep, KeyedStep, StatelessStep } from "../dataflow/steps.js";
import { recordFailureContext } from "../errors.js";
import { openInput, openOutput } from "../host/dispatch.js";
import { codeGenerator, type Host } from "../host/host.js";
import type { KeyedLogic, LogicContext } from "../operators/keyedLogic.js";
import { JoinLogic } from "../operators/join.js";
import { ReduceLogic } from "../operators/reduce.js";
import { StatefulMapLogic } from "../operators/statefulMap.js";
import type { InputReader } from "../ports/source.js";
import type { SinkWriter } from "../ports/sink.js";
import type { Endpoint } from "../ports/transport.js";
import { createWindower } from "../windows/createWindower.js";
import { accumulatorOf } from "../windows/windowAccumulators.js";
import { WindowLogic } from "../windows/windowLogic.js";
import { JoinWindowLogic } from "../windows/joinWindowLogic.js";
import { CaptureNode } from "./captureNode.js";
import { ChainNode } from "./chainNode.js";
import { ExchangeTarget } from "./exchange.js";
import { KeyedNode } from "./keyedNode.js";
import { LocalTarget, type RuntimeNode } from "./runtimeNode.js";
import type { Plan } from "./plan.js";
import { SourceNode, type EpochPolicy } from "./sourceNode.js";
import { Worker } from "./worker.js";
import type { WorkerRecovery } from "./recoveryStart.js";

export interface WorkerSettings {
  readonly epochPolicy: EpochPolicy;
  readonly startEpoch: number;
  readonly host: Host;
  /** System time when the run started: the default start of tumbling and sliding windows. */
  readonly startedAt: number;
  /** Wakes the scheduler when an async input has data. */
  readonly wake: () => void;
  /** This worker's recovery: its partition writer and the state it resumes with. */
  readonly recovery: WorkerRecovery | undefined;
}

export function buildWorker(plan: Plan, endpoint: Endpoint, settings: WorkerSettings): Worker {
  const recovery = settings.recovery;
  const worker = new Worker(endpoint, settings.host.clock, settings.startEpoch, recovery?.writer);
  const { workerCount } = endpoint;
  // With plain items, one worker has an exchange too: the plain-data check is the same for any count.
  const plainItems = settings.host.plainItems;
  const exchanges = workerCount > 1 || plainItems;
  const senderCounts = plan.nodes.map((node) => node.inputs.map(() => (node.kind === "keyed" && exchanges ? workerCount : 1)));
  const notifies: boolean[] = [];
  const sources: SourceNode[] = [];

  const nodes: RuntimeNode[] = plan.nodes.map((planNode, index) => {
    const step = planNode.steps[0]!;
    const counts = senderCounts[index]!;
    switch (planNode.kind) {
      case "source": {
        const input = step as InputStep;
        const reader = guarded(worker, input.stepId, "input", () => buildReader(input, endpoint, settings));
        const source = new SourceNode(input.stepId, worker, reader, settings.epochPolicy, settings.startEpoch, settings.host.clock.now());
        sources.push(source);
        notifies.push(reader.notifiesOnData === true);
        return source;
      }
      case "capture": {
        const capture = step as CaptureStep;
        let node: CaptureNode | undefined;
        const sink = guarded(worker, capture.stepId, "capture", () =>
          buildSink(capture, endpoint, settings, (error, item) => (node ? node.failedOnItem(error, item) : error)),
        );
        node = new CaptureNode(capture.stepId, worker, counts, settings.startEpoch, sink);
        return node;
      }
      case "chain":
        return new ChainNode(planNode.steps as StatelessStep[], worker, counts, settings.startEpoch, codeGenerator(settings.host));
      case "keyed": {
        const keyed = step as KeyedStep;
        const node = new KeyedNode(keyed.stepId, keyed.op, worker, counts, settings.startEpoch, settings.host.clock);
        const ctx: LogicContext = {
          stepId: keyed.stepId,
          op: keyed.op,
          checkKeys: !exchanges,
          failedOn: (error, item) => node.badItem(error, item),
          recording: recovery !== undefined,
        };
        const logic = buildLogic(keyed, ctx, settings);
        for (const [key, state] of recovery?.keyedStates.get(keyed.stepId) ?? []) logic.restore(key, state);
        node.logic = logic;
        return node;
      }
    }
  });

  for (const edge of plan.edges) {
    const target = nodes[edge.to]!;
    const from = nodes[edge.from]!;
    (edge.output === "late" ? from.lateTargets : from.targets).push(
      plan.nodes[edge.to]!.kind === "keyed" && exchanges
        ? new ExchangeTarget(endpoint, target, edge.to, edge.port, plainItems, (error, item) => (target as KeyedNode).badItem(error, item))
        : new LocalTarget(target, edge.port),
    );
  }
  worker.attach(nodes, sources, notifies);
  return worker;
}

/** Runs a user builder, attributing what it throws to its step and worker. */
function guarded<T>(worker: Worker, stepId: string, op: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw recordFailureContext(error, { stepId, op, workerIndex: worker.workerIndex, itemPreview: undefined });
  }
}

function buildReader(step: InputStep, endpoint: Endpoint, settings: WorkerSettings): InputReader {
  const { workerIndex, workerCount } = endpoint;
  const resumeState = settings.recovery?.workerStates.get(step.stepId);
  const testingEpochs = settings.epochPolicy.kind === "testing";
  return openInput(settings.host, step.config, { stepId: step.stepId, workerIndex, workerCount, resumeState, wake: settings.wake, testingEpochs });
}

function buildSink(step: CaptureStep, endpoint: Endpoint, settings: WorkerSettings, failedOn: (error: unknown, item: unknown) => unknown): SinkWriter {
  const { workerIndex, workerCount } = endpoint;
  const sink = openOutput(settings.host, step.config, {
    stepId: step.stepId,
    workerIndex,
    workerCount,
    writeStdout: settings.host.writeStdout,
    recording: settings.recovery !== undefined,
    failedOn,
  });
  const saved = settings.recovery?.workerStates.get(step.stepId);
  if (saved !== undefined) sink.restore?.(saved);
  return sink;
}

function buildLogic(step: KeyedStep, ctx: LogicContext, settings: WorkerSettings): KeyedLogic {
  switch (step.op) {
    case "reduce":
      return new ReduceLogic(step, ctx);
    case "stateful_map":
      return new StatefulMapLogic(step, ctx);
    case "join":
      return new JoinLogic(step, ctx);
    case "join_window":
      return new JoinWindowLogic(step.clock, createWindower(step.window, settings.startedAt), step, ctx);
    case "reduce_window":
    case "fold_window":
    case "collect_window":
    case "count_window":
      return new WindowLogic(step.clock, createWindower(step.window, settings.startedAt), accumulatorOf(step), ctx, step.withWindow === true);
  }
}
