/**
 * A Promise (or any thenable) where a step expects a value is refused with a TypeError coded
 * STEP_RETURNED_PROMISE, naming the step, on every entry point, for every step kind and function,
 * in generated chains and in closure chains alike (issue 10, point 3: an `async x => x * 2` map
 * used to finish and write `{}`). TypeScript's types refuse most of these already (`as never`
 * below); JavaScript and flow files do not.
 */

import { describe, expect, it } from "vitest";
import { ManualInputConfig, TestingInputConfig } from "../../engine/configs/inputs.js";
import { TestingOutputConfig } from "../../engine/configs/outputs.js";
import { EventClockConfig, TestingClockConfig, TumblingWindowConfig } from "../../engine/configs/window.js";
import { Dataflow } from "../../engine/dataflow/dataflow.js";
import { EddyTypeError, errorContext } from "../../engine/errors.js";
import { ENTRY_POINTS, rejectionOf } from "../helpers/entryPoints.js";

const ITEMS = [["a", 1], ["a", 2], ["b", 3]];
const input = () => new Dataflow().input("inp", new TestingInputConfig(ITEMS));
const capture = (flow: Dataflow) => flow.capture(new TestingOutputConfig([]));
const thenable = { then: () => {} };
const clock = new TestingClockConfig(1000, 0);
const window = new TumblingWindowConfig(10_000, { startAt: 0 });

interface Place {
  readonly step: string;
  readonly op: string;
  readonly fn: string;
  readonly flow: () => Dataflow;
}

const PLACES: Record<string, Place> = {
  "an async map": { step: "map_1", op: "map", fn: "mapper", flow: () => capture(input().map(async (x: unknown) => x)) },
  "a map returning a thenable": { step: "map_1", op: "map", fn: "mapper", flow: () => capture(input().map(() => thenable)) },
  "an async flat_map": { step: "flat_map_1", op: "flat_map", fn: "mapper", flow: () => capture(input().flatMap((async (x: unknown) => [x]) as never)) },
  "a flat_map yielding Promises": { step: "flat_map_1", op: "flat_map", fn: "mapper", flow: () => capture(input().flatMap((x: unknown) => [x, Promise.resolve(x)])) },
  "a flat_map's generator yielding Promises": {
    step: "flat_map_1",
    op: "flat_map",
    fn: "mapper",
    flow: () => capture(input().flatMap(function* (x: unknown) { yield Promise.resolve(x); })),
  },
  "an async filter": { step: "filter_1", op: "filter", fn: "predicate", flow: () => capture(input().filter((async () => true) as never)) },
  "an async inspect": { step: "inspect_1", op: "inspect", fn: "inspector", flow: () => capture(input().inspect(async () => {})) },
  "an async inspect that rejects": {
    step: "inspect_1",
    op: "inspect",
    fn: "inspector",
    flow: () => capture(input().inspect(async () => { throw new Error("later"); })),
  },
  "an async inspect_epoch": { step: "inspect_epoch_1", op: "inspect_epoch", fn: "inspector", flow: () => capture(input().inspectEpoch(async () => {})) },
  "an async reducer": { step: "r", op: "reduce", fn: "reducer", flow: () => capture(input().reduce("r", async (a: number, b: number) => a + b, () => false)) },
  "an async isComplete": { step: "r", op: "reduce", fn: "isComplete", flow: () => capture(input().reduce("r", (a: number, b: number) => a + b, (async () => true) as never)) },
  "an async stateful_map builder": {
    step: "s",
    op: "stateful_map",
    fn: "builder",
    flow: () => capture(input().statefulMap("s", async () => 0, (n: number, x: number) => [n + x, n])),
  },
  "an async stateful_map mapper": {
    step: "s",
    op: "stateful_map",
    fn: "mapper",
    flow: () => capture(input().statefulMap("s", () => 0, (async (n: number, x: number) => [n + x, n]) as never)),
  },
  "a stateful_map mapper with a Promise as state": {
    step: "s",
    op: "stateful_map",
    fn: "mapper",
    flow: () => capture(input().statefulMap("s", () => 0, (n: number, x: number) => [Promise.resolve(n + x), n])),
  },
  "a stateful_map mapper with a Promise as value": {
    step: "s",
    op: "stateful_map",
    fn: "mapper",
    flow: () => capture(input().statefulMap("s", () => 0, (n: number, x: number) => [n + x, Promise.resolve(n)])),
  },
  "an async fold_window builder": {
    step: "w",
    op: "fold_window",
    fn: "builder",
    flow: () => capture(input().foldWindow("w", clock, window, async () => 0, (acc: number) => acc)),
  },
  "an async fold_window folder": {
    step: "w",
    op: "fold_window",
    fn: "folder",
    flow: () => capture(input().foldWindow("w", clock, window, () => 0, async (acc: number) => acc)),
  },
  "an async reduce_window reducer": {
    step: "w",
    op: "reduce_window",
    fn: "reducer",
    flow: () => capture(input().reduceWindow("w", clock, window, async (a: number, b: number) => a + b)),
  },
  "an async event clock dtGetter": {
    step: "w",
    op: "reduce_window",
    fn: "dtGetter",
    flow: () => capture(input().reduceWindow("w", new EventClockConfig((async () => 0) as never, 0), window, (a: number, b: number) => a + b)),
  },
  "an async input builder": {
    step: "inp",
    op: "input",
    fn: "builder",
    flow: () => capture(new Dataflow().input("inp", new ManualInputConfig((async () => [[1, ["a", 1]]]) as never))),
  },
  "an input yielding a Promise as item": {
    step: "inp",
    op: "input",
    fn: "builder",
    flow: () => capture(new Dataflow().input("inp", new ManualInputConfig(() => [[1, Promise.resolve(["a", 1])]]))),
  },
  "an async input yielding a Promise as item": {
    step: "inp",
    op: "input",
    fn: "builder",
    flow: () =>
      capture(
        new Dataflow().input(
          "inp",
          new ManualInputConfig(async function* () {
            yield [1, Promise.resolve(["a", 1])];
          }),
        ),
      ),
  },
};


for (const compiled of [true, false]) {
  for (const entry of ENTRY_POINTS) {
    describe(`a thenable where a value is expected (${entry.name}, ${compiled ? "generated" : "closure"} chains)`, () => {
      for (const [name, place] of Object.entries(PLACES)) {
        it(`fails for ${name}, naming the step and the function`, async () => {
          const error = entry.original(await rejectionOf(entry.run(place.flow(), { host: { codeGeneration: compiled } })));
          expect(error).toBeInstanceOf(EddyTypeError);
          expect(error).toBeInstanceOf(TypeError);
          const typeError = error as EddyTypeError;
          expect(typeError.code).toBe("STEP_RETURNED_PROMISE");
          expect(typeError.stepId).toBe(place.step);
          expect(typeError.message).toContain(`Step "${place.step}" (${place.op}): \`${place.fn}\` returned a Promise (or another thenable)`);
          if (place.op !== "input") expect(errorContext(error)?.itemPreview).toMatch(/^\["[ab]", \d\]$/);
        });
      }
    });
  }
}

describe("what stays legal", () => {
  it("an async output handler and an async input", async () => {
    const out: unknown[] = [];
    const { ManualOutputConfig } = await import("../../engine/configs/outputs.js");
    const { runMain } = await import("../../engine/api/execution.js");
    const flow = new Dataflow()
      .input(
        "inp",
        new ManualInputConfig(async function* () {
          yield [1, await Promise.resolve(1)];
          yield [2, 2];
        }),
      )
      .map((x: number) => ({ x }))
      .capture(new ManualOutputConfig(() => async (item) => void out.push(item)));
    await runMain(flow);
    expect(out).toEqual([{ x: 1 }, { x: 2 }]);
  });
});
