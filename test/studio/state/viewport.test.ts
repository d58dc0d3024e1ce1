/** The opening view (studio/state/viewport.ts): readable zoom, centred when the flow fits, its start otherwise. */

import { describe, expect, it } from "vitest";
import { NODE_HEIGHT, NODE_WIDTH } from "../../../studio/state/geometry.js";
import { READABLE_ZOOM, readableViewport, stepBounds } from "../../../studio/state/viewport.js";

/** Where a flow point lands on screen. */
const onScreen = (view: { x: number; y: number; zoom: number }, point: { x: number; y: number }) => ({ x: point.x * view.zoom + view.x, y: point.y * view.zoom + view.y });

describe("stepBounds", () => {
  it("spans the steps with their size", () => {
    expect(stepBounds([{ x: 0, y: 0 }, { x: 280, y: 160 }])).toEqual({ x: 0, y: 0, width: 280 + NODE_WIDTH, height: 160 + NODE_HEIGHT });
    expect(stepBounds([])).toBeUndefined();
  });
});

describe("readableViewport", () => {
  it("never zooms below the readable zoom: a wide flow shows its start, at the left edge", () => {
    const bounds = { x: 100, y: 50, width: 3000, height: 90 };
    const view = readableViewport(bounds, { width: 600, height: 400 }, { padding: 20 });
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(onScreen(view, { x: 100, y: 0 }).x).toBe(20);
    // it fits vertically: centred
    expect(onScreen(view, { x: 0, y: 50 }).y).toBeCloseTo((400 - 90 * view.zoom) / 2);
  });

  it("a tall flow shows its top", () => {
    const view = readableViewport({ x: 0, y: -40, width: 200, height: 2000 }, { width: 600, height: 400 }, { padding: 20 });
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(onScreen(view, { x: 0, y: -40 }).y).toBe(20);
  });

  it("centres a flow that fits, zooming in no further than maxZoom", () => {
    const view = readableViewport({ x: 0, y: 0, width: 300, height: 100 }, { width: 1000, height: 600 }, { padding: 20, minZoom: 0.5, maxZoom: 1 });
    expect(view.zoom).toBe(1);
    expect(onScreen(view, { x: 0, y: 0 })).toEqual({ x: 350, y: 250 });
  });

  it("zooms out to fit when the minimum allows it", () => {
    const view = readableViewport({ x: 0, y: 0, width: 1200, height: 100 }, { width: 640, height: 400 }, { padding: 20, minZoom: 0.25, maxZoom: 1 });
    expect(view.zoom).toBeCloseTo(0.5);
    expect(onScreen(view, { x: 0, y: 0 }).x).toBeCloseTo(20);
    expect(onScreen(view, { x: 1200, y: 0 }).x).toBeCloseTo(620);
  });
});
