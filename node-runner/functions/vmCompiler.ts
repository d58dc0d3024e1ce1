/**
 * Compiles the functions of a flow file (JavaScript function expressions as text) in a `node:vm`
 * context. This is an ACCIDENT GUARD, NOT A SANDBOX: it keeps a flow's functions from reaching
 * `require`, `process`, `Buffer` or the host's globals by mistake, and nothing more. `node:vm` is
 * not a security mechanism (Node's docs say so): running a flow file runs its code with the
 * runner's rights. Run only flow files you trust, as you would run only scripts you trust.
 *
 * One context per set of compilers (`createVmCompilers`), shared by every function they compile,
 * so functions cost one compile each and share the context's built-ins. The context has the
 * standard JavaScript built-ins of its own (Object, Array, JSON, Math, Promise, ...) plus, from the
 * host: `console` (every method writes to standard error, so standard output stays the `stdout`
 * output's), timers, `performance`, `TextEncoder`/`TextDecoder`, `URL`/`URLSearchParams`, `structuredClone`, and
 * the host's `Map`, `Set`, `WeakMap`, `WeakSet`, `Date`, `ArrayBuffer`, `DataView` and typed arrays.
 * Those are the host's so that what functions build with `new` is what the engine recognizes when
 * it saves state (`Map`, `Set`, `Date`) or reads event times (`Date`).
 *
 * Functions are strict-mode code, compiled from the same text as with the engine's default
 * compiler (the studio's), after the same check (engine/flow/functionSource.ts). Each is
 * compiled with the file name `step:<step id>/<field>`, so a stack trace points at the line and
 * column inside the function's own source (`userFrameOf` finds that frame).
 *
 * The runner's worker threads wrap each compiled function so that its calls are counted in shared
 * memory (`CallTracker.compiler`, engine/runtime/callTracking.ts): how the main thread sees a call
 * that never returns.
 */

import vm from "node:vm";
import { format } from "node:util";
import type { AnyFn } from "../../engine/host/index.js";
import { EddyError } from "../../engine/host/index.js";
import { FUNCTION_BODY_PREFIX, assertFunctionSource, functionBody, type FunctionCompiler, type FunctionGenerator } from "../../engine/host/index.js";
import { functionFileName, stackOf } from "./userFrame.js";

export { functionFileName, userFrameOf, type UserFrame } from "./userFrame.js";

export interface VmCompilerOptions {
  /** Where `console` in functions writes (default: standard error). */
  readonly log?: (text: string) => void;
}

function createFunctionContext(log: (text: string) => void): vm.Context {
  const write = (...args: unknown[]) => log(`${format(...args)}\n`);
  const console = Object.freeze({ log: write, info: write, debug: write, warn: write, error: write, trace: write });
  const globals: Record<string, unknown> = Object.create(null);
  Object.assign(globals, {
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    performance,
    structuredClone,
    TextEncoder,
    TextDecoder,
    URL,
    URLSearchParams,
    Map,
    Set,
    WeakMap,
    WeakSet,
    Date,
    ArrayBuffer,
    DataView,
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  });
  return vm.createContext(globals, { name: "eddy flow functions", codeGeneration: { strings: true, wasm: false } });
}

/** Globals a function's code may read that must stay true globals (or cannot be rebound). */
const UNBOUND = new Set(["globalThis", "eval", "undefined", "NaN", "Infinity"]);

/**
 * The context's globals that a function's body takes as parameters. A global read in a vm context
 * goes through the context's interceptors, about 50 times slower than a local (`Math.imul` in a
 * loop: 1.4 s against 30 ms for 10 million calls); passing them once, as parameters of the body
 * around the function, makes the function run at full speed. Globals a function creates later
 * still work.
 */
function boundGlobalsOf(context: vm.Context): string[] {
  return (vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && !UNBOUND.has(name));
}

/** The compilers of one context: functions compiled by them share its globals. */
export interface VmCompilers {
  /**
   * Compiles a function expression in this context. The source must pass `checkFunctionSource`
   * (else `FLOW_FUNCTION_REFUSED`, and nothing is compiled); then the body `functionBody(source)`
   * (the same text as the studio's compiler) is compiled with `vm.compileFunction` and called
   * once, which only makes the function.
   */
  readonly compile: FunctionCompiler;
  /**
   * Checks and compiles a function's body without calling it (so without running anything of it):
   * `eddy validate` uses this as V8's second opinion on the syntax.
   */
  readonly compileBody: (source: string, where: { stepId: string; field: string }) => (...globals: unknown[]) => unknown;
  /**
   * Compiles code the engine generates (Host.generateFunction) in this context, beside the
   * functions it calls, so that the JIT can inline them (a call across realms is never inlined).
   */
  readonly generate: FunctionGenerator;
}

/**
 * A new context and its compilers; `console` in its functions writes to `log` (standard error by
 * default; the runner's threads send it to the main thread). The context is made at the first compile.
 *
 * ```ts
 * const { compile } = createVmCompilers({ log: (text) => lines.push(text) });
 * compile("x => x + 1", { stepId: "inc", field: "fn" })(1); // 2
 * ```
 */
export function createVmCompilers(options: VmCompilerOptions = {}): VmCompilers {
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  let context: { readonly shared: vm.Context; readonly boundNames: string[]; readonly readBound: () => unknown[] } | undefined;
  const contextNow = () => {
    if (context) return context;
    const shared = createFunctionContext(log);
    const boundNames = boundGlobalsOf(shared);
    const readBound = vm.runInContext(`(() => [${boundNames.join(", ")}])`, shared) as () => unknown[];
    context = { shared, boundNames, readBound };
    return context;
  };
  const compileBody = (source: string, where: { stepId: string; field: string }) => {
    assertFunctionSource(source, where);
    const { shared, boundNames } = contextNow();
    const filename = functionFileName(where.stepId, where.field);
    try {
      // columnOffset keeps the first line's columns those of the source.
      return vm.compileFunction(functionBody(source), boundNames, { parsingContext: shared, filename, columnOffset: -FUNCTION_BODY_PREFIX.length }) as (...globals: unknown[]) => unknown;
    } catch (error) {
      const frame = syntaxErrorFrame(error, where);
      const at = frame ? `, line ${frame.line}` : "";
      const message = typeof (error as Error)?.message === "string" ? (error as Error).message : String(error);
      const wrapped = new EddyError("FLOW_FUNCTION_INVALID", `Step "${where.stepId}", function ${where.field}${at}: ${message}`, { cause: error });
      Object.assign(wrapped, { stepId: where.stepId, field: where.field, line: frame?.line });
      throw wrapped;
    }
  };
  const compile: FunctionCompiler = (source, where) => {
    const body = compileBody(source, where);
    const value: unknown = body(...contextNow().readBound());
    if (typeof value !== "function") {
      const error = new EddyError("FLOW_NOT_CALLABLE", `Step "${where.stepId}", function ${where.field}: the source must be a function expression; it evaluates to ${typeof value}`);
      Object.assign(error, { stepId: where.stepId, field: where.field });
      throw error;
    }
    return value as AnyFn;
  };
  const generate: FunctionGenerator = (parameters, body) => vm.compileFunction(body, [...parameters], { parsingContext: contextNow().shared }) as AnyFn;
  return { compile, compileBody, generate };
}

/** This thread's default compilers (`console` to standard error). */
const defaultCompilers = createVmCompilers();

/** Compiles with the default compilers (see `VmCompilers.compile`). */
export const compileInVm: FunctionCompiler = defaultCompilers.compile;

/** A compiler for checking only: compiles each body (V8's opinion on its syntax) and never runs it; the functions it returns do nothing. */
export const checkOnlyVmCompiler: FunctionCompiler = (source, where) => {
  defaultCompilers.compileBody(source, where);
  return () => undefined;
};

/** The compiler the runner passes to compileFlow (the default compilers'). */
export const vmCompiler: FunctionCompiler = compileInVm;

/** A syntax error's stack starts with `step:<id>/<field>:<line>`. */
function syntaxErrorFrame(error: unknown, where: { stepId: string; field: string }): { line: number } | undefined {
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  const prefix = `${functionFileName(where.stepId, where.field)}:`;
  const first = stack.split("\n", 1)[0] ?? "";
  if (!first.startsWith(prefix)) return undefined;
  const line = Number.parseInt(first.slice(prefix.length), 10);
  return Number.isFinite(line) ? { line } : undefined;
}
