/**
 * The handshake's comparison, as a pure function: every difference between two processes' hellos
 * is named, with both sides, and matching hellos have none. The layout checks refuse addresses and
 * process ids that cannot work. The fingerprint of a flow ignores what does not change what it does.
 */

import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/api/dataflow.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { StdOutputConfig } from "../../engine/configs/outputs.js";
import { blueprintText, flowDefinitionText } from "../../engine/cluster/flowFingerprint.js";
import { checkLayout } from "../../node-runner/cluster/connectMesh.js";
import { asHello, fingerprintOf, helloMismatches, mismatchError, type Hello } from "../../node-runner/cluster/handshake.js";

const base: Hello = {
  type: "hello",
  protocol: 1,
  eddyVersion: "0.1.0",
  procId: 0,
  procCount: 2,
  workersPerProcess: 2,
  flow: "abc123",
  settings: { epochs: "epochs of 10000 ms", recovery: "file recovery", "--fresh": "no" },
};
const other = "process 1 at 127.0.0.1:4001";

describe("the handshake", () => {
  it("finds nothing to refuse between two processes of the same cluster", () => {
    expect(helloMismatches(base, { ...base, procId: 1 }, other)).toEqual([]);
  });

  it("names every mismatch with both sides", () => {
    const theirs: Hello = {
      ...base,
      procId: 1,
      protocol: 2,
      eddyVersion: "0.2.0",
      procCount: 3,
      workersPerProcess: 1,
      flow: "def456",
      settings: { epochs: "testing epochs", recovery: "file recovery", "--fresh": "yes", extra: "x" },
    };
    expect(helloMismatches(base, theirs, other)).toEqual([
      "process 1 at 127.0.0.1:4001 speaks cluster protocol 2, this process (0) 1",
      "process 1 at 127.0.0.1:4001 runs Eddy 0.2.0, this process (0) 0.1.0",
      "process 1 at 127.0.0.1:4001 runs flow fingerprint def456, this process (0) abc123",
      "process 1 at 127.0.0.1:4001 has 3 processes (addresses), this process (0) 2",
      "process 1 at 127.0.0.1:4001 runs 1 workers per process (-w), this process (0) 2",
      "process 1 at 127.0.0.1:4001 runs with --fresh yes, this process (0) no",
      "process 1 at 127.0.0.1:4001 runs with epochs testing epochs, this process (0) epochs of 10000 ms",
      "process 1 at 127.0.0.1:4001 runs with extra x, this process (0) (not set)",
    ]);
    const error = mismatchError(helloMismatches(base, { ...base, flow: "def456" }, other));
    expect(error.code).toBe("CLUSTER_MISMATCH");
    expect(error.message).toContain("process 1 at 127.0.0.1:4001 runs flow fingerprint def456, this process (0) abc123");
  });

  it("takes only a well-formed hello; anything else is CLUSTER_PROTOCOL naming the sender", () => {
    expect(asHello(JSON.parse(JSON.stringify(base)), other)).toEqual(base);
    for (const bad of [null, "hello", { ...base, type: "bye" }, { ...base, procId: -1 }, { ...base, settings: { epochs: 5 } }, { ...base, flow: undefined }]) {
      expect(() => asHello(bad, other)).toThrowError(expect.objectContaining({ code: "CLUSTER_PROTOCOL", message: expect.stringContaining(other) }));
    }
  });
});

describe("a cluster's layout", () => {
  it("takes host:port and [v6]:port addresses and a process id among them", () => {
    expect(checkLayout(["127.0.0.1:4000", "eddy-1.eddy.default.svc:2101", "[::1]:5"], 2)).toEqual([
      { host: "127.0.0.1", port: 4000 },
      { host: "eddy-1.eddy.default.svc", port: 2101 },
      { host: "::1", port: 5 },
    ]);
  });

  it("refuses what cannot work with CLUSTER_ADDRESS_INVALID", () => {
    const refusals: [readonly string[], number, string][] = [
      [[], 0, "none was given"],
      [["127.0.0.1:4000"], 1, "Process id 1 is not one of this cluster's 1 processes"],
      [["127.0.0.1:4000", "127.0.0.1:4001"], -1, "Process id -1"],
      [["127.0.0.1"], 0, '"127.0.0.1", is not HOST:PORT'],
      [["127.0.0.1:0"], 0, "is not HOST:PORT"],
      [["a:1", "b:70000"], 0, 'The address of process 1, "b:70000"'],
    ];
    for (const [addresses, procId, message] of refusals) {
      expect(() => checkLayout(addresses, procId)).toThrowError(expect.objectContaining({ code: "CLUSTER_ADDRESS_INVALID", message: expect.stringContaining(message) }));
    }
  });
});

describe("a flow's fingerprint", () => {
  const definition = { format: "eddy.flow", version: 1, steps: [{ id: "in", op: "input", input: { type: "list", items: [1] } }], ui: { positions: { in: { x: 0, y: 0 } } } };

  it("ignores a flow file's layout and key order, not its steps", () => {
    const moved = { ui: { positions: { in: { x: 50, y: 9 } } }, steps: definition.steps, version: 1, format: "eddy.flow" };
    expect(fingerprintOf(flowDefinitionText(moved))).toBe(fingerprintOf(flowDefinitionText(definition)));
    const changed = { ...definition, steps: [{ id: "in", op: "input", input: { type: "list", items: [2] } }] };
    expect(fingerprintOf(flowDefinitionText(changed))).not.toBe(fingerprintOf(flowDefinitionText(definition)));
  });

  it("of a built dataflow, follows its steps and function sources, not a testing input's data", () => {
    const build = (items: number[], mapper: (x: number) => number) => new Dataflow().input("in", new TestingInputConfig(items)).map(mapper).capture(new StdOutputConfig());
    const text = blueprintText(build([1, 2], (x) => x + 1));
    expect(blueprintText(build([3], (x) => x + 1))).toBe(text);
    expect(blueprintText(build([1, 2], (x) => x + 2))).not.toBe(text);
    expect(text).toContain("fn((x) => x + 1)");
  });
});
