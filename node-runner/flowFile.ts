/**
 * Flow files for the runner: check (every problem, never a throw on user input), compile with the
 * `node:vm` function compiler, and make the file paths in the flow absolute. Reading the file and
 * its problems are in flowFileProblems.ts, which does not load the schema (zod) that this does.
 *
 * Relative paths in a flow file (`file` inputs and outputs, `execution.recovery.dir`) are relative
 * to the directory of the flow file, so a flow runs the same from any working directory. Paths on
 * the command line (`--recovery-dir`) are relative to the working directory, as usual.
 */

import { dirname, resolve } from "node:path";
import type { EpochConfig } from "../engine/host/index.js";
import { FileOutputConfig } from "../engine/host/index.js";
import { FileRecoveryConfig, type RecoveryConfig } from "../engine/host/index.js";
import type { Blueprint } from "../engine/host/index.js";
import { compileFlow, inactiveReason, parseFlow, validateFlowReport, type FlowDefinition, type FunctionCompiler, type InactiveStep } from "../engine/host/index.js";
import { envReferences } from "../engine/host/index.js";
import { errorCodeInfo } from "../engine/host/index.js";
import { vmCompiler } from "./functions/vmCompiler.js";
import { withAbsolutePaths } from "./flowPaths.js";
import { FlowFileError, formatProblem, type Problem } from "./flowFileProblems.js";

export { FlowFileError, formatProblem, readFlowFile, type Problem } from "./flowFileProblems.js";

export interface CompiledFlowFile {
  /** The flow file's absolute path and text (threads compile the same text). */
  readonly path: string;
  readonly text: string;
  readonly flow: Blueprint;
  readonly epochConfig: EpochConfig | undefined;
  readonly recoveryConfig: RecoveryConfig | undefined;
  readonly workers: number | undefined;
  /** The steps that do not run (disabled, or skipped: every step that feeds them is disabled or skipped). */
  readonly inactive: readonly InactiveStep[];
  /** Problems inside those steps: they do not keep the flow from running. */
  readonly warnings: readonly Problem[];
}

/**
 * Every problem of the flow file's text: JSON syntax, then the schema and the flow's shape;
 * `warnings` are the problems inside steps that do not run (`inactive`), which do not stop a run.
 */
export function checkFlowText(text: string): { problems: Problem[]; warnings: Problem[]; inactive: InactiveStep[]; json?: unknown } {
  const parsed = parseFlow(text);
  if (!parsed.ok) return { problems: parsed.problems.map(toProblem), warnings: [], inactive: [] };
  const report = validateFlowReport(parsed.value);
  return { problems: report.errors.map(toProblem), warnings: report.warnings.map(toProblem), inactive: report.inactive, json: parsed.value };
}

/**
 * What `eddy validate` and `eddy run` say about the steps that do not run: one line each,
 * `/steps/N (id): not run: disabled`, then each warning as `path (id): warning: message`.
 */
export function inactiveLines(compiled: Pick<CompiledFlowFile, "inactive" | "warnings">): string[] {
  return [
    ...compiled.inactive.map((step) => formatProblem({ path: `/steps/${step.index}`, stepId: step.stepId, message: `not run: ${inactiveReason(step)}` })),
    ...compiled.warnings.map((warning) => formatProblem({ ...warning, message: `warning: ${warning.message}` })),
  ];
}

/** The `$env` names the flow file's text refers to (none when it is not JSON). */
export function envNamesOf(text: string): string[] {
  const parsed = parseFlow(text);
  return parsed.ok ? envReferences(parsed.value) : [];
}

/**
 * Checks and compiles a flow file's text with the vm compiler (or `compileFunction`: `eddy validate`
 * passes one that never runs anything). Throws a `FlowFileError` listing every problem, or for a
 * missing `$env` variable.
 */
export function compileFlowText(
  text: string,
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  compileFunction: FunctionCompiler = vmCompiler,
): CompiledFlowFile {
  const { problems, warnings, inactive, json } = checkFlowText(text);
  if (problems.length > 0) throw new FlowFileError(`${path} is not a valid flow file`, problems, inactiveLines({ inactive, warnings }));
  let compiled: ReturnType<typeof compileFlow>;
  try {
    compiled = compileFlow(json as FlowDefinition, { compileFunction, env });
  } catch (error) {
    throw flowFileErrorOf(error, path);
  }
  const base = dirname(resolve(path));
  const flow = withAbsolutePaths(compiled.flow, base);
  const duplicate = duplicateOutputPath(flow);
  if (duplicate) {
    throw new FlowFileError(`${path} is not a valid flow file`, [
      { path: "/steps", stepId: duplicate.stepId, message: `two captures write the same file ${duplicate.path}`, code: "FLOW_OUTPUT_CONFLICT" },
    ]);
  }
  let recoveryConfig = compiled.recoveryConfig;
  if (recoveryConfig instanceof FileRecoveryConfig) recoveryConfig = new FileRecoveryConfig(resolve(base, recoveryConfig.dbDir));
  return { path: resolve(path), text, flow, epochConfig: compiled.epochConfig, recoveryConfig, workers: compiled.workers, inactive, warnings };
}

function flowFileErrorOf(error: unknown, path: string): unknown {
  const own = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const code = typeof own["code"] === "string" ? own["code"] : "";
  if (Array.isArray(own["problems"]) && own["problems"].length > 0) {
    return new FlowFileError(`${path} is not a valid flow file`, (own["problems"] as unknown[]).map(toProblem));
  }
  if (code === "FLOW_ENV_MISSING") {
    return new FlowFileError(`${path} cannot run here: ${String(own["message"])}`, []);
  }
  if (errorCodeInfo(code)?.area === "flow") {
    const stepId = typeof own["stepId"] === "string" ? own["stepId"] : undefined;
    const line = typeof own["line"] === "number" ? own["line"] : undefined;
    return new FlowFileError(`${path} is not a valid flow file`, [{ path: pathOfField(own), stepId, message: String(own["message"]), line, code }]);
  }
  return error;
}

function pathOfField(own: Record<string, unknown>): string {
  return typeof own["path"] === "string" ? own["path"] : Array.isArray(own["path"]) ? formatPath(own["path"]) : "";
}

/** A FlowProblem (whatever the shape of its path) as a runner `Problem`. */
function toProblem(raw: unknown): Problem {
  const own = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === "number" ? value : undefined);
  return {
    path: pathOfField(own),
    stepId: typeof own["stepId"] === "string" ? own["stepId"] : undefined,
    message: typeof own["message"] === "string" ? own["message"] : String(raw),
    line: number(own["line"]),
    column: number(own["column"]),
    code: typeof own["code"] === "string" ? own["code"] : undefined,
  };
}

/** ["steps", 2, "fn"] → "steps[2].fn" */
function formatPath(segments: readonly unknown[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function duplicateOutputPath(flow: Blueprint): { stepId: string; path: string } | undefined {
  const seen = new Set<string>();
  for (const step of flow.steps) {
    if (step.op !== "capture" || !(step.config instanceof FileOutputConfig)) continue;
    if (seen.has(step.config.path)) return { stepId: step.stepId, path: step.config.path };
    seen.add(step.config.path);
  }
  return undefined;
}
