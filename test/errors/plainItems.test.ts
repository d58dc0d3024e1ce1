/**
 * Plain data (engine/runtime/plainData.ts) and the exchange's check of it when the host copies
 * items between threads (HostServices.plainItems, set by the runner): a class instance is refused
 * alike with one worker and with several (issue 10, point 11). In one thread nothing is copied, and
 * classes are kept with any worker count.
 */

import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { EddyTypeError } from "../../engine/errors.js";
import { execute } from "../../engine/runtime/execute.js";
import { notPlainData } from "../../engine/runtime/plainData.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { testHost } from "../helpers/host.js";

class Reading {
  constructor(readonly v: number) {}
  double(): number {
    return this.v * 2;
  }
}

describe("plain data", () => {
  it("takes plain objects, arrays, Map, Set, Date, RegExp, typed arrays, bigint, null and undefined", () => {
    expect(notPlainData({ a: [1, "x", null, undefined, 2n], m: new Map([["k", new Set([new Date(0)])]]), r: /x/, b: new Uint8Array(2), o: Object.create(null) })).toBeUndefined();
  });

  it("takes the built-ins of another realm (flow functions run in a node:vm context)", () => {
    const value = vm.runInNewContext("({ at: new Date(0), m: new Map([['k', new Set([1])]]), list: [{}] })");
    expect(notPlainData(value)).toBeUndefined();
  });

  it("names what is not plain data, and where", () => {
    expect(notPlainData({ list: [1, new Reading(1)] })).toBe("it holds an instance of class Reading at .list[1], which would be copied as a plain object, without its class");
    expect(notPlainData(new Map([["k", { f: () => 1 }]]))).toBe('it holds a function at .get("k").f');
    expect(notPlainData([Symbol("s")])).toBe("it holds a symbol at [0]");
    expect(notPlainData(new Set([new Reading(1)]))).toMatch(/^it holds an instance of class Reading at .<member>/);
    // A class pretending to be a Map by its tag is still a class instance.
    expect(notPlainData(new (class FakeMap { get [Symbol.toStringTag]() { return "Map"; } })())).toMatch(/class FakeMap/);
  });
});

function flowWith(item: unknown, out: unknown[]): Dataflow {
  return new Dataflow()
    .input("inp", new TestingInputConfig([["a", 1], ["b", 2]]))
    .map(([k]: [string, number]) => [k, item])
    .statefulMap("count", () => 0, (n: number, v: unknown) => [n + 1, v])
    .capture(new TestingOutputConfig(out));
}

describe("the exchange with plainItems (the runner's worker threads)", () => {
  for (const workerCount of [1, 2, 3]) {
    it(`refuses a class instance with ${workerCount} worker(s), naming the step`, async () => {
      const error = await rejectionOf(execute(flowWith(new Reading(1), []), { workerCount, errors: "original", host: testHost({ plainItems: true }) }));
      expect(error).toBeInstanceOf(EddyTypeError);
      expect((error as EddyTypeError).code).toBe("EXCHANGE_NOT_PLAIN");
      expect((error as EddyTypeError).message).toMatch(/^Step "count" \(stateful_map\): items that go to a keyed step must be plain data.*it holds an instance of class Reading/);
    });

    it(`passes plain items with ${workerCount} worker(s)`, async () => {
      const out: unknown[] = [];
      await execute(flowWith({ at: new Date(0) }, out), { workerCount, errors: "original", host: testHost({ plainItems: true }) });
      expect(out).toHaveLength(2);
    });

    it(`keeps classes in one thread without plainItems, ${workerCount} worker(s)`, async () => {
      const out: [string, Reading][] = [];
      await execute(flowWith(new Reading(3), out), { workerCount, errors: "original" });
      expect(out.map(([, r]) => r.double())).toEqual([6, 6]);
    });
  }
});
