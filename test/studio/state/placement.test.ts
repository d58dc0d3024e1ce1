/** Placing new steps in view: a free spot inside the visible canvas, and how far to pan to show a step. */

import { describe, expect, it } from "vitest";
import { addStep, newFlow, NODE_HEIGHT, NODE_WIDTH } from "../../../studio/state/document.js";
import { isInView, panToShow, spotInView, stepRect, VIEW_MARGIN, type Rect, type ViewArea } from "../../../studio/state/placement.js";
import type { FlowDefinition } from "../../../engine/flow/index.js";

const empty: FlowDefinition = { format: "eddy.flow", version: 1, steps: [] } as unknown as FlowDefinition;

function shifted(area: ViewArea, d: { x: number; y: number }): ViewArea {
  const move = (r: Rect) => ({ ...r, x: r.x + d.x, y: r.y + d.y });
  return { view: move(area.view), covered: area.covered.map(move) };
}

describe("spotInView", () => {
  it("takes the centre of the view on an empty canvas", () => {
    const area = { view: { x: 0, y: 0, width: 800, height: 500 }, covered: [] };
    expect(spotInView(empty, area)).toEqual({ x: 290, y: 205 });
  });

  it("avoids the steps there and the minimap, and stays inside the view", () => {
    // Steps fill the centre; the minimap covers the bottom right.
    let doc = newFlow("t");
    const area = { view: { x: 0, y: -200, width: 900, height: 500 }, covered: [{ x: 650, y: 100, width: 250, height: 200 }] };
    for (let i = 0; i < 4; i++) {
      const spot = spotInView(doc, area);
      expect(isInView(spot, area)).toBe(true);
      for (const p of Object.values(doc.ui!.positions!)) expect(Math.abs(p.x - spot.x) >= NODE_WIDTH || Math.abs(p.y - spot.y) >= NODE_HEIGHT).toBe(true);
      doc = addStep(doc, "map", spot).doc;
    }
  });

  it("on a full view, falls back to its centre", () => {
    const area = { view: { x: 0, y: 0, width: 240, height: 100 }, covered: [] };
    const doc = addStep(empty, "map", { x: 10, y: 5 }).doc;
    expect(spotInView(doc, area)).toEqual({ x: 10, y: 5 });
  });
});

describe("panToShow", () => {
  const area: ViewArea = { view: { x: 0, y: 0, width: 1000, height: 600 }, covered: [{ x: 780, y: 430, width: 200, height: 150 }] };

  it("does not move for a step already shown", () => {
    expect(panToShow(stepRect({ x: 100, y: 100 }), area)).toEqual({ x: 0, y: 0 });
  });

  it("moves just enough to show a step off the right edge", () => {
    const d = panToShow(stepRect({ x: 900, y: 100 }), area);
    expect(d).toEqual({ x: 900 + NODE_WIDTH + VIEW_MARGIN - 1000, y: 0 });
    expect(isInView({ x: 900, y: 100 }, shifted(area, d))).toBe(true);
  });

  it("moves a step out from under the minimap", () => {
    const p = { x: 760, y: 450 };
    expect(isInView(p, area)).toBe(false);
    const d = panToShow(stepRect(p), area);
    expect(d).not.toEqual({ x: 0, y: 0 });
    expect(isInView(p, shifted(area, d))).toBe(true);
  });

  it("moves a step far away, up and left, into view", () => {
    const p = { x: -3000, y: -2000 };
    const d = panToShow(stepRect(p), area);
    expect(isInView(p, shifted(area, d))).toBe(true);
  });
});
