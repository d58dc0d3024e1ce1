/**
 * `eddy validate FLOW.json`: every problem of the file, one per line as
 * `path (step id): message [line:col]`, then exit 2; or "FLOW.json is valid" and exit 0.
 * Nothing of the flow's code runs: functions are checked (engine/flow/functionSource.ts) and
 * compiled by V8 without being called (a syntax error is reported with its step and line); `$env`
 * variables need not be set, since validating is not running.
 */

import { EXIT, type ExitCode } from "../exitCodes.js";
import { FlowFileError, compileFlowText, formatProblem, readFlowFile } from "../flowFile.js";
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
  try {
    compileFlowText(readFlowFile(file), file, ANY_ENV, checkOnlyVmCompiler);
  } catch (error) {
    if (error instanceof FlowFileError) {
      if (error.problems.length === 0) process.stderr.write(`${error.message}\n`);
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
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
  process.stderr.write(`${file} is valid\n`);
  return EXIT.OK;
}
