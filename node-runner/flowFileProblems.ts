/**
 * A flow file's text and its problems, as the runner reads and prints them: what the runner needs
 * before it checks the flow (flowFile.ts, with the schema), so that it can read the file and start
 * the worker threads without loading the schema first.
 *
 * ```ts
 * const text = readFlowFile("flow.json"); // throws a FlowFileError when it cannot be read
 * formatProblem({ path: "/steps/0", stepId: "in", message: "no input" }); // "/steps/0 (in): no input"
 * ```
 */

import { readFileSync } from "node:fs";

/** A problem of a flow file, as the runner prints it: `path (step id): message [line:col]`. */
export interface Problem {
  readonly path: string;
  readonly stepId?: string | undefined;
  readonly message: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly code?: string | undefined;
}

/** A flow file that cannot run: unreadable, invalid (every problem listed), or naming a `$env` variable that is not set. */
export class FlowFileError extends Error {
  constructor(
    message: string,
    readonly problems: readonly Problem[],
    /** Lines about the steps that do not run and their warnings (`inactiveLines`), said after the problems. */
    readonly notes: readonly string[] = [],
  ) {
    super(message);
    this.name = "FlowFileError";
  }
}

/** The flow file's text; a file that cannot be read is a FlowFileError saying why. */
export function readFlowFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new FlowFileError(`${path}: cannot read the flow file: ${reason}`, []);
  }
}

/** One problem as a line: `path (step id): message [line:col]` (the path `/` for the whole file). */
export function formatProblem(problem: Problem): string {
  const where = problem.path === "" ? "/" : problem.path;
  const step = problem.stepId !== undefined ? ` (${problem.stepId})` : "";
  const at = problem.line !== undefined ? ` [${problem.line}:${problem.column ?? 1}]` : "";
  return `${where}${step}: ${problem.message}${at}`;
}
