/**
 * The one check between a function's source and the JavaScript engine (engine/flow/functionSource.ts):
 * what it accepts is one function expression that both compilers compile without running anything,
 * and both compilers refuse (throw, never compile) what it refuses. Issue 10, point 1.
 */

import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { defaultFunctionCompiler } from "../../engine/flow/compile.js";
import { checkFunctionSource } from "../../engine/flow/functionSource.js";
import { compileInVm } from "../../node-runner/functions/vmCompiler.js";

/** What an attacker's code does: count itself in a global (the host's, or the vm context's). */
const EVIL = "globalThis.__eddyEvil = (globalThis.__eddyEvil || 0) + 1";
const where = { stepId: "s", field: "fn" };

const hostMarks = () => ((globalThis as Record<string, unknown>)["__eddyEvil"] as number | undefined) ?? 0;
const vmMarks = () => (compileInVm("() => globalThis.__eddyEvil || 0", where)() as number) ?? 0;

afterEach(() => {
  delete (globalThis as Record<string, unknown>)["__eddyEvil"];
  compileInVm("() => { delete globalThis.__eddyEvil; }", where)();
});

const ACCEPTED: readonly string[] = [
  "x => x",
  "(x => x)",
  "((x) => x)",
  "function (a, b) { return a * b; }",
  "function named() { return 1; }",
  "async x => x",
  "x => x + 1 // a trailing comment",
  "x => x /* a block comment */",
  "item => {\r\n  return item;\r\n}",
  "x => x\r// a comment after a lone CR",
  "x => '\u2028' + x",
  "x => x\u2028",
  "x => `a ${x} b`",
  "x => x < !--x", // in a script `<!--` with spaces is three operators
  "x => /<!--/.test(x)", // inside a regular expression
  "x => '<!-- -->'", // inside a string
  "(x) => { with_ = x; return with_; }",
];

const REFUSED: ReadonlyArray<readonly [string, string, RegExp]> = [
  ["the issue's exploit (<!-- is a comment in a script)", `x => x <!-- y + \`\n), ${EVIL}, (y => y // \``, /HTML-like comment/],
  ["--> at a line start", `x => x\n--> ), ${EVIL}, (y => y`, /HTML-like comment/],
  ["--> after a lone CR", `x => x\r--> y`, /HTML-like comment/],
  ["--> after U+2028", `x => x\u2028--> y`, /HTML-like comment/],
  ["--> after a block comment at a line start", `x => x\n/* a */ --> y`, /HTML-like comment/],
  ["closing the wrapper's parenthesis", `x => x), ${EVIL}, (y => y`, /does not stay inside/],
  ["closing the wrapper's parenthesis, then a statement", `x => x);\n${EVIL};\n(y => y`, /Unexpected|does not stay inside/],
  ["closing the function body", `x => x\n); }); ${EVIL}; ((() => {\n`, /unexpected|does not stay inside/i],
  ["two expressions", `x => x, ${EVIL}`, /several expressions/],
  ["a call", `(${EVIL}, x => x)`, /several expressions/],
  ["an immediately called function", `(() => { ${EVIL}; })()`, /a function call/],
  ["a hashbang", `#!/usr/bin/env node\nx => x`, /Unexpected character/],
  ["a template literal spanning the wrapper", "x => `", /Unterminated template/],
  ["a template substitution spanning the wrapper", "x => `${ x", /Unexpected|Unterminated/],
  ["a block comment spanning the wrapper", "x => x /*", /Unterminated comment/],
  ["a string spanning the wrapper", "x => '", /Unterminated string/],
  ["a regular expression spanning the wrapper", "x => /", /Unterminated regular expression/],
  ["a unicode escape in a keyword", "f\\u0075nction () { return 1; }", /Escape sequence in keyword/],
  ["with (sloppy only)", "x => { with (x) { return y; } }", /'with' in strict mode/],
  ["a legacy octal literal (sloppy only)", "x => 010", /Invalid number/],
  ["a legacy octal escape (sloppy only)", "x => '\\01'", /Octal/],
  ["a variable named like a strict reserved word", "x => { var yield = 1; return yield; }", /yield|reserved/i],
  ["a value, not a function", "42", /got a literal value/],
  ["an empty source", "", /Unexpected token/],
];

describe("checkFunctionSource", () => {
  it.each(ACCEPTED)("accepts %j, and both compilers compile it to a function", (source) => {
    expect(checkFunctionSource(source)).toEqual({ ok: true });
    expect(typeof defaultFunctionCompiler(source, where)).toBe("function");
    expect(typeof compileInVm(source, where)).toBe("function");
  });

  it.each(REFUSED)("refuses %s, and both compilers refuse it without running anything", (_name, source, reason) => {
    const check = checkFunctionSource(source);
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(reason);
    expect(() => defaultFunctionCompiler(source, where)).toThrowError(expect.objectContaining({ code: "FLOW_FUNCTION_REFUSED", message: expect.stringMatching(reason) }));
    expect(() => compileInVm(source, where)).toThrowError(expect.objectContaining({ code: "FLOW_FUNCTION_REFUSED", message: expect.stringMatching(reason) }));
    expect(hostMarks()).toBe(0);
    expect(vmMarks()).toBe(0);
  });

  it("points at the HTML-like comment's line and column in the source", () => {
    expect(checkFunctionSource("x => x <!-- y")).toMatchObject({ ok: false, code: "FLOW_FUNCTION_SYNTAX", line: 1, column: 8 });
    expect(checkFunctionSource("x => {\n  return x;\n}\n--> y")).toMatchObject({ ok: false, line: 4, column: 1 });
  });

  it("names code after the end of the function", () => {
    expect(checkFunctionSource("x => x; y")).toMatchObject({ ok: false, message: 'unexpected ";" after the end of the function', line: 1, column: 7 });
  });

  it("property: a string built from dangerous fragments is refused by the check, or both compilers compile it to a function and run nothing", () => {
    const fragments = [
      "x => x", "y => y", "function () {", "}", "(", ")", "{", ";", ",", " ", "\n", "\r", "\r\n", "\u2028", "\u2029",
      "<!--", "-->", "<", "!", "--", "//", "/*", "*/", "/", "`", "${", "'", '"', "\\", "#!", "\\u0066unction", "with (x) {}",
      "010", "return", "new.target", "async", "await", "yield", EVIL,
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 12 }), (parts) => {
        const source = parts.join("");
        const check = checkFunctionSource(source);
        if (!check.ok) {
          expect(() => defaultFunctionCompiler(source, where)).toThrowError(expect.objectContaining({ code: "FLOW_FUNCTION_REFUSED" }));
          expect(() => compileInVm(source, where)).toThrowError(expect.objectContaining({ code: "FLOW_FUNCTION_REFUSED" }));
        } else {
          expect(typeof defaultFunctionCompiler(source, where)).toBe("function");
          expect(typeof compileInVm(source, where)).toBe("function");
        }
        expect(hostMarks()).toBe(0);
        expect(vmMarks()).toBe(0);
      }),
      { numRuns: 3000, seed: 10_01 },
    );
  });
});
