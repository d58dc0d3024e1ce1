/** Auto-layout with dagre. */

import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../../engine/flow/index.js";
import { addStep, connect, depths, newFlow } from "../../../studio/state/document.js";
import { autoLayout, layoutPositions, NODE_HEIGHT, NODE_WIDTH } from "../../../studio/state/layout.js";
import { exampleFlows } from "./fixtures.js";

function branching(): FlowDefinition {
  let doc = newFlow("t");
  doc = connect(addStep(doc, "filter", { x: 0, y: 0 }).doc, "source", "filter_1");
  doc = connect(addStep(doc, "capture", { x: 0, y: 0 }).doc, "filter_1", "capture_1");
  doc = connect(doc, "transform", "capture_1");
  return doc;
}

describe("autoLayout", () => {
  it.each([...exampleFlows(), ["branching", branching()] as [string, FlowDefinition]])("%s: distinct positions, left to right by depth", (_name, flow) => {
    const doc = autoLayout(flow);
    const positions = doc.ui!.positions!;
    const ids = flow.steps.map((step) => step.id);
    expect(Object.keys(positions).sort()).toEqual([...ids].sort());
    for (const a of ids)
      for (const b of ids)
        if (a !== b) expect(Math.abs(positions[a]!.x - positions[b]!.x) >= NODE_WIDTH || Math.abs(positions[a]!.y - positions[b]!.y) >= NODE_HEIGHT).toBe(true);
    const depth = depths(doc);
    for (const a of ids) for (const b of ids) if (depth.get(a)! < depth.get(b)!) expect(positions[a]!.x).toBeLessThan(positions[b]!.x);
    expect(autoLayout(doc)).toBe(doc); // laying out again changes nothing
  });

  it("lays out only the given steps, keeping their top-left corner", () => {
    const doc = newFlow("t");
    const scattered = { ...doc, ui: { positions: { source: { x: 0, y: 0 }, transform: { x: 500, y: 500 }, out: { x: 100, y: 900 } } } };
    const positions = layoutPositions(scattered, ["transform", "out"]);
    expect(Object.keys(positions).sort()).toEqual(["out", "transform"]);
    expect(Math.min(positions.transform!.x, positions.out!.x)).toBe(100);
    expect(Math.min(positions.transform!.y, positions.out!.y)).toBe(500);
    expect(positions.out!.x).toBeGreaterThan(positions.transform!.x);
    expect(autoLayout(scattered, ["transform", "out"]).ui!.positions!.source).toEqual({ x: 0, y: 0 });
  });
});
