/**
 * The one definition of the stateless operators (engine/operators/statelessOps.ts) covers every
 * stateless step kind, names the function the step kind takes, and its inlined checks agree with
 * their function forms.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STEP_KINDS, type StatelessStep } from "../../engine/dataflow/steps.js";
import { EddyTypeError } from "../../engine/errors.js";
import { isThenable, thenableSource } from "../../engine/operators/promises.js";
import { STATELESS_ERRORS } from "../../engine/operators/statelessErrors.js";
import { STATELESS_OPS, stepFunction } from "../../engine/operators/statelessOps.js";

describe("the stateless operator table", () => {
  it("has an entry for every stateless step kind, naming the one function it takes", () => {
    const stateless = Object.values(STEP_KINDS).filter((kind) => kind.role === "stateless");
    expect(Object.keys(STATELESS_OPS).sort()).toEqual(stateless.map((kind) => kind.op).sort());
    for (const kind of stateless) expect([STATELESS_OPS[kind.op as StatelessStep["op"]].fn]).toEqual(kind.functions);
  });

  it("finds the step's function", () => {
    const predicate = (x: number) => x > 0;
    expect(stepFunction({ op: "filter", stepId: "filter_1", upstream: [0], predicate })).toBe(predicate);
  });

  it("builds each refusal as an EddyTypeError with its code", () => {
    const step: StatelessStep = { op: "flat_map", stepId: "flat_map_1", upstream: [0], mapper: (x: unknown) => [x] };
    const codes = Object.fromEntries(Object.entries(STATELESS_ERRORS).map(([name, refuse]) => [name, refuse(step, 7)]));
    for (const error of Object.values(codes)) expect(error).toBeInstanceOf(EddyTypeError);
    expect(Object.fromEntries(Object.entries(codes).map(([name, error]) => [name, error.code]))).toEqual({
      returnedPromise: "STEP_RETURNED_PROMISE",
      yieldedPromise: "STEP_RETURNED_PROMISE",
      notBoolean: "STEP_NOT_BOOLEAN",
      notIterable: "STEP_NOT_ITERABLE",
    });
  });

  it("inlines the thenable check as source that agrees with isThenable", () => {
    const inlined = new Function("value", `return ${thenableSource("value")};`) as (value: unknown) => boolean;
    const thenables = fc.constantFrom<unknown>(Promise.resolve(1), { then: () => {} }, Object.assign(() => {}, { then: () => {} }), { then: 1 });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), thenables), (value) => {
        expect(inlined(value)).toBe(isThenable(value));
      }),
    );
  });
});
