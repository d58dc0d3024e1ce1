import { describe, expect, it } from "vitest";
import { TestingInputConfig, ManualInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { errorContext } from "../../engine/errors.js";
import { ENTRY_POINTS, rejectionOf } from "../helpers/entryPoints.js";

const keyedSteps = {
  reduce: (flow: Dataflow) => flow.reduce("count", (a: number, b: number) => a + b, () => false),
  stateful_map: (flow: Dataflow) => flow.statefulMap("count", () => 0, (s: number, v: number) => [s + v, s]),
} as const;

for (const entry of ENTRY_POINTS) {
  describe(`wrong item shapes and return types raise TypeErrors naming the step (${entry.name})`, () => {
    async function failureOf(flow: Dataflow): Promise<TypeError> {
      const error = entry.original(await rejectionOf(entry.run(flow)));
      expect(error).toBeInstanceOf(TypeError);
      return error as TypeError;
    }

    for (const [op, addStep] of Object.entries(keyedSteps)) {
      it(`${op} refuses an item that is not a [key, value] pair`, async () => {
        const flow = addStep(new Dataflow().input("inp", new TestingInputConfig([42]))).capture(new TestingOutputConfig([]));
        const error = await failureOf(flow);
        expect(error.message).toBe(
          `Step "count" (${op}): Dataflow requires a \`[key, value]\` 2-element array as input to every stateful operator; got \`42\` instead`,
        );
        expect((error as { code?: string }).code).toBe("STEP_NOT_KEYED");
      });

      it(`${op} refuses a pair of the wrong length`, async () => {
        const flow = addStep(new Dataflow().input("inp", new TestingInputConfig([["a", 1, 2]]))).capture(new TestingOutputConfig([]));
        expect((await failureOf(flow)).message).toContain('got `["a", 1, 2]` instead');
      });

      it(`${op} refuses a key that is not a string`, async () => {
        const flow = addStep(new Dataflow().input("inp", new TestingInputConfig([[7, 1]]))).capture(new TestingOutputConfig([]));
        const error = await failureOf(flow);
        expect(error.message).toBe(`Step "count" (${op}): Stateful logic functions must return string keys in \`[key, value]\`; got \`7\` instead`);
        expect((error as { code?: string }).code).toBe("STEP_KEY_NOT_STRING");
      });
    }

    it("shortens a long offending value", async () => {
      const long = "x".repeat(500);
      const flow = keyedSteps.reduce(new Dataflow().input("inp", new TestingInputConfig([long]))).capture(new TestingOutputConfig([]));
      const { message } = await failureOf(flow);
      expect(message.length).toBeLessThan(250);
      expect(message).toMatch(/got `"x+…` instead$/);
    });

    for (const bad of [1, 0, null, undefined, "yes"]) {
      it(`filter refuses a predicate that returns ${JSON.stringify(bad) ?? "undefined"}`, async () => {
        const flow = new Dataflow().input("inp", new TestingInputConfig([1])).filter(() => bad as never).capture(new TestingOutputConfig([]));
        const error = await failureOf(flow);
        expect(error.message).toBe(
          `Step "filter_1" (filter): return value of \`predicate\` in filter operator must be a boolean; got \`${bad === "yes" ? '"yes"' : String(bad)}\` instead`,
        );
        expect((error as { code?: string }).code).toBe("STEP_NOT_BOOLEAN");
      });
    }

    it("reduce refuses an isComplete that returns a non-boolean", async () => {
      const flow = new Dataflow()
        .input("inp", new TestingInputConfig([["a", 1]]))
        .reduce("sum", (a: number, b: number) => a + b, () => 1 as never)
        .capture(new TestingOutputConfig([]));
      expect((await failureOf(flow)).message).toBe(
        'Step "sum" (reduce): return value of `isComplete` in reduce operator must be a boolean; got `1` instead',
      );
    });

    for (const bad of [5, [1], [1, 2, 3], undefined]) {
      it(`stateful_map refuses a mapper that returns ${JSON.stringify(bad) ?? "undefined"}`, async () => {
        const flow = new Dataflow()
          .input("inp", new TestingInputConfig([["a", 1]]))
          .statefulMap("running", () => 0, () => bad as never)
          .capture(new TestingOutputConfig([]));
        const error = await failureOf(flow);
        expect(error.message).toMatch(
          /^Step "running" \(stateful_map\): return value of `mapper` in stateful map operator must be a 2-element array of `\[updatedState, updatedValue\]`; got `.*` instead$/,
        );
        expect((error as { code?: string }).code).toBe("STEP_NOT_PAIR");
      });
    }

    it("flat_map refuses a mapper that returns something not iterable", async () => {
      const flow = new Dataflow().input("inp", new TestingInputConfig([1])).flatMap(() => 5 as never).capture(new TestingOutputConfig([]));
      expect((await failureOf(flow)).message).toBe(
        'Step "flat_map_1" (flat_map): return value of `mapper` in flat map operator must be iterable; got `5` instead',
      );
    });

    for (const bad of [5, [1], ["s", "i", "x"], null]) {
      it(`input refuses a manual input that yields ${JSON.stringify(bad)}`, async () => {
        const flow = new Dataflow()
          .input("numbers", new ManualInputConfig(function* () {
            yield bad;
          }))
          .capture(new TestingOutputConfig([]));
        expect((await failureOf(flow)).message).toMatch(
          /^Step "numbers" \(input\): Manual input builders must yield `\[state, item\]` pairs; got `.*` instead$/,
        );
      });
    }

    it("input refuses an async manual input that yields something other than a pair", async () => {
      const flow = new Dataflow()
        .input("numbers", new ManualInputConfig(async function* () {
          yield [1, "ok"];
          yield "oops";
        }))
        .capture(new TestingOutputConfig([]));
      expect((await failureOf(flow)).message).toBe('Step "numbers" (input): Manual input builders must yield `[state, item]` pairs; got `"oops"` instead');
    });

    it("input refuses a builder that returns something not iterable", async () => {
      const flow = new Dataflow().input("numbers", new ManualInputConfig(() => 3 as never)).capture(new TestingOutputConfig([]));
      expect((await failureOf(flow)).message).toBe(
        'Step "numbers" (input): Manual input builders must return an iterable or an async iterable; got `3` instead',
      );
    });

    it("records the step, the worker and the item of a shape error", async () => {
      const flow = keyedSteps.reduce(new Dataflow().input("inp", new TestingInputConfig(["bad"]))).capture(new TestingOutputConfig([]));
      const error = await failureOf(flow);
      expect(errorContext(error)).toEqual({ stepId: "count", op: "reduce", workerIndex: 0, itemPreview: '"bad"' });
    });
  });
}
