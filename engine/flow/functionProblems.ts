/** Validation, pass 3: every function must parse as one JavaScript function expression. */

import { getLineInfo, parseExpressionAt, tokTypes, tokenizer, type Expression } from "acorn";
import { STEP_FUNCTION_FIELDS } from "./schema.js";
import { Context, isObject, knownOp, shown, type Segment, type JsonObject } from "./validateContext.js";

// ---------------------------------------------------------------------------------------------
// 3. Functions

export function functionProblems(context: Context): void {
  const steps = context.steps;
  if (!steps) return;
  steps.forEach((step, index) => {
    if (!isObject(step)) return;
    const op = knownOp(step.op);
    if (op === undefined) return;
    for (const field of STEP_FUNCTION_FIELDS[op]) checkFunction(context, ["steps", index, field], step[field]);
    const block = (field: string): JsonObject | undefined => (isObject(step[field]) ? (step[field] as JsonObject) : undefined);
    const input = block("input");
    if (op === "input" && input?.type === "function") checkFunction(context, ["steps", index, "input", "fn"], input.fn);
    const output = block("output");
    if (op === "capture" && output?.type === "function") checkFunction(context, ["steps", index, "output", "fn"], output.fn);
    const clock = block("clock");
    if ((op === "reduce_window" || op === "fold_window") && clock?.type === "event") checkFunction(context, ["steps", index, "clock", "fn"], clock.fn);
  });
}

/** The source of a function field: a string, or lines joined with "\n"; undefined for other values. */
export function functionSourceText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("\n");
  return undefined;
}

export interface FunctionCheck {
  readonly ok: boolean;
  readonly code?: "FLOW_FUNCTION_SYNTAX" | "FLOW_NOT_A_FUNCTION";
  readonly message?: string;
  /** 1-based, inside the function's source. */
  readonly line?: number;
  readonly column?: number;
}

/** Functions run in strict mode (see `defaultFunctionCompiler`); module code is strict, so parse as a module. */
const PARSE_OPTIONS = { ecmaVersion: "latest", sourceType: "module", preserveParens: true } as const;

/** Whether `source` is exactly one JavaScript function expression (arrow or `function`), in strict mode. */
export function checkFunctionSource(source: string): FunctionCheck {
  let node: Expression;
  try {
    node = parseExpressionAt(source, 0, PARSE_OPTIONS);
  } catch (error) {
    return syntaxCheck(source, error, 0);
  }
  try {
    const rest = source.slice(node.end);
    const token = tokenizer(rest, PARSE_OPTIONS).getToken();
    if (token.type !== tokTypes.eof) {
      const { line, column } = getLineInfo(source, node.end + token.start);
      return { ok: false, code: "FLOW_FUNCTION_SYNTAX", message: `unexpected ${JSON.stringify(rest.slice(token.start, token.end))} after the end of the function`, line, column: column + 1 };
    }
  } catch (error) {
    return syntaxCheck(source, error, node.end);
  }
  while (node.type === "ParenthesizedExpression") node = node.expression;
  if (node.type !== "ArrowFunctionExpression" && node.type !== "FunctionExpression") {
    return { ok: false, code: "FLOW_NOT_A_FUNCTION", message: `got ${describeNode(node.type)}` };
  }
  return { ok: true };
}

function syntaxCheck(source: string, error: unknown, offset: number): FunctionCheck {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\s*\(\d+:\d+\)$/, "");
  const pos = typeof (error as { pos?: unknown }).pos === "number" ? (error as { pos: number }).pos : 0;
  const { line, column } = getLineInfo(source, Math.min(offset + pos, source.length));
  return { ok: false, code: "FLOW_FUNCTION_SYNTAX", message, line, column: column + 1 };
}

function describeNode(type: string): string {
  const names: Record<string, string> = {
    Literal: "a literal value",
    Identifier: "a name",
    MemberExpression: "a property access",
    CallExpression: "a function call",
    ObjectExpression: "an object",
    ArrayExpression: "an array",
    ClassExpression: "a class",
    SequenceExpression: "several expressions separated by commas",
    TemplateLiteral: "a template string",
  };
  return names[type] ?? `an expression (${type})`;
}

function checkFunction(context: Context, path: readonly Segment[], value: unknown): void {
  const source = functionSourceText(value);
  if (source === undefined) return; // a wrong type: the schema pass reports it
  const check = checkFunctionSource(source);
  if (check.ok) return;
  const { owner, field } = context.where(path);
  if (check.code === "FLOW_NOT_A_FUNCTION") {
    context.add("FLOW_NOT_A_FUNCTION", path, `${owner}: \`${field}\` should be a function expression such as "x => x" or "function (x) { return x; }"; ${check.message}: ${shown(source)}`);
    return;
  }
  context.add("FLOW_FUNCTION_SYNTAX", path, `${owner}: \`${field}\` does not parse: ${check.message} (line ${check.line}, column ${check.column} of the function)`, {
    line: check.line!,
    column: check.column!,
  });
}

