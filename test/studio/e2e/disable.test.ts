/**
 * Disabling steps and forgiving unfinished ones, in real Chromium with real mouse and keyboard:
 * a user adds a branch to a new flow, disables a step with D (the canvas dims it and the step it
 * alone fed; the output lacks what it did), undoes and disables it again from its form, exports
 * the file (it holds "disabled": true, and `eddy run` prints what the studio showed). A stray,
 * unconnected step no longer blocks the run: it is a warning on the step, and the run skips it.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { describeRun, eddy, lines } from "../../runner/cli.js";
import { clickCanvasBackground, connect, dragFromPalette, node, outputLines, runAndWait, select, typeInto } from "./ui.js";

const studio = useStudio();
const scratch = mkdtempSync(join(tmpdir(), "eddy-disable-"));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const UPPER = ["TO BE OR NOT TO BE", "THAT IS THE QUESTION", "THE REST IS SILENCE"];
const LENGTHS = ["18", "20", "19"];

/** The ids of the step nodes on the canvas. */
async function nodeIds(page: Page): Promise<string[]> {
  return page.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((element) => element.getAttribute("data-id")!));
}

/** Drags a step of kind `op` from the palette to (dx, dy) of the canvas; returns its id. */
async function addStep(page: Page, op: string, dx: number, dy: number): Promise<string> {
  const before = await nodeIds(page);
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  await dragFromPalette(page, op, { x: canvas.x + dx, y: canvas.y + dy });
  await expect.poll(() => nodeIds(page).then((ids) => ids.length)).toBe(before.length + 1);
  return (await nodeIds(page)).find((id) => !before.includes(id))!;
}

/** A new flow (source → transform, upper-casing → out), fitted in view. */
async function newFlow(page: Page): Promise<void> {
  await page.getByTestId("new-flow").click();
  await expect.poll(() => nodeIds(page).then((ids) => ids.sort())).toEqual(["out", "source", "transform"]);
}

const runState = (page: Page, stepId: string) => node(page, stepId).getAttribute("data-run");

describe("disabling a step in the studio", () => {
  it("D disables the selected step: the canvas dims it and what it alone fed, the output lacks what it did; undo, the form and the export agree", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    await newFlow(page);

    // A second branch: source → lengths → lengths-out.
    const lengths = await addStep(page, "map", 300, 420);
    const lengthsOut = await addStep(page, "capture", 600, 420);
    await connect(page, "source", lengths);
    await connect(page, lengths, lengthsOut);
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(4);
    await select(page, lengths);
    await typeInto(page, "fn-fn", "item => item.length");
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("done");
    expect((await outputLines(page)).sort()).toEqual([...UPPER, ...LENGTHS].sort());

    // D on the selected step disables it; the capture it alone fed is skipped.
    await select(page, "transform");
    await page.keyboard.press("d");
    await expect.poll(() => runState(page, "transform")).toBe("disabled");
    expect(await runState(page, "out")).toBe("skipped");
    expect(await runState(page, lengths)).toBe("runs");
    expect(await page.getByTestId("not-run-transform").textContent()).toBe("disabled");
    expect(await page.getByTestId("not-run-out").textContent()).toBe("skipped: only steps that do not run feed it");
    expect(Number(await node(page, "transform").evaluate((element) => getComputedStyle(element).opacity))).toBeLessThan(1);
    expect(await page.getByTestId("step-disabled").isChecked()).toBe(true);
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("done");
    expect((await outputLines(page)).sort()).toEqual([...LENGTHS].sort());
    expect(await page.getByTestId("count-transform").textContent()).not.toContain("items");

    // Undo enables it again; the form's switch disables it once more.
    await page.keyboard.press("ControlOrMeta+z");
    await expect.poll(() => runState(page, "transform")).toBe("runs");
    expect(await runState(page, "out")).toBe("runs");
    await select(page, "transform");
    expect(await page.getByTestId("step-disabled").isChecked()).toBe(false);
    await page.getByTestId("step-disabled").click();
    await expect.poll(() => runState(page, "transform")).toBe("disabled");

    // The exported file holds "disabled": true, and `eddy run` prints what the studio shows.
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("done");
    const shown = (await outputLines(page)).sort();
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.getByTestId("export").click()]);
    const file = join(scratch, "disabled.json");
    await download.saveAs(file);
    const exported = JSON.parse(readFileSync(file, "utf8")) as { steps: { id: string; disabled?: boolean }[] };
    expect(exported.steps.filter((step) => step.disabled).map((step) => step.id)).toEqual(["transform"]);
    const result = await eddy(["run", file], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expect(lines(result.stdout).sort()).toEqual(shown);
    expect(shown).toEqual([...LENGTHS].sort());
    await context.close();
  });

  it("a flow with one unconnected step runs, with a warning on that step; connecting it clears the warning", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    await newFlow(page);
    const stray = await addStep(page, "filter", 400, 420);

    await expect.poll(() => runState(page, stray)).toBe("unfinished");
    expect(await page.getByTestId(`not-run-${stray}`).textContent()).toBe("skipped: not connected");
    expect(await page.getByTestId(`problem-${stray}`).getAttribute("class")).toContain("warning");
    expect(await page.getByTestId(`problem-${stray}`).textContent()).toContain("Nothing feeds this step");
    expect(await node(page, stray).getAttribute("class")).toContain("has-warning");
    expect(await page.getByTestId("not-run-count").textContent()).toContain("1 step does not run");
    expect(await runAndWait(page)).toBe("done");
    expect(await outputLines(page)).toEqual(UPPER);
    expect(await page.getByTestId("run-error").count()).toBe(0);

    await connect(page, "transform", stray);
    await expect.poll(() => runState(page, stray)).toBe("runs");
    expect(await page.getByTestId(`problem-${stray}`).count()).toBe(0);
    expect(await page.getByTestId("not-run-count").count()).toBe(0);
    await context.close();
  });
});
