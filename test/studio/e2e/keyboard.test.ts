/**
 * The studio without a mouse, in real Chromium with real key presses only (the page counts
 * pointer events and must see none): skip links to Run, clear the canvas, add four steps from the
 * palette (each inserted after the selected one, or in view), connect two with the connect menu,
 * move along connections with the arrows, open a step's form and type its function, go back to
 * the canvas with Escape, run with Ctrl+Enter and read the output; the `?` help lists every
 * shortcut of the table the keys are handled from; Tab visits the steps, then the connections.
 */

import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { SAMPLE_ITEMS } from "../../../studio/state/defaults.js";
import { SHORTCUTS } from "../../../studio/state/shortcuts.js";
import { useStudio } from "../../helpers/studioApp.js";
import { focused, node, outputLines, waitForFinalStatus } from "./ui.js";

const studio = useStudio();

/** Presses Tab until the element with this test id has the focus (at most `limit` times). */
async function tabTo(page: Page, testId: string, limit = 30): Promise<number> {
  for (let presses = 0; presses < limit; presses++) {
    if ((await focused(page)) === testId) return presses;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${testId} not reached in ${limit} Tabs (focus on ${await focused(page)})`);
}

async function stepIds(page: Page): Promise<string[]> {
  return page.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((element) => element.getAttribute("data-id")!));
}

async function connections(page: Page): Promise<string[]> {
  return (await page.locator(".react-flow__edge").evaluateAll((edges) => edges.map((element) => element.getAttribute("data-id")!))).sort();
}

describe("the studio with the keyboard only", () => {
  it("builds, connects, edits and runs a 4-step flow without a single pointer event", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      await node(page, "count").waitFor();
      await page.evaluate(() => {
        const counter = window as unknown as { pointerEvents: number };
        counter.pointerEvents = 0;
        for (const type of ["pointerdown", "pointerup", "mousedown", "mouseup", "pointermove"]) window.addEventListener(type, () => (counter.pointerEvents += 1), true);
      });

      // The skip links come first: the third Tab stop takes the focus to Run.
      await page.keyboard.press("Tab");
      expect(await focused(page)).toBe("skip-palette");
      expect(await tabTo(page, "skip-run")).toBe(2);
      await page.keyboard.press("Enter");
      expect(await focused(page)).toBe("run");

      // Clear the canvas: go to it, select everything, delete.
      await page.keyboard.press("Shift+Alt+C");
      await expect.poll(() => focused(page)).toMatch(/^step:/);
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.press("Delete");
      await expect.poll(() => page.locator(".react-flow__node").count()).toBe(0);

      // An input from the palette (Enter), then flat_map and map: each goes after the selected step.
      await page.keyboard.press("Shift+Alt+P");
      expect(await focused(page)).toBe("palette-input");
      await page.keyboard.press("Enter");
      await expect.poll(() => stepIds(page)).toEqual(["input_1"]);
      await tabTo(page, "palette-flat_map");
      await page.keyboard.press("Enter");
      await page.keyboard.press("ArrowUp"); // the palette is a list: the arrows move in it
      expect(await focused(page)).toBe("palette-map");
      await page.keyboard.press("Space");
      await expect.poll(() => connections(page)).toEqual(["flat_map_1->map_1", "input_1->flat_map_1"]);

      // Nothing selected (Escape on the canvas): the capture lands in view, connected to nothing.
      await page.keyboard.press("Shift+Alt+C");
      await expect.poll(() => focused(page)).toBe("step:map_1");
      await page.keyboard.press("Escape");
      await expect.poll(() => page.locator(".react-flow__node.selected").count()).toBe(0);
      await page.keyboard.press("Shift+Alt+P");
      await tabTo(page, "palette-capture");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator(".react-flow__node").count()).toBe(4);
      expect(await connections(page)).toHaveLength(2);
      expect(await page.getByTestId("announcer").textContent()).toContain("capture_1, a capture step, not connected");

      // Connect map_1 to capture_1: Shift+Tab from the capture to the map (the file's order), C, choose, Enter.
      await page.keyboard.press("Shift+Alt+C");
      await expect.poll(() => focused(page)).toBe("step:capture_1");
      await page.keyboard.press("Shift+Tab");
      await expect.poll(() => focused(page)).toBe("step:map_1");
      await page.keyboard.press("c");
      await page.getByTestId("connect-menu").waitFor();
      expect(await focused(page)).toBe("connect-choice-capture_1");
      // A refused choice says why and connects nothing.
      expect(await page.getByTestId("connect-choice-input_1").textContent()).toContain("is an input");
      await page.keyboard.press("Enter");
      await page.getByTestId("connect-menu").waitFor({ state: "detached" });
      await expect.poll(() => connections(page)).toEqual(["flat_map_1->map_1", "input_1->flat_map_1", "map_1->capture_1"]);
      await expect.poll(() => focused(page)).toBe("step:map_1");

      // The arrows follow the connections.
      await page.keyboard.press("ArrowLeft");
      await expect.poll(() => focused(page)).toBe("step:flat_map_1");
      await page.keyboard.press("ArrowLeft");
      await expect.poll(() => focused(page)).toBe("step:input_1");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => focused(page)).toBe("step:map_1");
      expect(await page.getByTestId("announcer").textContent()).toBe("map_1, a map step, fed by flat_map_1, feeds capture_1");

      // Enter opens the form; Tab to the function, type it; Escape goes back to the step.
      await page.keyboard.press("Enter");
      await expect.poll(() => focused(page)).toBe("step-id");
      await tabTo(page, "fn-fn");
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type("item => item.toUpperCase()");
      await page.keyboard.press("Escape");
      await expect.poll(() => focused(page)).toBe("step:map_1");

      // Run with Ctrl+Enter.
      await page.keyboard.press("ControlOrMeta+Enter");
      expect(await waitForFinalStatus(page)).toBe("done");
      expect(await outputLines(page)).toEqual(SAMPLE_ITEMS.map((line) => line.toUpperCase()));

      // The help lists every shortcut of the table; Escape closes it and the focus comes back.
      await page.keyboard.press("?");
      await page.getByTestId("shortcuts-dialog").waitFor();
      for (const shortcut of SHORTCUTS) {
        const row = page.getByTestId(`shortcut-${shortcut.id}`);
        expect(await row.textContent()).toBe(`${shortcut.keys}${shortcut.does}`);
      }
      await page.keyboard.press("Escape");
      await page.getByTestId("shortcuts-dialog").waitFor({ state: "detached" });
      await expect.poll(() => focused(page)).toBe("step:map_1");

      // Tab walks the steps, then the connections, then leaves the canvas; Delete on a connection removes it.
      await page.keyboard.press("Tab");
      expect(await focused(page)).toBe("step:capture_1");
      const walked: string[] = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press("Tab");
        walked.push(await focused(page));
      }
      expect(walked).toEqual(["rf__edge-input_1->flat_map_1", "rf__edge-flat_map_1->map_1", "rf__edge-map_1->capture_1"]);
      await page.keyboard.press("Delete");
      await expect.poll(() => connections(page)).toEqual(["flat_map_1->map_1", "input_1->flat_map_1"]);
      await expect.poll(() => focused(page)).toBe("step:map_1");
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => connections(page)).toHaveLength(3);
      for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
      expect(await focused(page)).toBe("rf__edge-map_1->capture_1");
      await page.keyboard.press("Tab");
      expect(await focused(page)).not.toMatch(/^(step:|rf__edge-)/);

      expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0);
    } finally {
      await context.close();
    }
  });
});
