/**
 * The one check between a function's source (text from a flow file) and the JavaScript engine.
 *
 * Both compilers (the studio's `new Function` and the runner's `vm.compileFunction`) compile the
 * same text, `functionBody(source)`: a function body in strict mode that returns the source in
 * parentheses. `checkFunctionSource` parses exactly that text with the goal the compilers use
 * (a script's function body, strict through its directive) and accepts it only when the body is the
 * directive plus one `return ( … )` whose parenthesized expression is ONE function expression lying
 * inside the source, with nothing of the source outside the parentheses. Then compiling runs nothing
 * of the user's: calling the body only makes the function. HTML-like comments (`<!--`, and `-->` at
 * a line start), which scripts read as comments and modules as operators, are refused outright.
 *
 * The validator reports what this check finds, and both compilers refuse (throw, never compile)
 * what it refuses: what validation accepts is what the compilers compile.
 */

import { getLineInfo, parse, parseExpressionAt, tokTypes, tokenizer, type Comment, type Node } from "acorn";
import { EddyError } from "../errors.js";

/** Before the source: strict mode and the parenthesis that makes `function f() {}` an expression. */
export const FUNCTION_BODY_PREFIX = '"use strict"; return (';
/** After the source: a line break, so a source may end in a `//` comment, then the parenthesis. */
export const FUNCTION_BODY_SUFFIX = "\n);";

/** The function body both compilers compile for `source`: `"use strict"; return (SOURCE\n);`. */
export function functionBody(source: string): string {
  return `${FUNCTION_BODY_PREFIX}${source}${FUNCTION_BODY_SUFFIX}`;
}

export interface FunctionCheck {
  readonly ok: boolean;
  readonly code?: "FLOW_FUNCTION_SYNTAX" | "FLOW_NOT_A_FUNCTION";
  readonly message?: string;
  /** 1-based, inside the function's source. */
  readonly line?: number;
  readonly column?: number;
}

/** A function's body is parsed as a script's code (never a module's), with `return` allowed, as compilers see it. */
const PARSE_OPTIONS = { ecmaVersion: "latest", sourceType: "script", preserveParens: true, allowReturnOutsideFunction: true, allowHashBang: false } as const;

const FUNCTION_TYPES = new Set(["ArrowFunctionExpression", "FunctionExpression"]);

/** Whether `source` is exactly one JavaScript function expression (arrow or `function`) that compiles as `functionBody(source)`. */
export function checkFunctionSource(source: string): FunctionCheck {
  const body = functionBody(source);
  const start = FUNCTION_BODY_PREFIX.length;
  const end = start + source.length;
  const comments: Comment[] = [];
  let program: Node & { body: Node[] };
  try {
    program = parse(body, { ...PARSE_OPTIONS, onComment: comments }) as unknown as Node & { body: Node[] };
  } catch (error) {
    return syntaxCheck(source, error);
  }
  for (const comment of comments) {
    const text = body.slice(comment.start, comment.start + 4);
    if (text.startsWith("<!--") || text.startsWith("-->")) {
      return atPosition(source, comment.start - start, `an HTML-like comment (${JSON.stringify(text.startsWith("<!--") ? "<!--" : "-->")}) is not allowed in a function`);
    }
  }
  const [directive, statement, ...rest] = program.body as Array<Node & Record<string, unknown>>;
  const returned = statement?.type === "ReturnStatement" ? (statement["argument"] as (Node & { expression?: Node }) | null) : undefined;
  const shapeOk =
    directive?.type === "ExpressionStatement" &&
    directive["directive"] === "use strict" &&
    directive.start === 0 &&
    statement?.start === FUNCTION_BODY_PREFIX.indexOf("return") &&
    rest.length === 0 &&
    statement?.end === body.length &&
    returned?.type === "ParenthesizedExpression" &&
    returned.start === start - 1 &&
    returned.end === body.length - 1;
  if (!shapeOk) return { ok: false, code: "FLOW_FUNCTION_SYNTAX", message: "the source does not stay inside its function expression (it closes a parenthesis it did not open)", line: 1, column: 1 };
  let node = returned.expression!;
  while (node.type === "ParenthesizedExpression") node = (node as Node & { expression: Node }).expression;
  if (!FUNCTION_TYPES.has(node.type)) return { ok: false, code: "FLOW_NOT_A_FUNCTION", message: `got ${describeNode(node.type)}` };
  if (node.start < start || node.end > end) return { ok: false, code: "FLOW_FUNCTION_SYNTAX", message: "the function does not lie inside its source", line: 1, column: 1 };
  return { ok: true };
}

/** The one-line reason a check failed, with its line and column when it has them. */
export function describeFunctionCheck(check: FunctionCheck): string {
  if (check.ok) return "ok";
  if (check.code === "FLOW_NOT_A_FUNCTION") return `the source must be a function expression such as "x => x"; ${check.message}`;
  return `${check.message} (line ${check.line}, column ${check.column} of the function)`;
}

/**
 * Throws unless `source` passes `checkFunctionSource`: what a compiler calls before it compiles
 * anything. The error (`FLOW_FUNCTION_REFUSED`) names the step and the field.
 */
export function assertFunctionSource(source: string, where: { stepId: string; field: string }): void {
  const check = checkFunctionSource(source);
  if (check.ok) return;
  const error = new EddyError("FLOW_FUNCTION_REFUSED", `Step ${JSON.stringify(where.stepId)}: \`${where.field}\` is refused: ${describeFunctionCheck(check)}`);
  Object.assign(error, { stepId: where.stepId, field: where.field, ...(check.line !== undefined && { line: check.line }) });
  throw error;
}

function syntaxCheck(source: string, error: unknown): FunctionCheck {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\s*\(\d+:\d+\)$/, "");
  const pos = typeof (error as { pos?: unknown }).pos === "number" ? (error as { pos: number }).pos : FUNCTION_BODY_PREFIX.length;
  const offset = pos - FUNCTION_BODY_PREFIX.length;
  return atPosition(source, offset, codeAfterFunction(source, offset) ?? message);
}

/** For a message only: "unexpected X after the end of the function" when a whole function ends before `offset`. */
function codeAfterFunction(source: string, offset: number): string | undefined {
  try {
    const node = parseExpressionAt(source, 0, PARSE_OPTIONS);
    if (node.end > offset) return undefined;
    const token = tokenizer(source.slice(node.end), PARSE_OPTIONS).getToken();
    const text = source.slice(node.end + token.start, node.end + token.end);
    return token.type === tokTypes.eof || text === "" ? undefined : `unexpected ${JSON.stringify(text)} after the end of the function`;
  } catch {
    return undefined;
  }
}

/** A syntax problem at `offset` of the source (clamped to the source: the wrapper has no lines of its own). */
function atPosition(source: string, offset: number, message: string): FunctionCheck {
  const { line, column } = getLineInfo(source, Math.max(0, Math.min(offset, source.length)));
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

/** The source of a function field: a string, or lines joined with "\n"; undefined for other values. */
export function functionSourceText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("\n");
  return undefined;
}
