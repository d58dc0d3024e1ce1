/// <reference lib="dom" />
/**
 * Help in place and the smaller fixes, as a user meets them in real Chromium: a step kind's help in
 * its form and in the palette's tooltip; the event clock's function says what it receives and
 * returns; a duration field takes "10s" and the document gets milliseconds; a run error names the
 * step's `fn` (not `mapper`) and where in the function it was thrown; typing `{`, Enter, body,
 * Enter, `}` gives balanced code; a sample as JSON lines, typed or loaded from a file, with its
 * count; an import clears the previous flow's run error; React Flow is credited in the About box.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { REPO } from "../../runner/cli.js";
import { clickCanvasBackground, node, outputLines, runAndWait, select, typeInto } from "./ui.js";

const studio = useStudio();
const scratch = mkdtempSync(join(tmpdir(), "eddy-help-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The lines of a CodeMirror editor, as the user sees them. */
async function editorLines(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).locator(".cm-line").allTextContents();
}

/** The document as Export writes it. */
async function exported(page: Page): Promise<{ steps: Record<string, any>[] }> {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.getByTestId("export").click()]);
  const file = join(scratch, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return JSON.parse(readFileSync(file, "utf8"));
}

describe("help in place", () => {
  it("a step kind's help in its form and the palette; the event clock's function; durations in ms or 10s", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    await node(page, "count").waitFor();

    // The palette's tooltip: what filter does, its function's signature, an example.
    const tooltip = (await page.getByTestId("palette-filter").getAttribute("title")) ?? "";
    expect(tooltip).toContain("Keeps the items for which");
    expect(tooltip).toContain("fn(item) => true or false");
    expect(tooltip).toMatch(/Example:\n\s+"fn": "word => word.length > 0"/);

    // The form of the word count's reduce_window: its help, and each function's signature under its editor.
    await select(page, "count");
    const help = page.getByTestId("step-help");
    expect(await help.textContent()).toContain("fn(accumulator, value) => accumulator");
    expect(await help.textContent()).toContain("Items must be [key, value] arrays");
    expect(await page.getByTestId("step-help-example").textContent()).toContain('"window": {"type":"tumbling","length":60000}');

    // The event clock: its function receives the value, not the pair, and must return a Date or epoch ms.
    await page.getByTestId("block-clock-type").selectOption("event");
    const clockFn = page.getByTestId("block-clock").locator(".field", { has: page.getByTestId("block-clock-fn") });
    const hint = (await clockFn.locator(".hint").textContent()) ?? "";
    expect(hint).toContain("fn(value) => Date or epoch milliseconds");
    expect(hint).toContain("the value of each [key, value] item (not the pair)");
    expect(hint).toContain("must be a Date or epoch milliseconds");

    // A duration says ms and takes 10s; the document holds milliseconds.
    const wait = page.getByTestId("block-clock-waitForSystemDuration");
    const waitField = page.getByTestId("block-clock").locator(".field", { has: wait });
    expect(await waitField.locator("label").textContent()).toBe("waitForSystemDuration (ms)");
    await wait.fill("10s");
    await wait.blur();
    await expect.poll(() => wait.inputValue()).toBe("10000");
    expect(await waitField.locator(".hint").textContent()).toContain("= 10 s");
    const windowLength = page.getByTestId("block-window-length");
    await windowLength.fill("2m");
    await windowLength.blur();
    await clickCanvasBackground(page);
    const doc = await exported(page);
    const count = doc.steps.find((step) => step.id === "count")!;
    expect(count.clock.waitForSystemDuration).toBe(10_000);
    expect(count.window.length).toBe(120_000);
    await context.close();
  });

  it("a run error names the step's fn and where in the function it was thrown; an import clears it", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    await node(page, "words").waitFor();

    // A flat_map whose function returns a number: the error names `fn`, the flow file's name for it.
    await select(page, "words");
    await typeInto(page, "fn-fn", "line => line.length");
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("failed");
    const notIterable = (await page.getByTestId("run-error").textContent()) ?? "";
    expect(notIterable).toContain('Step "words" (flat_map): return value of `fn` must be iterable');
    expect(notIterable).not.toContain("mapper");

    // A function that throws on its second line: the line and column inside the function, as the runner prints them.
    await select(page, "words");
    await typeInto(page, "fn-fn", "line => {\nconst n = line.nope();");
    await page.keyboard.press("Enter");
    await page.keyboard.type("return [n];");
    await page.keyboard.press("Enter");
    await page.keyboard.type("}");
    expect(await editorLines(page, "fn-fn")).toEqual(["line => {", "  const n = line.nope();", "  return [n];", "}"]);
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("failed");
    const column = "  const n = line.nope();".indexOf("nope") + 1;
    expect(await page.getByTestId("run-error-location").textContent()).toContain(`at line 2, column ${column} of the function \`fn\` of step "words"`);

    // Import another flow: the previous flow's error is gone.
    await page.getByTestId("import-file").setInputFiles(join(REPO, "examples/running-max.json"));
    await node(page, "max").waitFor();
    await expect.poll(() => page.getByTestId("run-error").count()).toBe(0);
    expect(await page.getByTestId("run-status").textContent()).toBe("idle");
    await context.close();
  });
});

describe("the code editor", () => {
  it("typing {, Enter, body, Enter, } gives balanced code, and the function runs", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    await node(page, "lower").waitFor();
    await select(page, "lower");
    await typeInto(page, "fn-fn", "line => {");
    await page.keyboard.press("Enter");
    await page.keyboard.type("return line.toLowerCase();");
    await page.keyboard.press("Enter");
    await page.keyboard.type("}");
    const lines = await editorLines(page, "fn-fn");
    expect(lines).toEqual(["line => {", "  return line.toLowerCase();", "}"]);
    const text = lines.join("\n");
    expect(text.split("{").length).toBe(text.split("}").length);
    await clickCanvasBackground(page);
    await expect.poll(() => page.getByTestId("problem-lower").count()).toBe(0);
    expect(await runAndWait(page)).toBe("done");
    expect(await outputLines(page)).toContain("be: 3");

    // A brace still needed is typed, not stepped over.
    await select(page, "lower");
    await typeInto(page, "fn-fn", "line => {");
    await page.keyboard.press("Enter");
    await page.keyboard.type("if (line) {");
    await page.keyboard.press("Enter");
    await page.keyboard.type("line = line.trim();");
    await page.keyboard.press("Enter");
    await page.keyboard.type("}");
    expect(await editorLines(page, "fn-fn")).toEqual(["line => {", "  if (line) {", "    line = line.trim();", "  }", "}"]);
    await context.close();
  });
});

describe("samples", () => {
  it("as JSON lines, typed or loaded from a file, with their count", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();
    await node(page, "lines").waitFor();
    await select(page, "lines");
    // The word count's sample shows one item per line, and its count.
    expect(await editorLines(page, "block-sample-items")).toHaveLength(14);
    expect(await page.getByTestId("block-sample-items-count").textContent()).toBe("14 items");

    await typeInto(page, "block-sample-items", '"to be"\n"or not to be"\n');
    await expect.poll(() => page.getByTestId("block-sample-items-count").textContent()).toBe("2 items");
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("done");
    expect((await outputLines(page)).sort()).toEqual(["be: 2", "not: 1", "or: 1", "to: 2"]);

    // 10,000 items from a .jsonl file: counted, and the run reads them all.
    await select(page, "lines");
    const items = Array.from({ length: 10_000 }, (_, i) => `word${i % 10} w`);
    await page.getByTestId("block-sample-items-file").setInputFiles({ name: "lines.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(items.map((item) => JSON.stringify(item)).join("\n")) });
    await expect.poll(() => page.getByTestId("block-sample-items-count").textContent()).toBe("10,000 items");
    await clickCanvasBackground(page);
    expect(await runAndWait(page, 60_000)).toBe("done");
    expect(await page.getByTestId("count-lines").textContent()).toBe("10,000 items");
    expect((await outputLines(page)).sort()).toContain("w: 10000");
    await context.close();
  });
});

describe("about", () => {
  it("credits React Flow in the About box, and keeps its link on the canvas clear of the minimap and the controls", { timeout: 60_000 }, async () => {
    const { page, context } = await studio.open();
    await node(page, "lines").waitFor();
    const link = (await page.locator(".react-flow__attribution").boundingBox())!;
    const canvas = (await page.getByTestId("canvas").boundingBox())!;
    expect(link.x >= canvas.x && link.y >= canvas.y && link.x + link.width <= canvas.x + canvas.width && link.y + link.height <= canvas.y + canvas.height).toBe(true);
    for (const selector of [".react-flow__minimap", ".react-flow__controls"]) {
      const other = await page.locator(selector).boundingBox();
      if (other === null) continue;
      const apart = link.x + link.width <= other.x || other.x + other.width <= link.x || link.y + link.height <= other.y || other.y + other.height <= link.y;
      expect(apart, selector).toBe(true);
    }
    await page.getByTestId("about").click();
    const about = page.getByTestId("about-dialog");
    expect(await about.textContent()).toContain("React Flow");
    expect(await about.getByRole("link", { name: "React Flow" }).getAttribute("href")).toBe("https://reactflow.dev");
    await context.close();
  });
});
