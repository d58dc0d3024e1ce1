import { describe, expect, it } from "vitest";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { MemoryRecoveryConfig } from "../../engine/configs/recovery.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { runMain } from "../helpers/host.js";
import { decodeState, encodeState } from "../../engine/recovery/codec.js";
import { EddyError } from "../../engine/errors.js";
import { rejectionOf } from "../helpers/entryPoints.js";

describe("state serialization", () => {
  it("round-trips plain data, Map, Set, Date, typed arrays and bigint", () => {
    const state = { n: 1.5, s: "x", list: [1, null, undefined], m: new Map([["k", new Set([1, 2])]]), d: new Date(5), bytes: new Uint8Array([1, 2, 3]), big: 10n, nested: { deep: [{ x: -1.25 }] } };
    expect(decodeState(encodeState(state, "s", "stateful_map", "k"), "test")).toEqual(state);
  });

  for (const [what, state, detail] of [
    ["a function", { handler: () => 1 }, "it holds a function at .handler"],
    ["a symbol inside a Map", new Map([["k", Symbol("s")]]), 'it holds a symbol at .get("k")'],
    ["a class instance", [new (class Detector { x = 1 })()], "it holds an instance of class Detector at [0], which would be copied as a plain object, without its class"],
  ] as const) {
    it(`refuses ${what}, naming the step and the key`, () => {
      expect(() => encodeState(state, "running", "stateful_map", "user-7")).toThrowError(
        `Step "running" (stateful_map): the state of key "user-7" cannot be saved for recovery: ${detail}`,
      );
    });
  }

  it("fails the run, naming the step and the key, when a state cannot be saved", async () => {
    const flow = new Dataflow()
      .input("inp", new TestingInputConfig([["k", 1]]))
      .statefulMap("with_fn", () => ({ f: () => 0 }), (state: object) => [state, 1])
      .capture(new TestingOutputConfig([]));
    const error = (await rejectionOf(runMain(flow, { epochConfig: new TestingEpochConfig(), recoveryConfig: new MemoryRecoveryConfig() }))) as EddyError;
    expect(error.code).toBe("RECOVERY_UNSERIALIZABLE");
    expect(error.message).toBe('Step "with_fn" (stateful_map): the state of key "k" cannot be saved for recovery: it holds a function at .f');
  });

  it("refuses bytes that are not a state, naming where they came from", () => {
    expect(() => decodeState(new Uint8Array([0x92, 0x01]), 'step "x", key "k" in memory store partition 0')).toThrowError(/^Recovery data of step "x", key "k" in memory store partition 0 cannot be read: /);
  });
});
