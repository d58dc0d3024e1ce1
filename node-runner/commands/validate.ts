/**
 * `eddy validate FLOW.json`: every problem of the file, one per line as
 * `path (step id): message [line:col]`, then exit 2; or "FLOW.json is valid" and exit 0. Either
 * way, the steps that do not run (disabled or skipped) are listed, with the warnings inside them.
 * Nothing of the flow's code runs: functions are checked (engine/flow/functionSource.ts) and
 * compiled by V8 without being called (a syntax error is reported with its step and line); `$env`
 * variables need not be set, since validating is not running.
 */

import { EXIT, type ExitCode } from "../exitCodes.js";
import { FlowFileError, compileFlowText, formatProblem, inactiveLines, readFlowFile, type CompiledFlowFile } from "../flowFile.js";
import { formatReport, reportError, startExitCodeOf } from "../errors/report.js";
import { checkOnlyVmCompiler } from "../functions/vmCompiler.js";

/** Any `$env` name resolves to a placeholder: validation checks the flow, not this environment. */
const ANY_ENV: Record<string, string> = new Proxy(
  {},
  {
    get: (_target, name) => (typeof name === "string" ? `<$env ${name}>` : undefined),
    has: () => true,
    getOwnPropertyDescriptor: (_target, name) => (typeof name === "string" ? { value: `<$env ${name}>`, enumerable: true, configurable: true, writable: false } : undefined),
  },
);

export function validateCommand(file: string): ExitCode {
  let compiled: CompiledFlowFile;
  try {
    compiled = compileFlowText(readFlowFile(file), file, ANY_ENV, checkOnlyVmCompiler);
  } catch (error) {
    if (error instanceof FlowFileError) {
      if (error.problems.length === 0) process.stderr.write(`${error.message}\n`);
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      for (const note of error.notes) process.stderr.write(`${note}\n`);
      const count = error.problems.length;
      if (count > 0) process.stderr.write(`${file}: ${count} problem${count === 1 ? "" : "s"}\n`);
      return EXIT.INVALID_FLOW;
    }
    const report = reportError(error);
    if (startExitCodeOf(report) === EXIT.INVALID_FLOW) {
      process.stderr.write(`${file}: ${report.message}\n`);
      return EXIT.INVALID_FLOW;
    }
    process.stderr.write(`eddy: unexpected error: ${formatReport(report, { stack: true })}\n`);
    return EXIT.INTERNAL;
  }
  for (const note of inactiveLines(compiled)) process.stderr.write(`${note}\n`);
  process.stderr.write(`${file} is valid${validSummary(compiled)}\n`);
  return EXIT.OK;
}

/** " (2 steps do not run, 1 warning)", or nothing when every step runs. */
function validSummary({ inactive, warnings }: CompiledFlowFile): string {
  if (inactive.length === 0) return "";
  const steps = inactive.length === 1 ? "1 step does not run" : `${inactive.length} steps do not run`;
  const warned = warnings.length === 0 ? "" : warnings.length === 1 ? ", 1 warning" : `, ${warnings.length} warnings`;
  return ` (${steps}${warned})`;
}
