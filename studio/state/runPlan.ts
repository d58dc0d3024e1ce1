/**
 * What a simulated run of the document runs. The studio forgives: a step that is not connected yet
 * or is half-configured (it has problems of its own) is *unfinished*, and runs skip it as if it
 * were disabled, with its problems shown as warnings, so that one stray step never blocks the
 * run. Steps fed only by disabled, unfinished or skipped steps are skipped too.
 *
 * An unfinished step stays an error (the run is refused) when skipping it would leave no input or
 * no capture that runs: then it is what stops the flow, and skipping it would only hide why.
 * Steps the user disabled are disabled in the flow file; unfinished ones are disabled only in
 * the document a run receives (`runDoc`), never in the document or an export (the runner refuses
 * an unconnected step that is not disabled). Memoized on document identity.
 */

import { validateFlowReport, type FlowDefinition, type FlowProblem, type FlowValidation } from "../../engine/host/index.js";
import { stepActivity } from "../../engine/host/index.js";
import { setDisabled } from "./disable.js";
import { isObject, stepKeys, stepsOf } from "./steps.js";

/** Why a step does not run: the user disabled it, it is unfinished, or every step that feeds it does not run. */
export type NotRunReason = "disabled" | "unfinished" | "skipped";

export interface RunPlan {
  /** The document a run runs: `doc` with its unfinished steps disabled (`doc` itself when it has none). */
  readonly runDoc: FlowDefinition;
  /** The steps that do not run, by step key. */
  readonly notRun: ReadonlyMap<string, NotRunReason>;
  /** Validation of `runDoc`: errors refuse the run; warnings are the problems of steps that do not run. */
  readonly report: FlowValidation;
}

const cache = new WeakMap<FlowDefinition, RunPlan>();

/**
 * The run plan of `doc`.
 *
 * @example
 * // source → transform → out, and a map "stray" that nothing feeds
 * runPlan(doc).notRun   // Map { "stray" => "unfinished" }
 * runPlan(doc).report   // errors [], warnings [FLOW_MISSING_FIELD at /steps/3/after]
 */
export function runPlan(doc: FlowDefinition): RunPlan {
  const cached = cache.get(doc);
  if (cached) return cached;
  const steps = stepsOf(doc);
  let unfinished = new Set<number>();
  let runDoc = doc;
  let report = validateFlowReport(doc);
  const kept = new Set<number>(); // unfinished steps that stay errors: skipping them leaves nothing to run
  for (let round = 0; round <= steps.length; round++) {
    const more = stepsWithErrors(report.errors, steps).filter((index) => !unfinished.has(index) && !kept.has(index));
    if (more.length === 0) break;
    let candidate = new Set([...unfinished, ...more]);
    let candidateReport = validateFlowReport(setDisabled(doc, [...candidate], true));
    const lost = nothingRuns(candidateReport.errors, report.errors);
    if (lost.input || lost.capture) {
      const essential = essentialSteps(doc, more, lost);
      for (const index of essential) kept.add(index);
      if (essential.length === more.length) break;
      candidate = new Set([...unfinished, ...more.filter((index) => !essential.includes(index))]);
      candidateReport = validateFlowReport(setDisabled(doc, [...candidate], true));
    }
    unfinished = candidate;
    runDoc = setDisabled(doc, [...unfinished], true);
    report = candidateReport;
  }
  const keys = stepKeys(doc);
  const notRun = new Map<string, NotRunReason>();
  for (const step of report.inactive) notRun.set(keys[step.index]!, unfinished.has(step.index) ? "unfinished" : step.reason);
  const plan: RunPlan = { runDoc, notRun, report };
  cache.set(doc, plan);
  return plan;
}

/** What a step that does not run shows on the canvas: "disabled", "skipped: not connected", ... */
export function notRunLabel(reason: NotRunReason, problems: readonly FlowProblem[] = []): string {
  return reason === "disabled" ? "disabled" : `skipped: ${notRunWhy(reason, problems)}`;
}

/** Why runs skip a step, in a few words: "disabled", "not connected", "it has problems", "only steps that do not run feed it". */
export function notRunWhy(reason: NotRunReason, problems: readonly FlowProblem[] = []): string {
  if (reason === "disabled") return "disabled";
  if (reason === "skipped") return "only steps that do not run feed it";
  return problems.some(isUnconnected) ? "not connected" : "it has problems";
}

/** Whether a problem says that nothing feeds the step (its `after` is missing). */
export function isUnconnected(problem: FlowProblem): boolean {
  return problem.code === "FLOW_MISSING_FIELD" && /^\/steps\/\d+\/after$/.test(problem.path);
}

/** What a step on the canvas says about a problem: the validator's message, or how to connect an unconnected step. */
export function problemOnCanvas(problem: FlowProblem): string {
  return isUnconnected(problem) ? "Nothing feeds this step: drag from another step's right handle to its left handle." : problem.message;
}

/** The indices of the steps (objects: they can carry `disabled`) that errors are inside. */
function stepsWithErrors(errors: readonly FlowProblem[], steps: readonly unknown[]): number[] {
  const found = new Set<number>();
  for (const problem of errors) {
    const index = /^\/steps\/(\d+)(\/|$)/.exec(problem.path)?.[1];
    if (index !== undefined && isObject(steps[Number(index)])) found.add(Number(index));
  }
  return [...found].sort((a, b) => a - b);
}

/** Whether skipping took away the last input or capture that runs (an error that was not there before). */
function nothingRuns(after: readonly FlowProblem[], before: readonly FlowProblem[]): { input: boolean; capture: boolean } {
  const has = (problems: readonly FlowProblem[], code: string) => problems.some((problem) => problem.code === code);
  return { input: has(after, "FLOW_NO_INPUT") && !has(before, "FLOW_NO_INPUT"), capture: has(after, "FLOW_NO_CAPTURE") && !has(before, "FLOW_NO_CAPTURE") };
}

/** Of `candidates`, the inputs (when no input would run) and the steps on a way to a capture (when no capture would). */
function essentialSteps(doc: FlowDefinition, candidates: readonly number[], lost: { input: boolean; capture: boolean }): number[] {
  const steps = stepsOf(doc);
  const op = (index: number) => (isObject(steps[index]) ? (steps[index] as unknown as Record<string, unknown>).op : undefined);
  const { upstream } = stepActivity(doc);
  const feedsCapture = new Set<number>();
  const queue = steps.flatMap((_, index) => (op(index) === "capture" ? [index] : []));
  for (const index of queue) feedsCapture.add(index);
  for (let head = 0; head < queue.length; head++) {
    for (const up of upstream[queue[head]!]!) {
      if (feedsCapture.has(up)) continue;
      feedsCapture.add(up);
      queue.push(up);
    }
  }
  return candidates.filter((index) => (lost.input && op(index) === "input") || (lost.capture && feedsCapture.has(index)));
}
