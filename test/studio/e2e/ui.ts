/// <reference lib="dom" />
/**
 * What a user does in the studio, as Playwright steps with real mouse and keyboard events:
 * drag from the palette, connect handles, type into a function editor, run and read the output.
 */

import type { Locator, Page } from "playwright-core";

const TIMEOUT = 20_000;

export function node(page: Page, stepId: string): Locator {
  return page.getByTestId(`node-${stepId}`);
}

async function centerOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox({ timeout: TIMEOUT });
  if (!box) throw new Error("element has no box (not visible)");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Presses the mouse on a palette entry and moves it, in steps, to (x, y) of the page, then releases. */
export async function dragFromPalette(page: Page, op: string, to: { x: number; y: number }): Promise<void> {
  const entry = page.getByTestId(`palette-${op}`);
  await entry.scrollIntoViewIfNeeded();
  const from = await centerOf(entry);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 20, from.y + 5, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

/** Drags from `from`'s output handle to `to`'s input handle. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  // The right-hand output handle (a window step has a second one, below, for its late items).
  const source = await centerOf(node(page, from).locator(".react-flow__handle-right.source"));
  const target = await centerOf(node(page, to).locator(".react-flow__handle.target"));
  await page.mouse.move(source.x, source.y);
  await page.mouse.down();
  await page.mouse.move((source.x + target.x) / 2, (source.y + target.y) / 2, { steps: 8 });
  await page.mouse.move(target.x, target.y, { steps: 8 });
  await page.mouse.up();
}

/** The focused element's test id, or `step:ID` for a step on the canvas (keyboard journeys). */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return "";
    if (element.classList.contains("react-flow__node")) return `step:${element.dataset.id}`;
    return element.getAttribute("data-testid") ?? element.tagName.toLowerCase();
  });
}

/** Selects a step by clicking its node's title. */
export async function select(page: Page, stepId: string): Promise<void> {
  await node(page, stepId).locator(".id").click();
  await page.getByTestId("step-form").waitFor({ timeout: TIMEOUT });
}

/** Replaces the text of a CodeMirror editor (found by its test id) by typing. */
export async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const editor = page.getByTestId(testId);
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(text);
}

export async function clickCanvasBackground(page: Page): Promise<void> {
  await page.locator(".react-flow__pane").click({ position: { x: 15, y: 15 } });
}

/** Clicks Run and waits for a final status (done, stopped or failed); returns it. */
export async function runAndWait(page: Page, timeoutMs = 30_000): Promise<string> {
  await page.getByTestId("run").click();
  return waitForFinalStatus(page, timeoutMs);
}

export async function waitForFinalStatus(page: Page, timeoutMs = 30_000): Promise<string> {
  const status = page.getByTestId("run-status");
  await page.waitForFunction(
    () => ["done", "stopped", "failed", "crashed"].includes(document.querySelector("[data-testid=run-status]")?.textContent ?? ""),
    undefined,
    { timeout: timeoutMs },
  );
  return (await status.textContent()) ?? "";
}

/** The output lines on screen (the text only), in order. */
export async function outputLines(page: Page): Promise<string[]> {
  return page.locator("[data-testid=output] .line .text").allTextContents();
}

export interface OutputRecord {
  epoch: number;
  text: string;
}

/** The output on screen with each line's epoch, and the markers (crash, resume) between them. */
export async function outputRecords(page: Page): Promise<(OutputRecord | { marker: string })[]> {
  return page.locator("[data-testid=output] > div").evaluateAll((elements) =>
    elements.flatMap((element): ({ epoch: number; text: string } | { marker: string })[] => {
      if (element.classList.contains("marker")) return [{ marker: element.textContent ?? "" }];
      if (!element.classList.contains("line")) return [];
      return [{ epoch: Number((element as HTMLElement).dataset.epoch), text: element.querySelector(".text")?.textContent ?? "" }];
    }),
  );
}

/** Opens an example from the gallery. */
export async function openExample(page: Page, name: string): Promise<void> {
  await page.getByTestId("open-examples").click();
  await page.getByTestId(`example-${name}`).click();
  await page.getByTestId("examples-dialog").waitFor({ state: "detached", timeout: TIMEOUT });
}
