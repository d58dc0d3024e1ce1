/**
 * A worker thread's flow: the text of the flow file that the main thread read, checked and
 * compiled (flowFile.ts `compileFlowText`), compiled again here because functions cannot cross
 * threads. It is not validated again: the text is the same, and leaving validation out keeps the
 * schema (zod, the largest part of the runner's code) out of every thread's start-up.
 */

import { dirname } from "node:path";
import { compileCheckedFlow, type Blueprint, type FlowDefinition, type FunctionCompiler } from "../../engine/host/index.js";
import { withAbsolutePaths } from "../flowPaths.js";

/** `path` is the flow file's absolute path; `$env` references are read from `env`. */
export function compileCheckedFlowText(text: string, path: string, env: Readonly<Record<string, string | undefined>>, compileFunction: FunctionCompiler): Blueprint {
  const compiled = compileCheckedFlow(JSON.parse(text) as FlowDefinition, { compileFunction, env });
  return withAbsolutePaths(compiled.flow, dirname(path));
}
