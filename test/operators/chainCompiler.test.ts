/**
 * Fused stateless steps run as one generated loop, or as a closure pipeline where code generation
 * is not allowed. Both give the same items, in the same order, and the same errors with the same
 * step and item; fast-check draws random chains and inputs.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { TestingEpochConfig } from "../../engine/configs/epochs.js";
import { runMain, errorContext } from "../../engine/api/execution.js";
import { testHost } from "../helpers/host.js";

type Stage = {
  op:
    | "map"
    | "filter"
    | "flat_map"
    | "inspect"
    | "inspect_epoch"
    | "promise_map"
    | "promise_flat_map"
    | "promise_inspect"
    | "promise_filter"
    | "not_boolean_filter"
    | "not_iterable_flat_map"
    | "throwing_generator";
  n: number;
};

function build(stages: readonly Stage[], items: readonly number[], out: unknown[], seen: unknown[]): Dataflow {
  let flow = new Dataflow().input("in", new TestingInputConfig(items));
  for (const { op, n } of stages) {
    if (op === "map") flow = flow.map((x: number) => (x === 13 * n ? (() => { throw new Error(`boom ${n}`); })() : x + n));
    else if (op === "filter") flow = flow.filter((x: number) => x % (n + 2) !== 0);
    else if (op === "flat_map") flow = flow.flatMap((x: number) => (n % 2 === 0 ? [x, x * n] : new Set([x, x + 1])));
    // A Promise (refused with STEP_RETURNED_PROMISE) for some items only, so that chains also pass items on.
    else if (op === "promise_map") flow = flow.map((x: number) => (x % 11 === n ? Promise.resolve(x) : x));
    else if (op === "promise_flat_map") flow = flow.flatMap((x: number) => (x % 11 === n ? [x, Promise.resolve(x)] : [x]));
    else if (op === "promise_inspect") flow = flow.inspect((x: number) => (x % 11 === n ? Promise.resolve() : undefined));
    else if (op === "promise_filter") flow = flow.filter(((x: number) => (x % 11 === n ? Promise.resolve(true) : true)) as never);
    // Wrong return types for some items only: STEP_NOT_BOOLEAN, STEP_NOT_ITERABLE.
    else if (op === "not_boolean_filter") flow = flow.filter(((x: number) => (x % 13 === n ? x : x % 2 === 0)) as never);
    else if (op === "not_iterable_flat_map") flow = flow.flatMap(((x: number) => (x % 13 === n ? x : [x])) as never);
    // A generator that yields, then throws: no item of it may reach later steps (seen by an inspector).
    else if (op === "throwing_generator")
      flow = flow.flatMap(function* (x: number) {
        yield x;
        if (x % 7 === n) throw new Error(`generator ${n}`);
        yield x + 100;
      });
    else if (op === "inspect") flow = flow.inspect((x: number) => void seen.push(["inspect", n, x]));
    else flow = flow.inspectEpoch((epoch: number, x: number) => void seen.push([epoch, x]));
  }
  return flow.capture(new TestingOutputConfig(out));
}

async function outcome(stages: readonly Stage[], items: readonly number[], compiled: boolean) {
  const out: unknown[] = [];
  const seen: unknown[] = [];
  try {
    await runMain(build(stages, items, out, seen), { epochConfig: new TestingEpochConfig(), host: testHost({ codeGeneration: compiled }) });
    return { out, seen };
  } catch (error) {
    return { out, seen, error: String(error), code: (error as { code?: unknown }).code, context: errorContext(error) };
  }
}


describe("fused stateless steps, generated or as closures", () => {
  it("give the same items, inspections and errors for random chains", async () => {
    const stage = fc.record({
      op: fc.constantFrom(
        "map",
        "filter",
        "flat_map",
        "inspect",
        "inspect_epoch",
        "promise_map",
        "promise_flat_map",
        "promise_inspect",
        "promise_filter",
        "not_boolean_filter",
        "not_iterable_flat_map",
        "throwing_generator",
      ),
      n: fc.integer({ min: 1, max: 5 }),
    }) as fc.Arbitrary<Stage>;
    await fc.assert(
      fc.asyncProperty(fc.array(stage, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 20 }), async (stages, items) => {
        const generated = await outcome(stages, items, true);
        const closures = await outcome(stages, items, false);
        expect(generated).toEqual(closures);
      }),
      { numRuns: 150 },
    );
  });

  it("name the step and the item of a Promise yielded by a flat_map after items that went on", async () => {
    // 4 goes through the flat_map and the map; then the flat_map yields a Promise for 12 (12 % 11 = 1).
    const result = await outcome([{ op: "promise_flat_map", n: 1 }, { op: "map", n: 1 }], [4, 12], true);
    expect(result.code).toBe("STEP_RETURNED_PROMISE");
    expect(result.context).toMatchObject({ stepId: "flat_map_1", op: "flat_map", itemPreview: "12" });
    expect(result.out).toEqual([5]);
  });

  it("name the failing step and its item in generated loops", async () => {
    const result = await outcome([{ op: "map", n: 1 }, { op: "flat_map", n: 2 }, { op: "map", n: 2 }], [5, 12], true);
    // 12 + 1 = 13 -> flat_map gives [13, 26] -> the second map throws on 26 (13 * 2).
    expect(result.error).toBe("Error: boom 2");
    expect(result.context).toMatchObject({ stepId: "map_3", op: "map", itemPreview: "26" });
  });

  it("copy a generator's items before any goes on, so a generator that throws leaves later steps untouched", async () => {
    for (const compiled of [true, false]) {
      // 8 % 7 = 1: the generator yields 8, then throws; the inspector after it must not see 8.
      const result = await outcome([{ op: "throwing_generator", n: 1 }, { op: "inspect", n: 1 }], [2, 8], compiled);
      expect(result.error).toBe("Error: generator 1");
      expect(result.context).toMatchObject({ stepId: "flat_map_1", op: "flat_map", itemPreview: "8" });
      expect(result.seen).toEqual([
        ["inspect", 1, 2],
        ["inspect", 1, 102],
      ]);
    }
  });

  it("refuse wrong return types with the same codes, naming the step and its item", async () => {
    for (const compiled of [true, false]) {
      const filter = await outcome([{ op: "map", n: 1 }, { op: "not_boolean_filter", n: 2 }], [3, 14], compiled);
      expect(filter.code).toBe("STEP_NOT_BOOLEAN");
      expect(filter.error).toBe("TypeError: Step \"filter_2\" (filter): return value of `predicate` in filter operator must be a boolean; got `15` instead");
      expect(filter.context).toMatchObject({ stepId: "filter_2", op: "filter", itemPreview: "15" });
      const flatMap = await outcome([{ op: "not_iterable_flat_map", n: 3 }], [4, 16], compiled);
      expect(flatMap.code).toBe("STEP_NOT_ITERABLE");
      expect(flatMap.error).toBe("TypeError: Step \"flat_map_1\" (flat_map): return value of `mapper` in flat map operator must be iterable; got `16` instead");
      expect(flatMap.context).toMatchObject({ stepId: "flat_map_1", op: "flat_map", itemPreview: "16" });
    }
  });
});
