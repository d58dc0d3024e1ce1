/**
 * Reading a flow file's text. `JSON.parse` does the parsing; when it fails, a small scanner finds
 * the first error itself, so that the line, column and wording are the same in Node and in every
 * browser (their `JSON.parse` messages differ).
 */

import type { FlowProblem } from "./problems.js";

export type ParseFlowResult = { ok: true; value: unknown } | { ok: false; problems: FlowProblem[] };

/** Parses the JSON text of a flow file. Never throws; a syntax error is one problem with its line and column. */
export function parseFlow(text: string): ParseFlowResult {
  try {
    if (typeof text !== "string") {
      return { ok: false, problems: [{ code: "FLOW_JSON_SYNTAX", path: "", message: `Expected the text of a flow file (a string); got a ${typeof text}` }] };
    }
    const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    try {
      return { ok: true, value: JSON.parse(source) };
    } catch (error) {
      return { ok: false, problems: [syntaxProblem(source, error)] };
    }
  } catch (error) {
    return { ok: false, problems: [{ code: "FLOW_JSON_SYNTAX", path: "", message: `The flow file could not be read: ${String(error)}` }] };
  }
}

function syntaxProblem(source: string, error: unknown): FlowProblem {
  let found: JsonSyntaxError | undefined;
  try {
    found = findJsonSyntaxError(source);
  } catch {
    found = undefined; // too deeply nested for the scanner: use the engine's own message
  }
  if (found) {
    const { line, column } = lineAndColumn(source, found.offset);
    return { code: "FLOW_JSON_SYNTAX", path: "", message: `Invalid JSON at line ${line}, column ${column}: ${found.message}`, line, column };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  const position = /at position (\d+)/.exec(message);
  const where = lineColumn
    ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
    : lineAndColumn(source, position ? Number(position[1]) : source.length);
  return { code: "FLOW_JSON_SYNTAX", path: "", message: `Invalid JSON at line ${where.line}, column ${where.column}: ${message}`, ...where };
}

/** 1-based line and column (in UTF-16 code units) of `offset`; "\r\n", "\n" and "\r" end lines. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export interface JsonSyntaxError {
  /** Where the error is, as an offset into the text. */
  readonly offset: number;
  readonly message: string;
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first syntax error in `text` as strict JSON (RFC 8259), or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.scanDocument();
    return undefined;
  } catch (error) {
    if (error instanceof ScanError) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class JsonScanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.skipSpace();
    if (this.pos >= this.text.length) throw new ScanError(0, "the file is empty; expected a JSON object");
    this.value();
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpected("nothing more after the end of the JSON value");
  }

  private value(): void {
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    if (c === "t") return this.word("true");
    if (c === "f") return this.word("false");
    if (c === "n") return this.word("null");
    throw this.unexpected("a value (an object, array, string, number, true, false or null)");
  }

  private object(): void {
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos += 1;
      return;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') throw this.unexpected('a property name in double quotes or "}"');
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") throw this.unexpected('":" after the property name');
      this.pos += 1;
      this.skipSpace();
      this.value();
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "}") {
        this.pos += 1;
        return;
      }
      if (c !== ",") throw this.unexpected('"," or "}" after the property value');
      this.pos += 1;
      this.skipSpace();
      if (this.text[this.pos] === "}") throw new ScanError(this.pos, 'expected a property name in double quotes after ","; found "}" (JSON does not allow a trailing comma)');
      if (this.text[this.pos] !== '"') throw this.unexpected('a property name in double quotes after ","');
    }
  }

  private array(): void {
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos += 1;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "]") {
        this.pos += 1;
        return;
      }
      if (c !== ",") throw this.unexpected('"," or "]" after the array element');
      this.pos += 1;
      this.skipSpace();
      if (this.text[this.pos] === "]") throw new ScanError(this.pos, 'expected a value after ","; found "]" (JSON does not allow a trailing comma)');
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos += 1;
    for (;;) {
      if (this.pos >= this.text.length) throw new ScanError(start, "this string is not closed: expected a closing double quote before the end of the text");
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos += 1;
        return;
      }
      if (code < 0x20) {
        const what = code === 10 || code === 13 ? "a line break" : describeChar(this.text, this.pos);
        throw new ScanError(this.pos, `expected a closing double quote; found ${what} inside a string (write it as an escape such as \\n)`);
      }
      if (code === 0x5c) {
        const next = this.text[this.pos + 1];
        if (next === "u") {
          const hex = this.text.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new ScanError(this.pos, 'invalid escape: expected 4 hexadecimal digits after "\\u"');
          this.pos += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) {
          const escape = next === undefined ? "\\ at the end of the text" : `\\${next}`;
          throw new ScanError(this.pos, `invalid escape ${escape} in a string; expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`);
        }
        this.pos += 2;
        continue;
      }
      this.pos += 1;
    }
  }

  private number(): void {
    const start = this.pos;
    if (this.text[this.pos] === "-") this.pos += 1;
    if (this.text[this.pos] === "0") {
      this.pos += 1;
      if (isDigit(this.text[this.pos])) throw new ScanError(start, "a number must not start with 0 unless it is 0 (no leading zeros)");
    } else {
      this.digits();
    }
    if (this.text[this.pos] === ".") {
      this.pos += 1;
      this.digits();
    }
    const e = this.text[this.pos];
    if (e === "e" || e === "E") {
      this.pos += 1;
      const sign = this.text[this.pos];
      if (sign === "+" || sign === "-") this.pos += 1;
      this.digits();
    }
  }

  private digits(): void {
    if (!isDigit(this.text[this.pos])) throw this.unexpected("a digit");
    while (isDigit(this.text[this.pos])) this.pos += 1;
  }

  private word(word: string): void {
    const found = /^[A-Za-z0-9_$]*/.exec(this.text.slice(this.pos, this.pos + 40))![0];
    if (found !== word) throw new ScanError(this.pos, `expected a value (an object, array, string, number, true, false or null); found ${JSON.stringify(found)}`);
    this.pos += word.length;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.pos += 1;
      else return;
    }
  }

  private unexpected(expected: string): ScanError {
    if (this.pos >= this.text.length) return new ScanError(this.pos, `expected ${expected}; found the end of the text`);
    const hint = this.text[this.pos] === "/" ? " (JSON does not allow comments)" : this.text[this.pos] === "'" ? " (JSON strings use double quotes)" : "";
    return new ScanError(this.pos, `expected ${expected}; found ${this.describeFound()}${hint}`);
  }

  /** What is at the current position: a whole string or word when there is one, else the character. */
  private describeFound(): string {
    const rest = this.text.slice(this.pos, this.pos + 40);
    const string = /^"(?:[^"\\\n\r]|\\.)*"/.exec(rest);
    if (string) return `the string ${string[0]}`;
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(rest);
    if (word) return JSON.stringify(word[0]);
    return describeChar(this.text, this.pos);
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function describeChar(text: string, pos: number): string {
  const code = text.codePointAt(pos) ?? 0;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0xfeff) return `the character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return JSON.stringify(String.fromCodePoint(code));
}
