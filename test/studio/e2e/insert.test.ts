/**
 * Adding a step into a chain, with real mouse events in Chromium: a click on a palette entry with
 * a step selected inserts the new step after it (and the view follows it out from under the
 * minimap); dropping a palette entry onto a connection inserts it there, the connection lit while
 * the entry is over it; each is one undo step; Tidy up lays out and fits the view to every step.
 */

import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useStudio } from "../../helpers/studioApp.js";
import { clickCanvasBackground, node, select } from "./ui.js";

const studio = useStudio();

async function connections(page: Page): Promise<string[]> {
  return (await page.locator(".react-flow__edge").evaluateAll((edges) => edges.map((element) => element.getAttribute("data-id")!))).sort();
}

/** The page coordinates of the middle of the drawn connection from → to. */
async function connectionMiddle(page: Page, from: string, to: string): Promise<{ x: number; y: number }> {
  return page.evaluate((id) => {
    const path = document.querySelector<SVGPathElement>(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`)!;
    const point = path.getPointAtLength(path.getTotalLength() / 2);
    const onPage = new DOMPoint(point.x, point.y).matrixTransform(path.getScreenCTM()!);
    return { x: onPage.x, y: onPage.y };
  }, `${from}->${to}`);
}

type Box = { x: number; y: number; width: number; height: number };
const within = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const apart = (a: Box, b: Box) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

/** Whether step `id` is fully inside the canvas and clear of the minimap. */
async function shownClearly(page: Page, id: string): Promise<boolean> {
  const [step, canvas, minimap] = await Promise.all([node(page, id).boundingBox(), page.getByTestId("canvas").boundingBox(), page.locator(".react-flow__minimap").boundingBox()]);
  return step !== null && canvas !== null && within(step, canvas) && (minimap === null || apart(step, minimap));
}

describe("inserting steps into the chain", () => {
  it("a click with a step selected inserts after it, in view; undo takes it back in one step", { timeout: 90_000 }, async () => {
    // A small window (the 1024×700), where the minimap covers much of the canvas.
    const { page, context } = await studio.open();
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      await node(page, "out").waitFor();
      await page.getByTestId("fit-view").click();
      const before = await connections(page);

      // After the last step: it follows it, and is shown clear of the minimap.
      await select(page, "out");
      await page.getByTestId("palette-inspect").click();
      await expect.poll(() => connections(page)).toEqual([...before, "out->inspect_1"].sort());
      await expect.poll(() => shownClearly(page, "inspect_1"), { timeout: 10_000 }).toBe(true);

      // In the middle of the chain: words → filter_1 → pairs, no branch beside it.
      await select(page, "words");
      await page.getByTestId("palette-filter").click();
      await expect.poll(() => connections(page)).toContain("filter_1->pairs");
      const chained = await connections(page);
      expect(chained).toContain("words->filter_1");
      expect(chained).not.toContain("words->pairs");
      await expect.poll(() => shownClearly(page, "filter_1"), { timeout: 10_000 }).toBe(true);
      expect(await page.getByTestId("step-id").inputValue()).toBe("filter_1"); // the new step is selected

      await clickCanvasBackground(page);
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => connections(page)).toEqual([...before, "out->inspect_1"].sort());
      expect(await node(page, "filter_1").count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("dropping a step onto a connection inserts it there; Tidy up fits the view to every step", { timeout: 90_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      await node(page, "lower").waitFor();
      const middle = await connectionMiddle(page, "lines", "lower");
      const entry = (await page.getByTestId("palette-map").boundingBox())!;
      await page.mouse.move(entry.x + entry.width / 2, entry.y + entry.height / 2);
      await page.mouse.down();
      await page.mouse.move(entry.x + 60, entry.y + 20, { steps: 4 });
      await page.mouse.move(middle.x, middle.y, { steps: 12 });
      // While over it, the connection is lit and the dragged entry says where it goes.
      await expect.poll(() => page.locator('.react-flow__edge.drop-target[data-id="lines->lower"]').count()).toBe(1);
      expect(await page.locator(".drag-ghost").textContent()).toContain("between lines and lower");
      await page.mouse.up();
      await expect.poll(() => connections(page)).toContain("map_1->lower");
      const after = await connections(page);
      expect(after).toContain("lines->map_1");
      expect(after).not.toContain("lines->lower");
      expect(await page.locator(".react-flow__edge.drop-target").count()).toBe(0);

      // Pan the steps out of view, then Tidy up: every step is back in view.
      const canvas = (await page.getByTestId("canvas").boundingBox())!;
      await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + 12);
      await page.mouse.down();
      await page.mouse.move(canvas.x + canvas.width / 2 + canvas.width, canvas.y + 12 + canvas.height, { steps: 10 });
      await page.mouse.up();
      const ids = await page.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((element) => element.getAttribute("data-id")!));
      const allShown = async () => {
        for (const id of ids) {
          const box = await node(page, id).boundingBox();
          if (!box || !within(box, canvas)) return false;
        }
        return true;
      };
      expect(await allShown()).toBe(false);
      await page.getByTestId("layout").click();
      await expect.poll(allShown, { timeout: 10_000 }).toBe(true);
    } finally {
      await context.close();
    }
  });
});
