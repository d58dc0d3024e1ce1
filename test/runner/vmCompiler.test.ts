/**
 * The runner's function compiler (an accident guard, not a sandbox), the thread transport, and how
 * errors of a run are reported and mapped to exit codes.
 */

import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { EddyTypeError } from "../../engine/errors.js";
import type { Message } from "../../engine/ports/transport.js";
import { decodeState, encodeState } from "../../engine/recovery/codec.js";
import { preview } from "../../engine/preview.js";
import { exitCodeOf, formatReport, reportError } from "../../node-runner/errors/report.js";
import { compileInVm, createVmCompilers, userFrameOf } from "../../node-runner/functions/vmCompiler.js";
import { PortTransport } from "../../node-runner/threads/portTransport.js";

const where = (stepId: string, field = "fn") => ({ stepId, field });

describe("the vm function compiler", () => {
  it("compiles function expressions, without require, process or Buffer", () => {
    expect(compileInVm("x => x + 1", where("inc"))(1)).toBe(2);
    expect(compileInVm("function (a, b) { return a * b; }", where("mul"))(6, 7)).toBe(42);
    expect(compileInVm("() => [typeof require, typeof process, typeof Buffer, typeof globalThis.process, typeof module]", where("probe"))()).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "undefined",
    ]);
    expect(() => compileInVm("() => process.exit(1)", where("exit"))()).toThrow(/process is not defined/);
  });

  it("binds the context's built-ins as constants, while globals made later still resolve and names can be shadowed", () => {
    expect(compileInVm("(i) => Math.imul(i, 3) + JSON.parse('[1]')[0]", where("builtins"))(2)).toBe(7);
    compileInVm("() => { globalThis.madeLater = 41; }", where("maker"))();
    expect(compileInVm("() => madeLater + 1", where("reader"))()).toBe(42);
    expect(compileInVm("(Math) => Math.answer", where("shadow"))({ answer: 42 })).toBe(42);
    expect(compileInVm("function () { return typeof this; }", where("self"))()).toBe("undefined");
  });

  it("compiles strict-mode code", () => {
    expect(() => compileInVm("() => { undeclared = 1; }", where("sloppy"))()).toThrow(/undeclared is not defined/);
  });

  it("shares one context per thread between functions", () => {
    compileInVm("() => { globalThis.sharedMark = 'set'; }", where("a"))();
    expect(compileInVm("() => globalThis.sharedMark", where("b"))()).toBe("set");
  });

  it("gives the line and column inside the function of what it threw", () => {
    const fn = compileInVm(["item => {", "  const parts = item.split(',');", "  return parts[3].trim();", "}"].join("\n"), where("parse"));
    let thrown: unknown;
    try {
      fn("a,b");
    } catch (error) {
      thrown = error;
    }
    expect(userFrameOf(thrown)).toEqual({ stepId: "parse", field: "fn", line: 3, column: 19 });
    try {
      compileInVm("x => x.y.z", where("first", "clock.fn"))({});
    } catch (error) {
      thrown = error;
    }
    expect(userFrameOf(thrown)).toEqual({ stepId: "first", field: "clock.fn", line: 1, column: 10 });
  });

  it("reports a syntax error with its line, and source that is not a function", () => {
    expect(() => compileInVm("x => {\n  return x +;\n}", where("broken"))).toThrow(/Step "broken": `fn` is refused: Unexpected token \(line 2, column 13 of the function\)/);
    expect(() => compileInVm("42", where("number"))).toThrow(/must be a function expression such as "x => x"; got a literal value/);
  });

  it("builds Maps, Sets and Dates the engine recognizes, and plain objects that recovery saves", () => {
    const make = compileInVm("() => ({ seen: new Map([['a', new Set([1])]]), at: new Date(5), list: [1, { b: 2 }] })", where("state"));
    const state = make() as { seen: Map<string, Set<number>>; at: Date };
    expect(state.seen).toBeInstanceOf(Map);
    expect(state.at).toBeInstanceOf(Date);
    expect(decodeState(encodeState(state, "state", "stateful_map", "k"), "test")).toEqual({ seen: new Map([["a", new Set([1])]]), at: new Date(5), list: [1, { b: 2 }] });
    expect(preview(compileInVm("() => ({ sensor: 'b' })", where("item"))())).toBe('{sensor: "b"}');
  });

  it("sends console output to the function log, never to standard output", () => {
    const logged: string[] = [];
    const { compile } = createVmCompilers({ log: (text) => logged.push(text) });
    compile("x => console.log('value', x)", where("log"))({ a: 1 });
    expect(logged).toEqual(["value { a: 1 }\n"]);
  });
});

describe("the MessagePort transport between worker threads", () => {
  it("delivers messages in order, wakes the receiver, and delivers to itself", () =>
    new Promise<void>((done, fail) => {
      const { port1, port2 } = new MessageChannel();
      const zero = new PortTransport(0, 2, [undefined, port1]);
      const one = new PortTransport(1, 2, [port2, undefined]);
      const to = zero.endpoint(0);
      const at = one.endpoint(1);
      const sent: Message[] = Array.from({ length: 50 }, (_, i) => ({ kind: "data", node: 1, port: 0, epoch: i, items: [i, { n: i }] }));
      for (const message of sent) to.send(1, message);
      to.send(0, { kind: "progress", from: 0, frontier: Infinity, durable: 3 });
      expect(to.receive()).toEqual([{ kind: "progress", from: 0, frontier: Infinity, durable: 3 }]);
      const received: Message[] = [];
      one.onArrival(() => {
        received.push(...at.receive());
        if (received.length < sent.length) return;
        try {
          expect(received).toEqual(sent);
          done();
        } catch (error) {
          fail(error);
        } finally {
          zero.close();
          one.close();
        }
      });
    }));

  it("names an item that cannot be copied to another thread", () => {
    const { port1, port2 } = new MessageChannel();
    const zero = new PortTransport(0, 2, [undefined, port1]);
    try {
      expect(() => zero.endpoint(0).send(1, { kind: "data", node: 2, port: 0, epoch: 0, items: [1, { f: () => 1 }] })).toThrow(
        /Worker 0 could not send the item `\{f: \[Function f\]\}` to worker 1: items that go to another worker \(before a keyed step\) are copied between threads/,
      );
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe("errors of a run", () => {
  it("map to exit codes: 3 for a step, 4 for the store, 2 for the flow, 1 for the runner", () => {
    expect(exitCodeOf(reportError(new EddyTypeError("STEP_NOT_PAIR", "count", "not a pair")))).toBe(3);
    expect(exitCodeOf({ name: "Error", message: "x", code: "RECOVERY_CORRUPT" })).toBe(4);
    expect(exitCodeOf({ name: "Error", message: "x", code: "RECOVERY_UNSERIALIZABLE" })).toBe(3);
    expect(exitCodeOf({ name: "Error", message: "x", code: "FLOW_INVALID" })).toBe(2);
    expect(exitCodeOf({ name: "Error", message: "x", code: "OUTPUT_FILE_FAILED" })).toBe(3);
    expect(exitCodeOf(reportError(new Error("bug")))).toBe(1);
    expect(exitCodeOf(reportError("a string"))).toBe(1);
  });

  it("read with the worker, step, item and line", () => {
    const text = formatReport({
      name: "TypeError",
      message: "boom",
      stepId: "parse",
      op: "map",
      workerIndex: 2,
      itemPreview: '"b"',
      frame: { stepId: "parse", field: "fn", line: 3, column: 7 },
    });
    expect(text).toBe('Worker 2 failed in step "parse" (map) on item "b": TypeError: boom\n  at line 3, column 7 of the function `fn` of step "parse"');
  });
});
