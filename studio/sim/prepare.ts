/**
 * Turning a flow definition into the blueprint a simulated run executes. It is the flow the runner
 * would run (compileFlow with the samples: disabled and skipped steps are left out, as the runner
 * leaves them out), rewritten in three ways:
 *
 * 1. Inputs read their `sample`. One with `sample.intervalMs` emits its items paced by the run's
 *    clock (`timedSampleInput`). An input that needs Node or a broker (file, Kafka) and has no
 *    sample cannot run in a browser: every such step is reported before anything runs.
 * 2. Every capture step writes to an in-browser sink that formats each item exactly as the runner's
 *    output would (`stdoutLine` for stdout, `fileLine` for files; a JSON line, else a preview, for
 *    function and Kafka outputs, whose real sinks are never called), so a preview is safe.
 * 3. After every other step, a tap records the step's output for the live view; after every
 *    window step, a second tap on its `late` output counts its late items.
 *
 * Why the taps are capture steps: a capture passes its batch on unchanged, and its sink is built
 * once per worker through the output adapter registry (`OutputContext.workerIndex`), so a tap gets
 * whole batches with their epoch and worker, at no cost per item, without any hook in the engine.
 * (An `inspect_epoch` tap would be called per item, and a blueprint's functions are shared by every
 * worker, so it could not tell the worker.) The price: stateless steps are no longer fused into one
 * chain, which a simulation can afford. Taps and in-browser sinks keep no state (`keepsState` is
 * false), so the steps that recovery persists (inputs, keyed steps) and their ids are those of the
 * flow: a resumed simulation sees the same flow as the run that stored the snapshots.
 */

import { type EpochConfig } from "../../engine/host/index.js";
import { ManualInputConfig, distribute } from "../../engine/host/index.js";
import { OutputConfig } from "../../engine/host/index.js";
import type { OutputContext } from "../../engine/host/index.js";
import { fileLine, stdoutLine } from "../../engine/host/index.js";
import type { Blueprint, InputStep, Step, UpstreamRef } from "../../engine/host/index.js";
import { STEP_KINDS, upstreamOutput, upstreamStep } from "../../engine/host/index.js";
import { EddyError, recordFailureContext } from "../../engine/host/index.js";
import { FlowInvalidError, compileFlow, type FunctionCompiler } from "../../engine/host/index.js";
import type { FlowDefinition } from "../../engine/host/index.js";
import { isInactive, migrateFlow, stepActivity, validateFlow } from "../../engine/host/index.js";
import type { Clock } from "../../engine/host/index.js";
import type { SinkWriter } from "../../engine/host/index.js";
import { preview } from "../../engine/host/index.js";
import type { LiveRecorder, OutputCollector, StepStats } from "./liveStats.js";
import type { SimulationProblem } from "./simulatorApi.js";

/** Thrown when the flow is valid but cannot run in the studio; `problems` lists every reason. */
export class FlowNotRunnableError extends EddyError {
  readonly problems: readonly SimulationProblem[];
  constructor(problems: readonly SimulationProblem[]) {
    super(problems[0]?.code ?? "SIM_NOT_RUNNABLE", problems.map((problem) => problem.message).join("\n"));
    this.name = "FlowNotRunnableError";
    this.problems = problems;
  }
}

export interface PreparedFlow {
  readonly flow: Blueprint;
  /** The flow's `execution.epoch`; undefined means the runner's default (periodic, 10 s). */
  readonly epochConfig: EpochConfig | undefined;
}

/**
 * `$env` values are never needed in the studio (outputs are replaced, inputs read samples, the
 * recovery block is ignored), so every reference resolves to a placeholder instead of failing.
 */
const placeholderEnv: Readonly<Record<string, string | undefined>> = new Proxy({}, { get: (_target, name) => (typeof name === "string" ? `<$env ${name}>` : undefined) });

/**
 * Validates, checks the samples, compiles (with `compileFunction`, the engine's default compiler
 * when absent) and instruments `json`; throws FlowInvalidError or FlowNotRunnableError.
 */
export function prepareFlow(json: unknown, recorder: LiveRecorder, clock: Clock, compileFunction?: FunctionCompiler): PreparedFlow {
  const problems = validateFlow(json);
  if (problems.length > 0) throw new FlowInvalidError(problems);
  const definition = migrateFlow(json) as FlowDefinition;
  const missing = missingSamples(definition);
  if (missing.length > 0) throw new FlowNotRunnableError(missing);
  const compiled = compileFlow(definition, { useSamples: true, env: placeholderEnv, ...(compileFunction !== undefined && { compileFunction }) });
  const paced = new Map<string, ManualInputConfig>();
  const activity = stepActivity(definition);
  definition.steps.forEach((step, index) => {
    if (isInactive(activity, index)) return;
    if (step.op === "input" && step.sample?.intervalMs !== undefined) paced.set(step.id, timedSampleInput(step.sample.items, step.sample.intervalMs, clock));
  });
  return { flow: instrument(compiled.flow, recorder, paced), epochConfig: compiled.epochConfig };
}

/** Every input step that runs, needs Node or a broker and has no sample (a disabled one needs none). */
export function missingSamples(definition: FlowDefinition): SimulationProblem[] {
  const problems: SimulationProblem[] = [];
  const activity = stepActivity(definition);
  definition.steps.forEach((step, index) => {
    if (isInactive(activity, index)) return;
    if (step.op !== "input" || step.sample || step.input.type === "list" || step.input.type === "function") return;
    const kind = step.input.type === "kafka" ? "a Kafka" : `a ${step.input.type}`;
    problems.push({
      stepId: step.id,
      path: `/steps/${index}/sample`,
      code: "SIM_SAMPLE_MISSING",
      message: `Step "${step.id}": ${kind} input needs a sample to run in the studio; add sample items in the side panel`,
    });
  });
  return problems;
}

/**
 * A sample read at a pace: item i of the sample is emitted once `clock.now()` reaches
 * start + i × intervalMs (start: when the run builds the input), distributed over workers as
 * TestingInputConfig's items are. Until an item is due the generator yields `undefined` ("no data
 * yet"), so the engine polls again after its back-off. The resume state is how many items this
 * worker has emitted (as TestingInputConfig's); a resumed run starts its schedule afresh from there.
 */
export function timedSampleInput(items: readonly unknown[], intervalMs: number, clock: Clock): ManualInputConfig {
  return new ManualInputConfig(function* (workerIndex, workerCount, resumeState) {
    const consumed = typeof resumeState === "number" ? resumeState : 0;
    const start = clock.now();
    let emitted = 0;
    let k = 0;
    for (const item of distribute(items, workerIndex, workerCount)) {
      if (k++ < consumed) continue;
      const due = start + (emitted * workerCount + workerIndex) * intervalMs;
      while (clock.now() < due) yield undefined;
      emitted += 1;
      yield [consumed + emitted, item];
    }
  });
}

const TAP = "eddy_sim_tap";
const PREVIEW_OUTPUT = "eddy_sim_output";

/** Records the batches of the step before it. */
class TapConfig extends OutputConfig {
  readonly type = TAP;
  constructor(readonly stats: StepStats) {
    super();
  }
}

type LineFormat = (item: unknown, stepId: string) => string;

/** Collects output lines in place of a capture step's real output. */
class PreviewOutputConfig extends OutputConfig {
  readonly type = PREVIEW_OUTPUT;
  constructor(
    readonly format: LineFormat,
    readonly stats: StepStats,
    readonly output: OutputCollector,
  ) {
    super();
  }
}

/** Function and Kafka outputs take any value: a JSON line when there is one, else a preview. */
const jsonOrPreview: LineFormat = (item, stepId) => {
  try {
    return fileLine(item, stepId);
  } catch {
    return preview(item);
  }
};

function lineFormatOf(config: OutputConfig): LineFormat {
  if (config.type === "stdout") return stdoutLine;
  if (config.type === "file") return fileLine;
  return jsonOrPreview;
}

const tapOutput = (config: TapConfig, ctx: OutputContext): SinkWriter => {
  const { stats } = config;
  const worker = ctx.workerIndex;
  return {
    write: (epoch, items) => stats.record(epoch, worker, items),
    closeEpoch() {},
  };
};

const previewOutput = (config: PreviewOutputConfig, ctx: OutputContext): SinkWriter => {
  const { format, stats, output } = config;
  const { stepId, workerIndex } = ctx;
  return {
    write(epoch, items) {
      for (const item of items) {
        let line: string;
        try {
          line = format(item, stepId);
        } catch (error) {
          throw recordFailureContext(error, { stepId, op: "capture", workerIndex, itemPreview: preview(item) });
        }
        output.add(stepId, workerIndex, epoch, line);
      }
      stats.record(epoch, workerIndex, items);
    },
    closeEpoch() {
      output.epochClosed();
    },
  };
};

/** The outputs `instrument` puts in a flow: the simulation's host has them in its table. */
export const SIMULATION_OUTPUTS = { [TAP]: tapOutput, [PREVIEW_OUTPUT]: previewOutput };

/** The blueprint with paced inputs, preview outputs and a tap after every other step (see the header). */
export function instrument(flow: Blueprint, recorder: LiveRecorder, paced: ReadonlyMap<string, ManualInputConfig>): Blueprint {
  const steps: Step[] = [];
  /** Where the output of original step i now comes from (its tap). */
  const outputOf: number[] = [];
  /** Where original step i is now (its late output comes from there). */
  const placeOf: number[] = [];
  const moved = (ref: UpstreamRef): UpstreamRef =>
    upstreamOutput(ref) === "main" ? outputOf[upstreamStep(ref)]! : { step: placeOf[upstreamStep(ref)]!, output: "late" };
  for (const step of flow.steps) {
    const upstream = step.upstream.map(moved);
    const stats = recorder.step(step.stepId);
    placeOf.push(steps.length);
    if (step.op === "capture") {
      steps.push({ ...step, upstream, config: new PreviewOutputConfig(lineFormatOf(step.config), stats, recorder.output) });
      outputOf.push(steps.length - 1);
      continue;
    }
    const pacedInput = step.op === "input" ? paced.get(step.stepId) : undefined;
    const copy = { ...step, upstream } as Step;
    steps.push(pacedInput ? { ...(copy as InputStep), config: pacedInput } : copy);
    const place = steps.length - 1;
    outputOf.push(steps.length);
    steps.push({ op: "capture", stepId: `${step.stepId}:tap`, upstream: [place], config: new TapConfig(stats) });
    if (STEP_KINDS[step.op].windowed) {
      steps.push({ op: "capture", stepId: `${step.stepId}:late-tap`, upstream: [{ step: place, output: "late" }], config: new TapConfig(recorder.late(step.stepId)) });
    }
  }
  return { steps, ...(flow.inactiveStepIds !== undefined && { inactiveStepIds: flow.inactiveStepIds }) };
}
