/// <reference lib="dom" />
/**
 * The studio readable at every size, in real Chromium, checked by element geometry: on a 1024×700
 * laptop and at 200% browser zoom of it (512×350 CSS pixels at scale 2), the canvas, the Run button
 * and the Output panel are in view with usable sizes, step text is at least 12 px on screen at the
 * opening zoom, and the minimap covers little of the canvas (none when the canvas is small). The
 * side panels collapse and resize, and the choice survives a reload; the minimap can be hidden. The
 * examples' connections cross no step, and the one that wraps to a second row runs in right angles.
 */

import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { node, openExample, outputLines, runAndWait } from "./ui.js";

const studio = useStudio();

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox({ timeout: 20_000 });
  if (!box) throw new Error("not visible");
  return box;
}

function inside(box: Box, area: { width: number; height: number }): boolean {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= area.width + 0.5 && box.y + box.height <= area.height + 0.5;
}

/** The canvas's zoom (React Flow's viewport transform). */
async function zoomOf(page: Page): Promise<number> {
  return page.locator(".react-flow__viewport").evaluate((element) => new DOMMatrixReadOnly(getComputedStyle(element).transform).a);
}

/** The smallest font size of any text on a step node, in CSS pixels before the zoom. */
async function smallestStepFont(page: Page): Promise<number> {
  return page.locator(".step-node").evaluateAll((nodes) => {
    let smallest = Infinity;
    for (const element of nodes.flatMap((nodeElement) => [nodeElement, ...Array.from(nodeElement.querySelectorAll("*"))])) {
      const hasText = Array.from(element.childNodes).some((child) => child.nodeType === Node.TEXT_NODE && (child.textContent ?? "").trim() !== "");
      if (hasText) smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(element).fontSize));
    }
    return smallest;
  });
}

const SIZES = [
  { name: "a 1024×700 window", viewport: { width: 1024, height: 700 }, deviceScaleFactor: 1 },
  { name: "200% browser zoom of 1024×700", viewport: { width: 512, height: 350 }, deviceScaleFactor: 2 },
];

describe("the studio at every size", () => {
  for (const { name, viewport, deviceScaleFactor } of SIZES) {
    it(`${name}: canvas, Run and Output in view and usable, step text at least 12 px`, { timeout: 120_000 }, async () => {
      const { page, context } = await studio.open({ viewport, deviceScaleFactor });
      await node(page, "lines").waitFor();

      const canvas = await boxOf(page.getByTestId("canvas"));
      expect(inside(canvas, viewport)).toBe(true);
      expect(canvas.width).toBeGreaterThanOrEqual(Math.max(240, viewport.width * 0.4));
      expect(canvas.height).toBeGreaterThanOrEqual(Math.max(150, viewport.height * 0.35));

      const runButton = page.getByTestId("run");
      const run = await boxOf(runButton);
      expect(inside(run, viewport)).toBe(true);
      expect(run.width).toBeGreaterThanOrEqual(40);
      expect(run.height).toBeGreaterThanOrEqual(20);

      const outputSection = page.locator('section[aria-label="Output"]');
      const heading = await boxOf(outputSection.locator("h3"));
      expect(inside(heading, viewport)).toBe(true);
      // The room for output lines: the section below its heading, as far as the window shows it.
      const section = await boxOf(outputSection);
      const room = { width: Math.min(section.x + section.width, viewport.width) - section.x, height: Math.min(section.y + section.height, viewport.height) - (heading.y + heading.height) };
      expect(room.width).toBeGreaterThanOrEqual(180);
      expect(room.height).toBeGreaterThanOrEqual(50);

      // Step text at the opening zoom, and the first step in view.
      const zoom = await zoomOf(page);
      expect((await smallestStepFont(page)) * zoom).toBeGreaterThanOrEqual(12);
      const first = await boxOf(node(page, "lines").locator(".id"));
      expect(first.x).toBeGreaterThanOrEqual(canvas.x);
      expect(first.x + first.width).toBeLessThanOrEqual(canvas.x + canvas.width);
      expect(first.y + first.height).toBeLessThanOrEqual(canvas.y + canvas.height);

      // The minimap takes little of the canvas, and none of a small one.
      const minimaps = await page.getByTestId("rf__minimap").count();
      if (canvas.width < 400 || canvas.height < 260) expect(minimaps).toBe(0);
      else {
        const map = await boxOf(page.getByTestId("rf__minimap"));
        expect((map.width * map.height) / (canvas.width * canvas.height)).toBeLessThan(0.1);
      }

      // The Run button is what is under the pointer at its centre, and running fills the output in view.
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest("[data-testid]")?.getAttribute("data-testid"), { x: run.x + run.width / 2, y: run.y + run.height / 2 });
      expect(hit).toBe("run");
      expect(await runAndWait(page)).toBe("done");
      expect((await outputLines(page)).length).toBeGreaterThan(0);
      const line = await boxOf(page.locator("[data-testid=output] .line").last());
      expect(inside(line, { width: viewport.width + line.width, height: viewport.height })).toBe(true);
      await context.close();
    });
  }

  it("side panels collapse and resize, the minimap hides, and the choices survive a reload", { timeout: 120_000 }, async () => {
    const viewport = { width: 1024, height: 700 };
    const { page, context } = await studio.open({ viewport });
    await node(page, "lines").waitFor();
    const before = await boxOf(page.getByTestId("canvas"));

    await page.getByTestId("toggle-palette").click();
    await expect.poll(async () => (await boxOf(page.getByTestId("canvas"))).x).toBeLessThan(before.x - 100);
    expect(await page.getByTestId("palette-map").count()).toBe(0);

    // Drag the properties panel's edge 120 px to the left: it widens.
    const edge = await boxOf(page.getByTestId("resize-side"));
    const sideBefore = await boxOf(page.locator(".side"));
    await page.mouse.move(edge.x + edge.width / 2, edge.y + 200);
    await page.mouse.down();
    await page.mouse.move(edge.x - 60, edge.y + 200, { steps: 5 });
    await page.mouse.move(edge.x - 120 + edge.width / 2, edge.y + 200, { steps: 5 });
    await page.mouse.up();
    const sideAfter = await boxOf(page.locator(".side"));
    expect(sideAfter.width - sideBefore.width).toBeGreaterThan(100);

    await page.getByTestId("toggle-minimap").click();
    await expect.poll(() => page.getByTestId("rf__minimap").count()).toBe(0);

    await page.reload();
    await node(page, "lines").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("palette-map").count()).toBe(0);
    expect(Math.abs((await boxOf(page.locator(".side"))).width - sideAfter.width)).toBeLessThanOrEqual(1);
    expect(await page.getByTestId("rf__minimap").count()).toBe(0);

    await page.getByTestId("toggle-palette").click();
    await page.getByTestId("palette-map").waitFor();
    await page.getByTestId("toggle-minimap").click();
    await page.getByTestId("rf__minimap").waitFor();
    await context.close();
  });

  it("the examples' connections cross no step, and a connection back to a new row runs in right angles", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    for (const example of ["wordcount", "anomaly-detector", "sessionizer", "ticker", "windowed-count", "running-max"]) {
      await openExample(page, example);
      await page.waitForTimeout(300);
      const report = await page.evaluate(() => {
        const nodes = Array.from(document.querySelectorAll(".react-flow__node")).map((element) => element.getBoundingClientRect());
        return Array.from(document.querySelectorAll<SVGPathElement>(".react-flow__edge path.react-flow__edge-path")).map((path) => {
          const matrix = path.getScreenCTM()!;
          const length = path.getTotalLength();
          const points: { x: number; y: number }[] = [];
          for (let i = 0; i <= 200; i++) {
            const point = path.getPointAtLength((length * i) / 200);
            points.push(new DOMPoint(point.x, point.y).matrixTransform(matrix));
          }
          // Ignore the ends, which touch their own steps' handles.
          const middle = points.filter((_, index) => index > 10 && index < 190);
          const crossing = middle.filter((point) => nodes.some((box) => point.x > box.left + 1 && point.x < box.right - 1 && point.y > box.top + 1 && point.y < box.bottom - 1)).length;
          let diagonal = 0;
          for (let i = 1; i < points.length; i++) {
            const dx = Math.abs(points[i]!.x - points[i - 1]!.x);
            const dy = Math.abs(points[i]!.y - points[i - 1]!.y);
            if (dx > 0.2 && dy > 0.2) diagonal += Math.hypot(dx, dy);
          }
          const backwards = points[points.length - 1]!.x < points[0]!.x;
          return { id: path.closest(".react-flow__edge")!.getAttribute("data-id"), crossing, backwards, diagonalShare: diagonal / (length * matrix.a) };
        });
      });
      expect(report.length, example).toBeGreaterThan(0);
      for (const edge of report) {
        expect(edge.crossing, `${example}: ${edge.id} crosses a step`).toBe(0);
        if (edge.backwards) expect(edge.diagonalShare, `${example}: ${edge.id} runs back diagonally`).toBeLessThan(0.1);
      }
    }
    await context.close();
  });
});
