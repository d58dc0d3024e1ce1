/**
 * Copy and paste with the keyboard, and import of a flow file, in real Chromium: the clipboard
 * holds flow-file JSON; a pasted copy gets fresh ids and keeps its inner connection; an imported
 * file with mistakes opens with its problems shown on its steps.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { clickCanvasBackground, node } from "./ui.js";

const studio = useStudio();
const scratch = mkdtempSync(join(tmpdir(), "eddy-clipboard-"));


afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("the clipboard and import", () => {
  it("copies two connected steps as flow JSON and pastes them with new ids", { timeout: 60_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: studio.server.url });
      await node(page, "words").locator(".id").click();
      await node(page, "pairs").locator(".id").click({ modifiers: ["Shift"] });
      await expect.poll(() => page.locator(".react-flow__node.selected").count()).toBe(2);
      await page.keyboard.press("ControlOrMeta+c");
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const fragment = JSON.parse(copied);
      expect(fragment.format).toBe("eddy.flow");
      expect(fragment.steps.map((step: { id: string }) => step.id)).toEqual(["words", "pairs"]);

      const before = await page.locator(".react-flow__node").count();
      const edgesBefore = await page.locator(".react-flow__edge").count();
      await page.keyboard.press("ControlOrMeta+v");
      await expect.poll(() => page.locator(".react-flow__node").count()).toBe(before + 2);
      expect(await page.locator(".react-flow__edge").count()).toBe(edgesBefore + 1);
      const ids = await page.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((element) => element.getAttribute("data-id")));
      expect(new Set(ids).size).toBe(ids.length);

      // Undo takes the paste back in one step.
      await clickCanvasBackground(page);
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => page.locator(".react-flow__node").count()).toBe(before);
    } finally {
      await context.close();
    }
  });

  it("imports a flow file with mistakes and shows each problem on its step", { timeout: 60_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      const file = join(scratch, "broken.json");
      writeFileSync(
        file,
        JSON.stringify({
          format: "eddy.flow",
          version: 1,
          name: "broken",
          steps: [
            { id: "in", op: "input", input: { type: "list", items: [1, 2] } },
            { id: "double", op: "map", after: ["in"], fn: "x => x *" },
            { id: "out", op: "capture", after: ["nowhere"], output: { type: "stdout" } },
          ],
        }),
      );
      await page.getByTestId("import-file").setInputFiles(file);
      await expect.poll(() => page.getByTestId("flow-name").textContent()).toContain("broken");
      await expect.poll(() => page.getByTestId("problem-double").count()).toBe(1);
      expect(await page.getByTestId("problem-out").textContent()).toContain("nowhere");
      expect(await page.getByTestId("problem-in").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
