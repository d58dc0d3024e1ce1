/** The panels around the canvas (studio/state/panels.ts): defaults by window size, kept choices, fitting, the minimap's size. */

import { describe, expect, it } from "vitest";
import {
  COLLAPSED_WIDTH,
  LIMITS,
  MIN_CANVAS,
  TOOLBAR_HEIGHT,
  defaultPanelChoices,
  minimapSize,
  panelsFor,
  readPanelChoices,
  resizeRun,
  resizeSide,
  toggleSide,
} from "../../../studio/state/panels.js";

const LAPTOP = { width: 1024, height: 700 };
/** 1024×700 at 200% browser zoom. */
const ZOOMED = { width: 512, height: 350 };

describe("defaults", () => {
  it("open both side panels on a laptop and collapse them at 200% zoom", () => {
    const laptop = defaultPanelChoices(LAPTOP);
    expect(laptop.palette.collapsed || laptop.side.collapsed).toBe(false);
    expect(laptop.minimap).toBe(true);
    const zoomed = defaultPanelChoices(ZOOMED);
    expect(zoomed.palette.collapsed && zoomed.side.collapsed).toBe(true);
  });

  it("leave the canvas most of a laptop's window", () => {
    const sizes = panelsFor(defaultPanelChoices(LAPTOP), LAPTOP);
    expect(LAPTOP.width - sizes.palette - sizes.side).toBeGreaterThanOrEqual(LAPTOP.width / 2);
    expect(LAPTOP.height - TOOLBAR_HEIGHT - sizes.runHeight).toBeGreaterThanOrEqual(LAPTOP.height * 0.55);
  });

  it("leave the canvas usable at 200% zoom", () => {
    const sizes = panelsFor(defaultPanelChoices(ZOOMED), ZOOMED);
    expect(sizes.palette).toBe(COLLAPSED_WIDTH);
    expect(ZOOMED.width - sizes.palette - sizes.side).toBeGreaterThanOrEqual(MIN_CANVAS.width);
    expect(ZOOMED.height - TOOLBAR_HEIGHT - sizes.runHeight).toBeGreaterThanOrEqual(MIN_CANVAS.height);
    expect(sizes.runHeight).toBeGreaterThanOrEqual(LIMITS.runHeight.min);
  });
});

describe("kept choices", () => {
  it("read back field by field; what is malformed is the default", () => {
    const defaults = defaultPanelChoices(LAPTOP);
    expect(readPanelChoices(undefined, LAPTOP)).toEqual(defaults);
    expect(readPanelChoices("nonsense", LAPTOP)).toEqual(defaults);
    const read = readPanelChoices({ palette: { width: 250, collapsed: true }, side: { width: "wide" }, runHeight: 5000, minimap: false }, LAPTOP);
    expect(read).toEqual({ palette: { width: 250, collapsed: true }, side: defaults.side, runHeight: LIMITS.runHeight.max, minimap: false });
  });

  it("resize within limits and open the panel; toggling keeps the width", () => {
    const choices = defaultPanelChoices(LAPTOP);
    const collapsed = toggleSide(choices, "side");
    expect(collapsed.side).toEqual({ width: choices.side.width, collapsed: true });
    expect(toggleSide(collapsed, "side").side).toEqual(choices.side);
    expect(resizeSide(collapsed, "side", 10).side).toEqual({ width: LIMITS.side.min, collapsed: false });
    expect(resizeSide(choices, "palette", 222.4).palette.width).toBe(222);
    expect(resizeRun(choices, 1).runHeight).toBe(LIMITS.runHeight.min);
  });
});

describe("panelsFor", () => {
  it("shrinks the properties panel first, then the palette, to keep the canvas", () => {
    const wide = resizeSide(resizeSide(defaultPanelChoices(LAPTOP), "side", 700), "palette", 300);
    const sizes = panelsFor(wide, { width: 900, height: 700 });
    expect(sizes.side).toBe(900 - 300 - MIN_CANVAS.width);
    expect(panelsFor(wide, { width: 700, height: 700 })).toMatchObject({ side: LIMITS.side.min, palette: 700 - LIMITS.side.min - MIN_CANVAS.width });
  });

  it("never goes below the panels' minimums, even when the canvas must then be narrower", () => {
    const sizes = panelsFor(defaultPanelChoices(LAPTOP), { width: 500, height: 700 });
    expect(sizes).toMatchObject({ palette: LIMITS.palette.min, side: LIMITS.side.min });
  });

  it("keeps the run panel from pushing the canvas below its minimum height", () => {
    const tall = resizeRun(defaultPanelChoices(LAPTOP), 600);
    expect(panelsFor(tall, LAPTOP).runHeight).toBe(LAPTOP.height - TOOLBAR_HEIGHT - MIN_CANVAS.height);
    expect(panelsFor(tall, { width: 1024, height: 1200 }).runHeight).toBe(600);
  });
});

describe("minimapSize", () => {
  it("is a fifth of the canvas's width, 100 to 200 px, and none on a small canvas", () => {
    expect(minimapSize({ width: 1000, height: 700 })).toEqual({ width: 200, height: 150 });
    expect(minimapSize({ width: 557, height: 418 })).toEqual({ width: 111, height: 83 });
    expect(minimapSize({ width: 456, height: 187 })).toBeUndefined();
  });

  it("covers a small part of a laptop's canvas", () => {
    const canvas = { width: 557, height: 418 };
    const map = minimapSize(canvas)!;
    expect((map.width * map.height) / (canvas.width * canvas.height)).toBeLessThan(0.06);
  });
});
