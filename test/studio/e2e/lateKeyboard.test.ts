/**
 * A window step's late items, connected with the keyboard only, in real Chromium (the page counts
 * pointer events and must see none): open the windowed-count example from the gallery, add a
 * capture, select the window step, press C, choose "its late items", see refused steps say why,
 * choose the capture and press Enter. The connection is announced and is one undo step; Shift+C on
 * the capture lists the late items as a source; Tab reaches the late connection, which is read out
 * as such and Delete removes; `?` says how. The exported file has `"after": ["views_per_window:late"]`
 * on the capture, and the simulated run writes the late view there, as `eddy run` does on that file.
 */

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useStudio } from "../../helpers/studioApp.js";
import { REPO, describeRun, eddy, exampleCopy, lines, removeTemporaryDirectories } from "../../runner/cli.js";
import { focused, outputLines, waitForFinalStatus } from "./ui.js";

const studio = useStudio();

afterAll(() => {
  removeTemporaryDirectories();
});

/** Presses `key` until `target` has the focus (at most `limit` times). */
async function pressUntil(page: Page, key: string, target: string, limit = 30): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if ((await focused(page)) === target) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${target} not reached in ${limit} presses of ${key} (focus on ${await focused(page)})`);
}

async function connections(page: Page): Promise<string[]> {
  return (await page.locator(".react-flow__edge").evaluateAll((edges) => edges.map((element) => element.getAttribute("data-id")!))).sort();
}

const announced = (page: Page) => page.getByTestId("announcer").textContent();
const LATE = "views_per_window:late->capture_1";

describe("a window step's late items, connected with the keyboard", () => {
  it("C on the window step, its late items, a capture, Enter: exported as ID:late, and the run writes the late view there", { timeout: 180_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      await page.getByTestId("node-count").waitFor();
      await page.evaluate(() => {
        const counter = window as unknown as { pointerEvents: number };
        counter.pointerEvents = 0;
        for (const type of ["pointerdown", "pointerup", "mousedown", "mouseup", "pointermove"]) window.addEventListener(type, () => (counter.pointerEvents += 1), true);
      });

      // The gallery from the toolbar: the windowed-count example is the last one, just before Close.
      await pressUntil(page, "Tab", "open-examples");
      await page.keyboard.press("Enter");
      await page.getByTestId("examples-dialog").waitFor();
      await pressUntil(page, "Shift+Tab", "example-windowed-count");
      await page.keyboard.press("Enter");
      await page.getByTestId("examples-dialog").waitFor({ state: "detached" });
      await page.getByTestId("node-views_per_window").waitFor();

      // A capture for the late items, connected to nothing (nothing selected: it lands in view).
      await page.keyboard.press("Shift+Alt+C");
      await expect.poll(() => focused(page)).toMatch(/^step:/);
      await page.keyboard.press("Escape");
      await expect.poll(() => page.locator(".react-flow__node.selected").count()).toBe(0);
      await page.keyboard.press("Shift+Alt+P");
      await pressUntil(page, "Tab", "palette-capture");
      await page.keyboard.press("Enter");
      await page.getByTestId("node-capture_1").waitFor();
      await expect.poll(() => announced(page)).toContain("capture_1, a capture step, not connected");
      const before = await connections(page);

      // Select the window step (Tab walks the steps in the file's order) and press C: which output?
      await page.keyboard.press("Shift+Alt+C");
      await expect.poll(() => focused(page)).toBe("step:capture_1");
      await pressUntil(page, "Shift+Tab", "step:views_per_window", 10);
      await page.keyboard.press("c");
      const menu = page.getByTestId("connect-menu");
      await menu.waitFor();
      expect(await menu.getAttribute("aria-label")).toBe("Connect views_per_window: which output?");
      expect(await focused(page)).toBe("connect-output-main");
      await page.keyboard.press("ArrowDown");
      expect(await focused(page)).toBe("connect-output-late");
      await page.keyboard.press("Enter");
      await expect.poll(() => menu.getAttribute("aria-label")).toBe("Connect the late items of views_per_window to…");

      // The late items' targets, the allowed first; refused ones say why, and Enter on one connects nothing.
      await expect.poll(() => focused(page)).toBe("connect-choice-format");
      expect(await page.getByTestId("connect-choice-capture_1").textContent()).toContain("late items → capture_1");
      expect(await page.getByTestId("connect-choice-views").textContent()).toContain('"views" is an input');
      const cycle = page.getByTestId("connect-choice-timestamped");
      expect(await cycle.textContent()).toContain('This would make a cycle: "views_per_window:late" → "timestamped" → "views_per_window"');
      await pressUntil(page, "ArrowDown", "connect-choice-timestamped", 10);
      await page.keyboard.press("Enter");
      await expect.poll(() => menu.getByRole("alert").textContent()).toContain("This would make a cycle");
      expect(await announced(page)).toContain("Not connected: This would make a cycle");
      expect(await connections(page)).toEqual(before);

      await pressUntil(page, "ArrowUp", "connect-choice-capture_1", 10);
      await page.keyboard.press("Enter");
      await menu.waitFor({ state: "detached" });
      await expect.poll(() => connections(page)).toEqual([...before, LATE].sort());
      expect(await announced(page)).toBe("Connected: the late items of views_per_window feed capture_1");
      await expect.poll(() => focused(page)).toBe("step:views_per_window");

      // One undo step; redo brings it back.
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => connections(page)).toEqual(before);
      await page.keyboard.press("ControlOrMeta+Shift+z");
      await expect.poll(() => connections(page)).toEqual([...before, LATE].sort());

      // Shift+C on the capture lists the late items as a source: refused now, since they already feed it.
      await pressUntil(page, "Tab", "step:capture_1", 10);
      expect(await page.locator(".react-flow__node[data-id=capture_1]").getAttribute("aria-label")).toBe("capture_1, a capture step, fed by the late items of views_per_window");
      await page.keyboard.press("Shift+C");
      await menu.waitFor();
      expect(await menu.getAttribute("aria-label")).toBe("Connect a step to capture_1…");
      const lateSource = page.getByTestId("connect-choice-views_per_window:late");
      expect(await lateSource.textContent()).toContain("views_per_window (late items)");
      expect(await lateSource.textContent()).toContain('"views_per_window:late" already feeds "capture_1"');
      expect(await page.getByTestId("connect-choice-views_per_window").getAttribute("aria-disabled")).toBe("false");
      await page.keyboard.press("Escape");
      await menu.waitFor({ state: "detached" });
      await expect.poll(() => focused(page)).toBe("step:capture_1");

      // Tab reaches the late connection, read out as late items; Delete removes it (and says so); undo.
      await pressUntil(page, "Tab", `rf__edge-${LATE}`, 20);
      expect(await page.getByTestId(`rf__edge-${LATE}`).getAttribute("aria-label")).toBe("Connection: the late items of views_per_window feed capture_1");
      await page.keyboard.press("Delete");
      await expect.poll(() => connections(page)).toEqual(before);
      expect(await announced(page)).toBe("Removed the connection: the late items of views_per_window no longer feed capture_1");
      await page.keyboard.press("ControlOrMeta+z");
      await expect.poll(() => connections(page)).toEqual([...before, LATE].sort());

      // The help says how.
      await page.keyboard.press("Shift+Alt+C");
      await expect.poll(() => focused(page)).toMatch(/^step:/);
      await page.keyboard.press("?");
      await page.getByTestId("shortcuts-dialog").waitFor();
      expect(await page.getByTestId("shortcut-connectTo").textContent()).toContain("its results or its late items");
      expect(await page.getByTestId("shortcut-connectFrom").textContent()).toContain("late items");
      await page.keyboard.press("Escape");
      await page.getByTestId("shortcuts-dialog").waitFor({ state: "detached" });

      // The exported file: the capture takes the window step's late items.
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.keyboard.press("ControlOrMeta+s")]);
      const flowText = readFileSync(await download.path(), "utf8");
      const exported = JSON.parse(flowText) as { steps: { id: string; after?: string[] }[] };
      expect(exported.steps.find((step) => step.id === "capture_1")!.after).toEqual(["views_per_window:late"]);

      // The simulated run writes the late /pricing view (12:00:02) there, besides the six window counts.
      await page.keyboard.press("ControlOrMeta+Enter");
      expect(await waitForFinalStatus(page, 90_000)).toBe("done");
      const shown = (await outputLines(page)).sort();
      const counts = lines(readFileSync(join(REPO, "examples/expected/windowed-count.txt"), "utf8"));
      const extra = shown.filter((line) => !counts.includes(line));
      expect(shown.filter((line) => counts.includes(line)).sort()).toEqual([...counts].sort());
      expect(extra).toHaveLength(1);
      expect(extra[0]).toContain("/pricing");
      expect(extra[0]).toContain("2026-11-23T12:00:02");
      await expect.poll(() => page.getByTestId("late-views_per_window").textContent()).toBe(", 1 late");

      // `eddy run` on the exported file prints the same lines.
      const file = exampleCopy("windowed-count");
      writeFileSync(file, flowText);
      const result = await eddy(["run", file], { timeoutMs: 60_000 });
      expect(result.code, describeRun(result)).toBe(0);
      expect(lines(result.stdout).sort()).toEqual(shown);

      expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0);
    } finally {
      await context.close();
    }
  });
});
