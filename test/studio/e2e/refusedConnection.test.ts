/**
 * A refused connection says why while it is drawn, with real mouse events in Chromium: drawing
 * from the word count's last step back to its second shows, next to the pointer, that it would
 * make a cycle and which one, the target handle marked refused; over the body of another step of
 * the chain it says so too; on release nothing is connected and the reason stays. A connection
 * that is allowed, released anywhere on its step, is made.
 */

import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { useStudio } from "../../helpers/studioApp.js";
import { node } from "./ui.js";

const studio = useStudio();

async function connections(page: Page): Promise<string[]> {
  return (await page.locator(".react-flow__edge").evaluateAll((edges) => edges.map((element) => element.getAttribute("data-id")!))).sort();
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

describe("refused connections", () => {
  it("say why on the canvas while the user drags, and stay refused on release", { timeout: 90_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      await node(page, "out").waitFor();
      const before = await connections(page);
      const refusal = page.getByTestId("connection-refused");

      // From out's output to lower's input: out is downstream of lower.
      const from = await centre(node(page, "out").locator(".react-flow__handle.source"));
      const targetHandle = node(page, "lower").locator(".react-flow__handle.target");
      const to = await centre(targetHandle);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
      expect(await refusal.count()).toBe(0); // nothing to say over the empty canvas
      await page.mouse.move(to.x, to.y, { steps: 8 });
      await expect.poll(() => refusal.textContent()).toContain("Cannot connect out → lower");
      expect(await refusal.textContent()).toContain('This would make a cycle: "out" → "lower" → "words" → "pairs" → "count" → "format" → "out"');
      const handleClass = (await targetHandle.getAttribute("class")) ?? "";
      expect(handleClass).toContain("connectingto");
      expect(handleClass.split(" ")).not.toContain("valid");
      // The reason is next to the pointer.
      const box = (await refusal.boundingBox())!;
      expect(Math.abs(box.x - to.x)).toBeLessThan(60);
      expect(Math.abs(box.y - to.y)).toBeLessThan(60);

      // Over the body of another step of the chain, away from its handles.
      const words = await centre(node(page, "words").locator(".id"));
      await page.mouse.move(words.x, words.y, { steps: 8 });
      await expect.poll(() => refusal.textContent()).toContain("Cannot connect out → words");

      // Released: nothing is connected, and the reason stays.
      await page.mouse.up();
      expect(await connections(page)).toEqual(before);
      await expect.poll(() => refusal.textContent()).toContain("Not connected.");
      expect(await refusal.textContent()).toContain("would make a cycle");
      expect(await page.getByTestId("announcer").textContent()).toContain("Not connected");

      // An allowed connection, released on the middle of its step, is made.
      const lines = await centre(node(page, "lines").locator(".react-flow__handle.source"));
      const out = await centre(node(page, "out").locator(".id"));
      await page.mouse.move(lines.x, lines.y);
      await page.mouse.down();
      await page.mouse.move(out.x, out.y, { steps: 12 });
      expect(await refusal.count()).toBe(0);
      await page.mouse.up();
      await expect.poll(() => connections(page)).toEqual([...before, "lines->out"].sort());
      expect(await refusal.count()).toBe(0); // the earlier refusal went when this drag began
    } finally {
      await context.close();
    }
  });
});
