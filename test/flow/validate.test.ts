/**
 * Validation of flow definitions: a table of bad flow files, each with the exact problems it must
 * report (code, JSON Pointer, step id, message; line and column for syntax errors), good flows that
 * have none, and properties: validation never throws, is deterministic, and agrees with compilation.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileFlow } from "../../engine/flow/compile.js";
import { findJsonSyntaxError, parseFlow } from "../../engine/flow/parseFlowText.js";
import type { FlowProblem } from "../../engine/flow/problems.js";
import type { FlowDefinition } from "../../engine/flow/schema.js";
import { migrateFlow, validateFlow } from "../../engine/flow/validateFlow.js";
import { DESIGN_EXAMPLE, everyBlockFlow, wordCountFlow } from "./fixtures.js";

interface BadFlow {
  readonly name: string;
  /** JSON text (read with parseFlow), or a change to `wordCountFlow()` (a returned value replaces the flow). */
  readonly input: string | ((flow: any) => unknown);
  readonly problems: readonly FlowProblem[];
}

/** Problems of a flow file's text, or of a changed word count flow. */
function problemsOf(input: BadFlow["input"]): FlowProblem[] {
  if (typeof input === "string") {
    const parsed = parseFlow(input);
    return parsed.ok ? validateFlow(parsed.value) : parsed.problems;
  }
  const flow = wordCountFlow();
  const replaced = input(flow);
  return validateFlow(replaced === undefined ? flow : replaced);
}

const BAD_FLOWS: readonly BadFlow[] = [
  {
    name: "a trailing comma in an object",
    input: '{\n  "format": "eddy.flow",\n  "version": 1,\n}\n',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 4, column 1: expected a property name in double quotes after ","; found "}" (JSON does not allow a trailing comma)', line: 4, column: 1 },
    ],
  },
  {
    name: "a missing comma between two fields",
    input: '{\n  "format": "eddy.flow"\n  "version": 1\n}',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 3, column 3: expected "," or "}" after the property value; found the string "version"', line: 3, column: 3 },
    ],
  },
  {
    name: "single-quoted strings",
    input: "{ 'format': 'eddy.flow' }",
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: "Invalid JSON at line 1, column 3: expected a property name in double quotes or \"}\"; found \"'\" (JSON strings use double quotes)", line: 1, column: 3 },
    ],
  },
  {
    name: "a comment",
    input: '{\n  // the format\n  "format": "eddy.flow"\n}',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 2, column 3: expected a property name in double quotes or "}"; found "/" (JSON does not allow comments)', line: 2, column: 3 },
    ],
  },
  {
    name: "a line break inside a string",
    input: '{\n  "name": "word\ncount"\n}',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: "Invalid JSON at line 2, column 16: expected a closing double quote; found a line break inside a string (write it as an escape such as \\n)", line: 2, column: 16 },
    ],
  },
  {
    name: "an empty file",
    input: "  \n",
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: "Invalid JSON at line 1, column 1: the file is empty; expected a JSON object", line: 1, column: 1 },
    ],
  },
  {
    name: "text after the JSON value",
    input: '{ "format": "eddy.flow" } x',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 1, column 27: expected nothing more after the end of the JSON value; found "x"', line: 1, column: 27 },
    ],
  },
  {
    name: "a trailing comma in an array",
    input: '{ "steps": [1, 2, ] }',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 1, column 19: expected a value after ","; found "]" (JSON does not allow a trailing comma)', line: 1, column: 19 },
    ],
  },
  {
    name: "a number with a leading zero",
    input: '{ "version": 01 }',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: "Invalid JSON at line 1, column 14: a number must not start with 0 unless it is 0 (no leading zeros)", line: 1, column: 14 },
    ],
  },
  {
    name: "a misspelt literal",
    input: '{ "tail": tru }',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 1, column 11: expected a value (an object, array, string, number, true, false or null); found "tru"', line: 1, column: 11 },
    ],
  },
  {
    name: "a bad escape in a string",
    input: '{ "fn": "x => \\q" }',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 1, column 15: invalid escape \\q in a string; expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX', line: 1, column: 15 },
    ],
  },
  {
    name: "an unclosed object",
    input: '{ "format": "eddy.flow"',
    problems: [
      { code: "FLOW_JSON_SYNTAX", path: "", message: 'Invalid JSON at line 1, column 24: expected "," or "}" after the property value; found the end of the text', line: 1, column: 24 },
    ],
  },
  {
    name: "the flow is an array",
    input: () => [],
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "", message: "The flow should be an object; got []" },
    ],
  },
  {
    name: "format, version and steps are missing",
    input: () => ({ name: "x" }),
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/format", message: 'The flow: `format` is missing; expected "eddy.flow"' },
      { code: "FLOW_MISSING_FIELD", path: "/version", message: "The flow: `version` is missing; expected 1 (the flow format version)" },
      { code: "FLOW_MISSING_FIELD", path: "/steps", message: "The flow: `steps` is missing; expected an array" },
    ],
  },
  {
    name: "the format is wrong",
    input: (f) => { f.format = "eddy.flw"; },
    problems: [
      { code: "FLOW_WRONG_FORMAT", path: "/format", message: 'The flow: `format` should be "eddy.flow"; got "eddy.flw"' },
    ],
  },
  {
    name: "the version is newer",
    input: (f) => { f.version = 2; f.steps = "anything"; f.futureField = true; },
    problems: [
      { code: "FLOW_VERSION_NEWER", path: "/version", message: "The flow: `version` is 2, but this Eddy reads flow format 1 and older; use a newer Eddy to open it" },
    ],
  },
  {
    name: "the version is a string",
    input: (f) => { f.version = "1"; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/version", message: 'The flow: `version` should be 1 (the flow format version); got "1"' },
    ],
  },
  {
    name: "the version is not an integer",
    input: (f) => { f.version = 1.5; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/version", message: "The flow: `version` should be 1 (the flow format version); got 1.5" },
    ],
  },
  {
    name: "an unknown top-level field",
    input: (f) => { f.author = "me"; },
    problems: [
      { code: "FLOW_UNKNOWN_FIELD", path: "/author", message: "The flow: unknown field `author`; expected one of: $schema, format, version, name, description, steps, execution, ui" },
    ],
  },
  {
    name: "steps is an object",
    input: (f) => { f.steps = {}; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps", message: "The flow: `steps` should be an array; got {}" },
    ],
  },
  {
    name: "a step is not an object",
    input: (f) => { f.steps.splice(2, 0, "map"); },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/2", message: 'The step at /steps/2 should be a step (an object with an "id" and an "op"); got "map"' },
    ],
  },
  {
    name: "an unknown step kind",
    input: (f) => { f.steps[2].op = "mapp"; },
    problems: [
      { code: "FLOW_UNKNOWN_STEP_KIND", path: "/steps/2/op", stepId: "pairs", message: 'Step "pairs": unknown step kind "mapp"; expected one of: "input", "map", "flat_map", "filter", "inspect", "inspect_epoch", "reduce", "stateful_map", "reduce_window", "fold_window", "collect_window", "count_window", "join", "join_window", "capture"' },
    ],
  },
  {
    name: "a step without op",
    input: (f) => { delete f.steps[2].op; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/2/op", stepId: "pairs", message: 'Step "pairs": `op` is missing; expected "input", "map", "flat_map", "filter", "inspect", "inspect_epoch", "reduce", "stateful_map", "reduce_window", "fold_window", "collect_window", "count_window", "join", "join_window" or "capture"' },
    ],
  },
  {
    name: "two steps with the same id",
    input: (f) => { f.steps[2].id = "words"; f.steps[3].after = ["words"]; },
    problems: [
      { code: "FLOW_DUPLICATE_STEP_ID", path: "/steps/2/id", stepId: "words", message: 'Step "words" (map): the id "words" is already used by the step at /steps/1; step ids must be unique' },
    ],
  },
  {
    name: "a malformed step id",
    input: (f) => { f.steps[2].id = "my pairs"; f.steps[3].after = ["my pairs"]; },
    problems: [
      { code: "FLOW_INVALID_STEP_ID", path: "/steps/2/id", stepId: "my pairs", message: 'Step "my pairs" (map): `id` should be a step id: a letter or digit, then letters, digits, _ or -; got "my pairs"' },
    ],
  },
  {
    name: "a step id that is not a string",
    input: (f) => { f.steps[2].id = 3; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/id", message: "The step at /steps/2 (map): `id` should be a step id: a letter or digit, then letters, digits, _ or -; got 3" },
      { code: "FLOW_UNKNOWN_AFTER", path: "/steps/3/after/0", stepId: "count", message: 'Step "count" (reduce): `after[0]` names "pairs", but no step has that id' },
    ],
  },
  {
    name: "a step without id",
    input: (f) => { delete f.steps[4].id; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/4/id", message: "The step at /steps/4 (capture): `id` is missing; expected a step id: a letter or digit, then letters, digits, _ or -" },
    ],
  },
  {
    name: "after names a missing step",
    input: (f) => { f.steps[1].after = ["line"]; },
    problems: [
      { code: "FLOW_UNKNOWN_AFTER", path: "/steps/1/after/0", stepId: "words", message: 'Step "words" (flat_map): `after[0]` names "line", but no step has that id (did you mean "lines"?)' },
    ],
  },
  {
    name: "after names a missing step whose closest id is the step itself: no suggestion of a self-loop",
    input: (f) => { f.steps[1].after = ["word"]; },
    problems: [
      { code: "FLOW_UNKNOWN_AFTER", path: "/steps/1/after/0", stepId: "words", message: 'Step "words" (flat_map): `after[0]` names "word", but no step has that id' },
    ],
  },
  {
    name: "after names nothing like any step",
    input: (f) => { f.steps[1].after = ["source"]; },
    problems: [
      { code: "FLOW_UNKNOWN_AFTER", path: "/steps/1/after/0", stepId: "words", message: 'Step "words" (flat_map): `after[0]` names "source", but no step has that id' },
    ],
  },
  {
    name: "after is missing",
    input: (f) => { delete f.steps[2].after; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/2/after", stepId: "pairs", message: 'Step "pairs" (map): `after` is missing; expected a non-empty array of step ids (the steps that feed this one); connect the step, or disable it ("disabled": true)' },
    ],
  },
  {
    name: "after is empty",
    input: (f) => { f.steps[2].after = []; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/2/after", stepId: "pairs", message: 'Step "pairs" (map): `after` should be a non-empty array of step ids (the steps that feed this one); got []' },
    ],
  },
  {
    name: "after is a string",
    input: (f) => { f.steps[2].after = "words"; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/after", stepId: "pairs", message: 'Step "pairs" (map): `after` should be a non-empty array of step ids; got "words"' },
    ],
  },
  {
    name: "after holds a number and a repeat",
    input: (f) => { f.steps[2].after = ["words", 1, "words"]; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/after/1", stepId: "pairs", message: 'Step "pairs" (map): `after[1]` should be a step id (a string); got 1' },
      { code: "FLOW_DUPLICATE_AFTER", path: "/steps/2/after/2", stepId: "pairs", message: 'Step "pairs" (map): `after[2]` names "words" again; list each upstream step once' },
    ],
  },
  {
    name: "an input with after",
    input: (f) => { f.steps[0].after = ["out"]; },
    problems: [
      { code: "FLOW_INPUT_AFTER", path: "/steps/0/after", stepId: "lines", message: 'Step "lines" (input): an input starts a stream and takes no `after`; remove it, or use another step kind' },
    ],
  },
  {
    name: "a step that feeds itself",
    input: (f) => { f.steps[2].after = ["pairs"]; },
    problems: [
      { code: "FLOW_CYCLE", path: "/steps/2/after/0", stepId: "pairs", message: 'Step "pairs" (map): `after[0]` names the step itself; a step cannot feed itself' },
    ],
  },
  {
    name: "a cycle of three steps",
    input: (f) => { f.steps[1].after = ["count"]; },
    problems: [
      { code: "FLOW_CYCLE", path: "/steps/1/after", stepId: "words", message: 'Step "words" (flat_map) is part of a cycle: "words" → "pairs" → "count" → "words" (each feeds the next); steps must form a DAG' },
    ],
  },
  {
    name: "two separate cycles",
    input: (f) => { f.steps.push({ id: "a", op: "map", after: ["b"], fn: "x => x" }, { id: "b", op: "map", after: ["a"], fn: "x => x" }); f.steps[1].after = ["pairs"]; },
    problems: [
      { code: "FLOW_CYCLE", path: "/steps/1/after", stepId: "words", message: 'Step "words" (flat_map) is part of a cycle: "words" → "pairs" → "words" (each feeds the next); steps must form a DAG' },
      { code: "FLOW_CYCLE", path: "/steps/5/after", stepId: "a", message: 'Step "a" (map) is part of a cycle: "a" → "b" → "a" (each feeds the next); steps must form a DAG' },
    ],
  },
  {
    name: "no input (so the other steps can only feed each other, in a cycle)",
    input: (f) => { f.steps.shift(); f.steps[0].after = ["count"]; f.steps[2].after = ["words"]; },
    problems: [
      { code: "FLOW_NO_INPUT", path: "/steps", message: 'The flow has no input step; expected at least one step with "op": "input"' },
      { code: "FLOW_CYCLE", path: "/steps/0/after", stepId: "words", message: 'Step "words" (flat_map) is part of a cycle: "words" → "count" → "words" (each feeds the next); steps must form a DAG' },
    ],
  },
  {
    name: "no capture",
    input: (f) => { f.steps.pop(); },
    problems: [
      { code: "FLOW_NO_CAPTURE", path: "/steps", message: 'The flow has no capture step; expected at least one step with "op": "capture"' },
    ],
  },
  {
    name: "no steps",
    input: (f) => { f.steps = []; },
    problems: [
      { code: "FLOW_NO_INPUT", path: "/steps", message: 'The flow has no input step; expected at least one step with "op": "input"' },
      { code: "FLOW_NO_CAPTURE", path: "/steps", message: 'The flow has no capture step; expected at least one step with "op": "capture"' },
    ],
  },
  {
    name: "a reduce without isComplete",
    input: (f) => { delete f.steps[3].isComplete; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/3/isComplete", stepId: "count", message: 'Step "count" (reduce): `isComplete` is missing; expected a JavaScript function expression (a string, or an array of lines)' },
    ],
  },
  {
    name: "a stateful_map without builder",
    input: (f) => { f.steps[3] = { id: "count", op: "stateful_map", after: ["pairs"], fn: "(s, v) => [s, v]" }; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/3/builder", stepId: "count", message: 'Step "count" (stateful_map): `builder` is missing; expected a JavaScript function expression (a string, or an array of lines)' },
    ],
  },
  {
    name: "a fold_window without clock, window and builder",
    input: (f) => { f.steps[3] = { id: "count", op: "fold_window", after: ["pairs"], fn: "(acc, v) => acc" }; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/3/clock", stepId: "count", message: 'Step "count" (fold_window): `clock` is missing; expected an object with "type": "system", "testing" or "event"' },
      { code: "FLOW_MISSING_FIELD", path: "/steps/3/window", stepId: "count", message: 'Step "count" (fold_window): `window` is missing; expected an object with "type": "tumbling", "sliding" or "session"' },
      { code: "FLOW_MISSING_FIELD", path: "/steps/3/builder", stepId: "count", message: 'Step "count" (fold_window): `builder` is missing; expected a JavaScript function expression (a string, or an array of lines)' },
    ],
  },
  {
    name: "a function with a syntax error",
    input: (f) => { f.steps[2].fn = "word => [word, 1"; },
    problems: [
      { code: "FLOW_FUNCTION_SYNTAX", path: "/steps/2/fn", stepId: "pairs", message: 'Step "pairs" (map): `fn` does not parse: Unexpected token (line 1, column 17 of the function)', line: 1, column: 17 },
    ],
  },
  {
    name: "a function of several lines with a syntax error on line 2",
    input: (f) => { f.steps[3].fn = ["(a, b) => {", "  return a +* b;", "}"]; },
    problems: [
      { code: "FLOW_FUNCTION_SYNTAX", path: "/steps/3/fn", stepId: "count", message: 'Step "count" (reduce): `fn` does not parse: Unexpected token (line 2, column 13 of the function)', line: 2, column: 13 },
    ],
  },
  {
    name: "a function with code after it",
    input: (f) => { f.steps[2].fn = "word => [word, 1]; alert(1)"; },
    problems: [
      { code: "FLOW_FUNCTION_SYNTAX", path: "/steps/2/fn", stepId: "pairs", message: 'Step "pairs" (map): `fn` does not parse: unexpected ";" after the end of the function (line 1, column 18 of the function)', line: 1, column: 18 },
    ],
  },
  {
    name: "a function that is not strict-mode code",
    input: (f) => { f.steps[2].fn = "word => { with (word) { return [word, 1]; } }"; },
    problems: [
      { code: "FLOW_FUNCTION_SYNTAX", path: "/steps/2/fn", stepId: "pairs", message: "Step \"pairs\" (map): `fn` does not parse: 'with' in strict mode (line 1, column 11 of the function)", line: 1, column: 11 },
    ],
  },
  {
    name: "a function source that is a number literal",
    input: (f) => { f.steps[2].fn = "42"; },
    problems: [
      { code: "FLOW_NOT_A_FUNCTION", path: "/steps/2/fn", stepId: "pairs", message: 'Step "pairs" (map): `fn` should be a function expression such as "x => x" or "function (x) { return x; }"; got a literal value: "42"' },
    ],
  },
  {
    name: "a function source that names a function instead of defining one",
    input: (f) => { f.steps[2].fn = "JSON.stringify"; },
    problems: [
      { code: "FLOW_NOT_A_FUNCTION", path: "/steps/2/fn", stepId: "pairs", message: 'Step "pairs" (map): `fn` should be a function expression such as "x => x" or "function (x) { return x; }"; got a property access: "JSON.stringify"' },
    ],
  },
  {
    name: "a function that is a number",
    input: (f) => { f.steps[2].fn = 42; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/fn", stepId: "pairs", message: 'Step "pairs" (map): `fn` should be a JavaScript function expression (a string, or an array of lines); got 42' },
    ],
  },
  {
    name: "a function with a line that is not a string",
    input: (f) => { f.steps[2].fn = ["word =>", 7]; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/2/fn/1", stepId: "pairs", message: 'Step "pairs" (map): `fn[1]` should be a string; got 7' },
    ],
  },
  {
    name: "an unknown field in a step",
    input: (f) => { f.steps[2].function = "x => x"; f.steps[2].color = "red"; },
    problems: [
      { code: "FLOW_UNKNOWN_FIELD", path: "/steps/2/function", stepId: "pairs", message: 'Step "pairs" (map): unknown field `function`; expected one of: id, op, after, disabled, fn, label, notes' },
      { code: "FLOW_UNKNOWN_FIELD", path: "/steps/2/color", stepId: "pairs", message: 'Step "pairs" (map): unknown field `color`; expected one of: id, op, after, disabled, fn, label, notes' },
    ],
  },
  {
    name: "an unknown input type",
    input: (f) => { f.steps[0].input = { type: "kafak", brokers: ["b:9092"], topic: "t" }; },
    problems: [
      { code: "FLOW_UNKNOWN_BLOCK_TYPE", path: "/steps/0/input/type", stepId: "lines", message: 'Step "lines" (input): unknown `input` type "kafak"; expected one of: "list", "file", "function", "kafka"' },
    ],
  },
  {
    name: "an input block without type",
    input: (f) => { f.steps[0].input = { items: [] }; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/0/input/type", stepId: "lines", message: 'Step "lines" (input): `input.type` is missing; expected "list", "file", "function" or "kafka"' },
    ],
  },
  {
    name: "an input without input block",
    input: (f) => { delete f.steps[0].input; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/steps/0/input", stepId: "lines", message: 'Step "lines" (input): `input` is missing; expected an object with "type": "list", "file", "function" or "kafka"' },
    ],
  },
  {
    name: "a list input whose items are not an array",
    input: (f) => { f.steps[0].input.items = "to be"; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/0/input/items", stepId: "lines", message: 'Step "lines" (input): `input.items` should be an array; got "to be"' },
    ],
  },
  {
    name: "a Kafka input with empty brokers, a bad offset and a number topic",
    input: (f) => { f.steps[0].input = { type: "kafka", brokers: [], topic: 7, startingOffset: "middle", tail: "no" }; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/0/input/brokers", stepId: "lines", message: 'Step "lines" (input): `input.brokers` should be a non-empty array of broker addresses ("host:port" strings or { "$env": NAME } references); got []' },
      { code: "FLOW_WRONG_TYPE", path: "/steps/0/input/topic", stepId: "lines", message: 'Step "lines" (input): `input.topic` should be a non-empty string or an { "$env": NAME } reference; got 7' },
      { code: "FLOW_INVALID_VALUE", path: "/steps/0/input/startingOffset", stepId: "lines", message: 'Step "lines" (input): `input.startingOffset` should be "beginning" or "end"; got "middle"' },
      { code: "FLOW_WRONG_TYPE", path: "/steps/0/input/tail", stepId: "lines", message: 'Step "lines" (input): `input.tail` should be true or false; got "no"' },
    ],
  },
  {
    name: "an $env reference with a bad name and an extra field",
    input: (f) => { f.steps[0].input = { type: "file", path: { $env: "in-path", default: "x" } }; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/0/input/path/$env", stepId: "lines", message: 'Step "lines" (input): `input.path.$env` should be an environment variable name (a letter or _, then letters, digits or _); got "in-path"' },
      { code: "FLOW_UNKNOWN_FIELD", path: "/steps/0/input/path/default", stepId: "lines", message: 'Step "lines" (input): unknown field `input.path.default`; expected one of: $env' },
    ],
  },
  {
    name: "an empty file path",
    input: (f) => { f.steps[4].output = { type: "file", path: "" }; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/4/output/path", stepId: "out", message: 'Step "out" (capture): `output.path` should be a non-empty string or an { "$env": NAME } reference; got ""' },
    ],
  },
  {
    name: "a sample that is not a list",
    input: (f) => { f.steps[0].sample = { type: "file", path: "x" }; },
    problems: [
      { code: "FLOW_UNKNOWN_BLOCK_TYPE", path: "/steps/0/sample/type", stepId: "lines", message: 'Step "lines" (input): unknown `sample` type "file"; expected one of: "list"' },
    ],
  },
  {
    name: "window and clock fields out of range",
    input: (f) => { f.steps[3] = { id: "count", op: "reduce_window", after: ["pairs"], clock: { type: "testing", itemIncr: -1 }, window: { type: "tumbling", length: 0, startAt: "yesterday" }, fn: "(a, b) => a + b" }; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/3/clock/itemIncr", stepId: "count", message: 'Step "count" (reduce_window): `clock.itemIncr` should be a number of milliseconds, not negative; got -1' },
      { code: "FLOW_MISSING_FIELD", path: "/steps/3/clock/startAt", stepId: "count", message: 'Step "count" (reduce_window): `clock.startAt` is missing; expected epoch milliseconds or an ISO 8601 date-time with a time zone (e.g. "2024-01-01T00:00:00Z")' },
      { code: "FLOW_INVALID_VALUE", path: "/steps/3/window/length", stepId: "count", message: 'Step "count" (reduce_window): `window.length` should be a number of milliseconds, at least 1; got 0' },
      { code: "FLOW_INVALID_VALUE", path: "/steps/3/window/startAt", stepId: "count", message: 'Step "count" (reduce_window): `window.startAt` should be epoch milliseconds or an ISO 8601 date-time with a time zone (e.g. "2024-01-01T00:00:00Z"); got "yesterday"' },
    ],
  },
  {
    name: "an event clock whose getter does not parse",
    input: (f) => { f.steps[3] = { id: "count", op: "reduce_window", after: ["pairs"], clock: { type: "event", fn: "v => v.", waitForSystemDuration: "5s" }, window: { type: "tumbling", length: 1000 }, fn: "(a, b) => a + b" }; },
    problems: [
      { code: "FLOW_FUNCTION_SYNTAX", path: "/steps/3/clock/fn", stepId: "count", message: 'Step "count" (reduce_window): `clock.fn` does not parse: Unexpected token (line 1, column 8 of the function)', line: 1, column: 8 },
      { code: "FLOW_WRONG_TYPE", path: "/steps/3/clock/waitForSystemDuration", stepId: "count", message: 'Step "count" (reduce_window): `clock.waitForSystemDuration` should be a number of milliseconds, not negative; got "5s"' },
    ],
  },
  {
    name: "an output function that is not a function",
    input: (f) => { f.steps[4].output = { type: "function", fn: "[]" }; },
    problems: [
      { code: "FLOW_NOT_A_FUNCTION", path: "/steps/4/output/fn", stepId: "out", message: 'Step "out" (capture): `output.fn` should be a function expression such as "x => x" or "function (x) { return x; }"; got an array: "[]"' },
    ],
  },
  {
    name: "an unknown clock and window type",
    input: (f) => { f.steps[3] = { id: "count", op: "reduce_window", after: ["pairs"], clock: { type: "wall" }, window: { type: "hopping", length: 10 }, fn: "(a, b) => a + b" }; },
    problems: [
      { code: "FLOW_UNKNOWN_BLOCK_TYPE", path: "/steps/3/clock/type", stepId: "count", message: 'Step "count" (reduce_window): unknown `clock` type "wall"; expected one of: "system", "testing", "event"' },
      { code: "FLOW_UNKNOWN_BLOCK_TYPE", path: "/steps/3/window/type", stepId: "count", message: 'Step "count" (reduce_window): unknown `window` type "hopping"; expected one of: "tumbling", "sliding", "session"' },
    ],
  },
  {
    name: "after names the late output of a step that has none, and an output that does not exist",
    input: (f) => {
      f.steps[3] = { id: "count", op: "count_window", after: ["pairs"], clock: { type: "system" }, window: { type: "session", gap: 1000 } };
      f.steps[4] = { id: "out", op: "capture", after: ["count", "pairs:late", "count:lates", "cuont:late"], output: { type: "stdout" } };
    },
    problems: [
      { code: "FLOW_UNKNOWN_OUTPUT", path: "/steps/4/after/1", stepId: "out", message: 'Step "out" (capture): `after[1]` names output "late" of step "pairs" (map), which has only its items; name it as "pairs" (only window steps, reduce_window, fold_window, collect_window, count_window, join_window, have a "late" output)' },
      { code: "FLOW_UNKNOWN_OUTPUT", path: "/steps/4/after/2", stepId: "out", message: 'Step "out" (capture): `after[2]` names output "lates" of step "count" (count_window), which has none of that name (did you mean "count:late"?); its outputs are "count" (its items) and "count:late"' },
      { code: "FLOW_UNKNOWN_AFTER", path: "/steps/4/after/3", stepId: "out", message: 'Step "out" (capture): `after[3]` names "cuont", but no step has that id (did you mean "count:late"?)' },
    ],
  },
  {
    name: "a step that takes its own late items",
    input: (f) => { f.steps[3] = { id: "count", op: "count_window", after: ["pairs", "count:late"], clock: { type: "system" }, window: { type: "tumbling", length: 1000 } }; },
    problems: [
      { code: "FLOW_CYCLE", path: "/steps/3/after/1", stepId: "count", message: 'Step "count" (count_window): `after[1]` names the step itself; a step cannot feed itself' },
    ],
  },
  {
    name: "a sliding window whose offset exceeds its length, and a session fold_window without merger",
    input: (f) => {
      f.steps[3] = { id: "count", op: "reduce_window", after: ["pairs"], clock: { type: "system" }, window: { type: "sliding", length: 1000, offset: 1500 }, fn: "(a, b) => a + b" };
      f.steps.splice(4, 0, { id: "visits", op: "fold_window", after: ["pairs"], clock: { type: "system" }, window: { type: "session", gap: 0 }, builder: "() => 0", fn: "(acc, v) => acc + v" });
      f.steps[5].after = ["count", "visits"];
    },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/3/window/offset", stepId: "count", message: 'Step "count" (reduce_window): `window.offset` (1500) should not be greater than `window.length` (1000); the time between windows would belong to none' },
      { code: "FLOW_MISSING_FIELD", path: "/steps/4/merger", stepId: "visits", message: 'Step "visits" (fold_window): `merger` is missing; a fold_window over session windows needs one, "(earlier, later) => acc", to combine two sessions that an out-of-order item bridges' },
    ],
  },
  {
    name: "window blocks with missing and wrong fields, withWindow not a boolean, a merger that does not parse",
    input: (f) => {
      f.steps[3] = { id: "count", op: "fold_window", after: ["pairs"], clock: { type: "system" }, window: { type: "session", gap: -1 }, builder: "() => 0", fn: "(a, v) => a + v", merger: "(a, b) =>", withWindow: "yes" };
      f.steps.splice(4, 0, { id: "other", op: "collect_window", after: ["pairs"], clock: { type: "system" }, window: { type: "sliding", length: 1000 } });
      f.steps[5].after = ["count", "other"];
    },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/steps/3/window/gap", stepId: "count", message: 'Step "count" (fold_window): `window.gap` should be a number of milliseconds, not negative; got -1' },
      { code: "FLOW_FUNCTION_SYNTAX", path: "/steps/3/merger", stepId: "count", message: 'Step "count" (fold_window): `merger` does not parse: Unexpected token (line 1, column 10 of the function)', line: 1, column: 10 },
      { code: "FLOW_WRONG_TYPE", path: "/steps/3/withWindow", stepId: "count", message: 'Step "count" (fold_window): `withWindow` should be true or false; got "yes"' },
      { code: "FLOW_MISSING_FIELD", path: "/steps/4/window/offset", stepId: "other", message: 'Step "other" (collect_window): `window.offset` is missing; expected a number of milliseconds, at least 1' },
    ],
  },
  {
    name: "bad execution settings",
    input: (f) => { f.execution = { epoch: { type: "periodic" }, recovery: { type: "s3", bucket: "b" }, workers: 0, retries: 3 }; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/execution/epoch/length", message: "The flow: `execution.epoch.length` is missing; expected a number of milliseconds, more than 0" },
      { code: "FLOW_UNKNOWN_BLOCK_TYPE", path: "/execution/recovery/type", message: 'The flow: unknown `execution.recovery` type "s3"; expected one of: "file", "memory", "indexeddb", "kafka"' },
      { code: "FLOW_INVALID_VALUE", path: "/execution/workers", message: "The flow: `execution.workers` should be a positive integer; got 0" },
      { code: "FLOW_UNKNOWN_FIELD", path: "/execution/retries", message: "The flow: unknown field `execution.retries`; expected one of: epoch, recovery, workers" },
    ],
  },
  {
    name: "a periodic epoch of length 0 (issue 10, point 11: it must last some time)",
    input: (f) => { f.execution = { epoch: { type: "periodic", length: 0 } }; },
    problems: [
      { code: "FLOW_INVALID_VALUE", path: "/execution/epoch/length", message: "The flow: `execution.epoch.length` should be a number of milliseconds, more than 0; got 0" },
    ],
  },
  {
    name: "recovery blocks with missing fields",
    input: (f) => { f.execution = { recovery: { type: "kafka", brokers: ["b:9092"] } }; },
    problems: [
      { code: "FLOW_MISSING_FIELD", path: "/execution/recovery/topicPrefix", message: 'The flow: `execution.recovery.topicPrefix` is missing; expected a non-empty string or an { "$env": NAME } reference' },
    ],
  },
  {
    name: "bad ui positions (ui takes extra fields)",
    input: (f) => { f.ui = { positions: { lines: { x: "0" }, words: 5 }, zoom: 2 }; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/ui/positions/lines/x", message: 'The flow: `ui.positions.lines.x` should be a number; got "0"' },
      { code: "FLOW_MISSING_FIELD", path: "/ui/positions/lines/y", message: "The flow: `ui.positions.lines.y` is missing; expected a number" },
      { code: "FLOW_WRONG_TYPE", path: "/ui/positions/words", message: "The flow: `ui.positions.words` should be an object; got 5" },
    ],
  },
  {
    name: "problems in document order, not schema order",
    input: (f) => { f.steps = [{ fn: 1, op: "map", after: ["nowhere"], id: "a b" }, ...f.steps]; f.zzz = 1; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/0/fn", stepId: "a b", message: 'Step "a b" (map): `fn` should be a JavaScript function expression (a string, or an array of lines); got 1' },
      { code: "FLOW_UNKNOWN_AFTER", path: "/steps/0/after/0", stepId: "a b", message: 'Step "a b" (map): `after[0]` names "nowhere", but no step has that id' },
      { code: "FLOW_INVALID_STEP_ID", path: "/steps/0/id", stepId: "a b", message: 'Step "a b" (map): `id` should be a step id: a letter or digit, then letters, digits, _ or -; got "a b"' },
      { code: "FLOW_UNKNOWN_FIELD", path: "/zzz", message: "The flow: unknown field `zzz`; expected one of: $schema, format, version, name, description, steps, execution, ui" },
    ],
  },
  {
    name: "a label that is not a string and notes on an input",
    input: (f) => { f.steps[0].label = 5; f.steps[0].notes = ["a"]; },
    problems: [
      { code: "FLOW_WRONG_TYPE", path: "/steps/0/label", stepId: "lines", message: 'Step "lines" (input): `label` should be a string; got 5' },
      { code: "FLOW_WRONG_TYPE", path: "/steps/0/notes", stepId: "lines", message: 'Step "lines" (input): `notes` should be a string; got ["a"]' },
    ],
  },
];

describe("bad flow files: every problem, exactly", () => {
  it("the table has at least 30 rows", () => {
    expect(BAD_FLOWS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BAD_FLOWS.map((row) => row.name)).size).toBe(BAD_FLOWS.length);
  });

  for (const row of BAD_FLOWS) {
    it(row.name, () => {
      expect(problemsOf(row.input)).toEqual(row.problems);
    });
  }
});

/** A flow whose steps form the given graph: `after` per step id; inputs are steps with no entry. */
function graphFlow(graph: Record<string, string[] | "input" | "capture">): FlowDefinition {
  return {
    format: "eddy.flow",
    version: 1,
    steps: Object.entries(graph).map(([id, after]) => {
      if (after === "input") return { id, op: "input", input: { type: "list", items: [1, 2, 3] } };
      if (after === "capture") throw new Error("use [ids] for captures");
      return id.startsWith("out") ? { id, op: "capture", after, output: { type: "stdout" } } : { id, op: "map", after, fn: "x => x" };
    }),
  };
}

describe("good flows have no problems", () => {
  it("the example of DESIGN section 7", () => {
    const parsed = parseFlow(DESIGN_EXAMPLE);
    expect(parsed).toMatchObject({ ok: true });
    expect(parsed.ok && validateFlow(parsed.value)).toEqual([]);
  });

  it("a flow with every kind of step and block", () => {
    expect(validateFlow(everyBlockFlow())).toEqual([]);
  });

  it("a branch: one step feeds several", () => {
    expect(validateFlow(graphFlow({ in: "input", double: ["in"], triple: ["in"], outA: ["double"], outB: ["triple"] }))).toEqual([]);
  });

  it("a merge: a step with several `after` ids", () => {
    expect(validateFlow(graphFlow({ a: "input", b: "input", both: ["a", "b"], out: ["both"] }))).toEqual([]);
  });

  it("a diamond, steps listed out of order, and steps fed by a capture", () => {
    expect(validateFlow(graphFlow({ out2: ["after-out"], "after-out": ["out1"], out1: ["join"], join: ["left", "right"], left: ["src"], right: ["src"], src: "input" }))).toEqual([]);
  });

  it("functions as arrays of lines, async functions, generators and a trailing comment", () => {
    const flow = wordCountFlow() as any;
    flow.steps[1].fn = ["function* (line) {", "  // one word at a time", "  yield* line.split(' ');", "}"];
    flow.steps[2].fn = "async (word) => [word, await 1] // pairs";
    flow.steps[3].fn = "(function (a, b) { return a + b; })";
    expect(validateFlow(flow)).toEqual([]);
  });

  it("a `$schema` field, `ui` with fields of the studio's own, labels and notes", () => {
    const flow = wordCountFlow() as any;
    flow.$schema = "https://example.com/eddy-flow.schema.json";
    flow.ui = { positions: { lines: { x: 1, y: 2, collapsed: true } }, viewport: { zoom: 2 } };
    flow.steps[0].label = "Lines";
    flow.steps[0].notes = "From a list";
    expect(validateFlow(flow)).toEqual([]);
  });
});

describe("versions", () => {
  it("migrateFlow returns a version 1 flow itself", () => {
    const flow = wordCountFlow();
    expect(migrateFlow(flow)).toBe(flow);
  });

  it("migrateFlow refuses a newer version with a clear error", () => {
    expect(() => migrateFlow({ ...wordCountFlow(), version: 3 })).toThrowError(
      expect.objectContaining({
        code: "FLOW_VERSION_NEWER",
        message: "The flow: `version` is 3, but this Eddy reads flow format 1 and older; use a newer Eddy to open it",
      }),
    );
  });
});

describe("parseFlow", () => {
  it("returns the value of valid JSON, with or without a byte order mark", () => {
    expect(parseFlow('{"a": [1, "x", null]}')).toEqual({ ok: true, value: { a: [1, "x", null] } });
    expect(parseFlow('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("never throws, even on something that is not text", () => {
    expect(parseFlow(42 as unknown as string)).toEqual({
      ok: false,
      problems: [{ code: "FLOW_JSON_SYNTAX", path: "", message: "Expected the text of a flow file (a string); got a number" }],
    });
  });

  it("counts lines after \\r\\n and columns within the line", () => {
    const parsed = parseFlow('{\r\n  "a": 1,\r\n  "b": x\r\n}');
    expect(parsed).toMatchObject({ ok: false, problems: [{ line: 3, column: 8 }] });
  });

  it("its scanner finds an error exactly when JSON.parse fails (random texts)", () => {
    const pieces = fc.constantFrom("{", "}", "[", "]", ",", ":", '"a"', '"\\n"', '"\\u12"', '"\\x"', "1", "-0", "01", "1.5e3", "1.", "-", "true", "tru", "null", " ", "\n", "'s'", "/");
    const jsonish = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.json(), fc.string()), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === undefined).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

// --- Properties ---

type Path = (string | number)[];

function containers(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (typeof value === "object" && value !== null) {
    out.push(path);
    for (const [key, child] of Object.entries(value)) containers(child, [...path, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

function at(value: unknown, path: Path): any {
  return path.reduce<any>((node, key) => (typeof node === "object" && node !== null && Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined), value);
}

interface Mutation {
  readonly target: number;
  readonly action: "set" | "delete" | "add";
  readonly key: string;
  readonly value: unknown;
}

function mutate(flow: unknown, { value: generated, ...mutation }: Mutation): void {
  const value = structuredClone(generated);
  const all = containers(flow);
  const node = at(flow, all[mutation.target % all.length]!);
  if (Array.isArray(node)) {
    const index = mutation.target % Math.max(node.length, 1);
    if (mutation.action === "delete" && node.length > 0) node.splice(index, 1);
    else if (mutation.action === "set" && node.length > 0) node[index] = value;
    else node.push(value);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const keys = Object.keys(node);
  const existing = keys.length > 0 ? keys[mutation.target % keys.length]! : mutation.key;
  if (mutation.action === "delete") delete node[existing];
  else Object.defineProperty(node, mutation.action === "set" ? existing : mutation.key, { value, enumerable: true, writable: true, configurable: true });
}

const designFlow = (): FlowDefinition => JSON.parse(DESIGN_EXAMPLE) as FlowDefinition;
const mutationArb = fc.record({
  target: fc.nat(),
  action: fc.constantFrom<Mutation["action"]>("set", "delete", "add"),
  key: fc.constantFrom("id", "op", "after", "fn", "type", "input", "output", "clock", "window", "$env", "x", "length", "items"),
  value: fc.oneof(fc.jsonValue(), fc.constantFrom("x => x", "42", "(", "lines", "words", "count", "input", "map", "capture", { $env: "X" }, [], {})),
});

/** Every env name resolves, so that compilation fails only when the flow itself is wrong. */
const ANY_ENV = new Proxy({}, { get: () => "value" }) as Record<string, string>;

function checkProblems(problems: readonly FlowProblem[]): void {
  expect(Array.isArray(problems)).toBe(true);
  for (const problem of problems) {
    expect(problem.code).toMatch(/^FLOW_[A-Z_]+$/);
    expect(problem.code).not.toBe("FLOW_INTERNAL_ERROR");
    expect(problem.path === "" || problem.path.startsWith("/")).toBe(true);
    expect(typeof problem.message).toBe("string");
  }
}

describe("validateFlow never throws", () => {
  it("on arbitrary values", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true })), (value) => {
        checkProblems(validateFlow(value));
      }),
      { numRuns: 500 },
    );
  });

  it("on arbitrary values in place of the steps, and on steps of arbitrary fields", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.dictionary(fc.constantFrom("id", "op", "after", "fn", "input", "output"), fc.jsonValue())), (steps, stepLike) => {
        checkProblems(validateFlow({ format: "eddy.flow", version: 1, steps }));
        checkProblems(validateFlow({ format: "eddy.flow", version: 1, steps: stepLike }));
      }),
      { numRuns: 300 },
    );
  });

  it("on mutated valid flows, deterministically, and a flow without problems compiles", () => {
    fc.assert(
      fc.property(fc.constantFrom(wordCountFlow, everyBlockFlow, designFlow), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (make, mutations) => {
        const flow = make();
        for (const mutation of mutations) mutate(flow, mutation);
        const problems = validateFlow(flow);
        checkProblems(problems);
        expect(validateFlow(structuredClone(flow))).toEqual(problems);
        if (problems.length === 0) {
          // Validation cannot know what an environment variable holds: only a flow that reads one
          // may fail to compile, and only on a config's own check of that value.
          let thrown: unknown;
          try {
            compileFlow(flow, { env: ANY_ENV });
          } catch (error) {
            thrown = error;
          }
          if (thrown !== undefined) {
            expect(JSON.stringify(flow), String(thrown)).toContain('"$env"');
            expect((thrown as { code?: unknown }).code, String(thrown)).toBe("CONFIG_INVALID");
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("on values with throwing getters or cycles", () => {
    const hostile = { format: "eddy.flow", version: 1, get steps(): unknown[] { throw new Error("no steps for you"); } };
    expect(validateFlow(hostile)).toEqual([{ code: "FLOW_INTERNAL_ERROR", path: "", message: "Validation failed unexpectedly: Error: no steps for you" }]);
    const cyclic: any = wordCountFlow();
    cyclic.steps[0].input.items.push(cyclic);
    cyclic.ui = { self: cyclic };
    expect(validateFlow(cyclic)).toEqual([]);
  });
});
