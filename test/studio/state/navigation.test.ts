/** Moving between steps with the arrow keys: along connections, between siblings, and to unconnected steps. */

import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../../engine/flow/index.js";
import { newFlow } from "../../../studio/state/document.js";
import { describeStep, neighbourStep } from "../../../studio/state/navigation.js";

/** source → split → (upper, lower) → out; `lonely` is connected to nothing, far below. */
function branching(): FlowDefinition {
  const base = newFlow("t");
  return {
    ...base,
    steps: [
      { id: "source", op: "input", input: { type: "list", items: [1] } },
      { id: "split", op: "map", after: ["source"], fn: "x => x" },
      { id: "lower", op: "map", after: ["split"], fn: "x => x" },
      { id: "upper", op: "map", after: ["split"], fn: "x => x" },
      { id: "out", op: "capture", after: ["upper", "lower"], output: { type: "stdout" } },
      { id: "lonely", op: "map", fn: "x => x" },
    ],
    ui: {
      positions: {
        source: { x: 0, y: 100 },
        split: { x: 300, y: 100 },
        upper: { x: 600, y: 0 },
        lower: { x: 600, y: 200 },
        out: { x: 900, y: 200 },
        lonely: { x: 300, y: 600 },
      },
    },
  } as FlowDefinition;
}

describe("neighbourStep", () => {
  it("follows connections downstream and upstream, to the step nearest in its row", () => {
    const doc = branching();
    expect(neighbourStep(doc, "source", "downstream")).toBe("split");
    expect(neighbourStep(doc, "split", "downstream")).toBe("upper"); // equally near: the upper one
    expect(neighbourStep(doc, "lower", "downstream")).toBe("out");
    expect(neighbourStep(doc, "out", "upstream")).toBe("lower"); // in its row
    expect(neighbourStep(doc, "upper", "upstream")).toBe("split");
  });

  it("goes between siblings fed by the same step, top to bottom", () => {
    const doc = branching();
    expect(neighbourStep(doc, "upper", "next")).toBe("lower");
    expect(neighbourStep(doc, "lower", "previous")).toBe("upper");
  });

  it("where no connection leads, goes to the nearest step on that side", () => {
    const doc = branching();
    // lonely and source are fed by nothing: siblings, ordered top to bottom.
    expect(neighbourStep(doc, "source", "next")).toBe("lonely");
    expect(neighbourStep(doc, "lonely", "previous")).toBe("source");
    expect(neighbourStep(doc, "lonely", "downstream")).toBe("lower");
    expect(neighbourStep(doc, "source", "upstream")).toBeUndefined();
    expect(neighbourStep(doc, "out", "downstream")).toBeUndefined();
    expect(neighbourStep(doc, "ghost", "downstream")).toBeUndefined();
  });

  it("walks the default flow end to end and back", () => {
    const doc = newFlow("t");
    expect(neighbourStep(doc, "source", "downstream")).toBe("transform");
    expect(neighbourStep(doc, "transform", "downstream")).toBe("out");
    expect(neighbourStep(doc, "out", "upstream")).toBe("transform");
  });
});

describe("describeStep", () => {
  it("says what a step is, what feeds it and what it feeds", () => {
    const doc = branching();
    expect(describeStep(doc, "split")).toBe("split, a map step, fed by source, feeds lower and upper");
    expect(describeStep(doc, "source")).toBe("source, an input step, feeds split");
    expect(describeStep(doc, "lonely")).toBe("lonely, a map step, not connected");
  });
});
