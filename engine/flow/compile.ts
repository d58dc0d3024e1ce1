/**
 * Compiling a flow definition: validation (every problem, `FlowInvalidError`), then the blueprint
 * (compileChecked.ts).
 */

import { compileCheckedFlow, type CompileFlowOptions, type CompiledFlow } from "./compileChecked.js";
import { EddyError } from "../errors.js";
import type { FlowProblem } from "./problems.js";
import type { FlowDefinition } from "./schema.js";
import { validateFlow } from "./validateFlow.js";

export { compileCheckedFlow, defaultFunctionCompiler, type CompileFlowOptions, type CompiledFlow, type FunctionCompiler } from "./compileChecked.js";

/** Thrown by `compileFlow` for an invalid flow; `problems` is every problem `validateFlow` found. */
export class FlowInvalidError extends EddyError {
  readonly problems: readonly FlowProblem[];
  constructor(problems: readonly FlowProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super("FLOW_INVALID", `The flow is invalid (${count}):\n${problems.map((problem) => `- ${problem.path || "/"}: ${problem.message}`).join("\n")}`);
    this.name = "FlowInvalidError";
    this.problems = problems;
  }
}

/** Validates `json` (throwing `FlowInvalidError` listing every problem) and builds its blueprint and configs. */
export function compileFlow(json: FlowDefinition, options: CompileFlowOptions = {}): CompiledFlow {
  const problems = validateFlow(json);
  if (problems.length > 0) throw new FlowInvalidError(problems);
  return compileCheckedFlow(json, options);
}
