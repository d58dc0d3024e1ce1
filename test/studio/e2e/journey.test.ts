/**
 * A new user's first session, in real Chromium with real mouse and keyboard events: the studio
 * opens on an example; they clear the canvas, drag an input, a map and a capture from the palette,
 * connect them, type a function, run it and read the output; break the function and see the
 * problem on the node, then the run error with the item; undo; reload and find the draft; export
 * the file and check it is what `eddy run` runs.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateFlow } from "../../../engine/flow/validateFlow.js";
import { useStudio } from "../../helpers/studioApp.js";
import { REPO, eddy, lines } from "../../runner/cli.js";
import { clickCanvasBackground, connect, dragFromPalette, node, outputLines, runAndWait, select, typeInto } from "./ui.js";

const studio = useStudio();
const scratch = mkdtempSync(join(tmpdir(), "eddy-journey-"));


afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("the studio, as a new user meets it", () => {
  it("builds, runs, breaks, undoes, keeps and exports a flow", { timeout: 120_000 }, async () => {
    const { page, context } = await studio.open();

    // A first visit opens the word count example, ready to run.
    await expect.poll(() => page.getByTestId("flow-name").textContent()).toContain("wordcount");
    await node(page, "count").waitFor();
    expect(await runAndWait(page)).toBe("done");
    const expected = lines(readFileSync(join(REPO, "examples/expected/wordcount.txt"), "utf8")).sort();
    expect((await outputLines(page)).sort()).toEqual(expected);

    // Clear the canvas: select everything, delete.
    await clickCanvasBackground(page);
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    await expect.poll(() => page.locator(".react-flow__node").count()).toBe(0);

    // Drag three steps from the palette onto the canvas.
    const canvas = (await page.getByTestId("canvas").boundingBox())!;
    await dragFromPalette(page, "input", { x: canvas.x + 200, y: canvas.y + 150 });
    await dragFromPalette(page, "map", { x: canvas.x + 500, y: canvas.y + 150 });
    await dragFromPalette(page, "capture", { x: canvas.x + 800, y: canvas.y + 150 });
    await expect.poll(() => page.locator(".react-flow__node").count()).toBe(3);
    const ids = await page.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((element) => element.getAttribute("data-id")!));
    const [input, map, capture] = ["input", "map", "capture"].map((op) => ids.find((id) => id.startsWith(op))!);
    expect(input && map && capture).toBeTruthy();

    // Unconnected steps are problems, shown on their nodes.
    await expect.poll(() => node(page, map!).getByTestId(`problem-${map}`).count()).toBe(1);

    // Connect them with the mouse.
    await connect(page, input!, map!);
    await connect(page, map!, capture!);
    await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(2);
    await expect.poll(() => page.getByTestId(`problem-${map}`).count()).toBe(0);

    // Give the input its items and type the map's function.
    await select(page, input!);
    await typeInto(page, "block-input-items", '["to be", "or not"]');
    await select(page, map!);
    await typeInto(page, "fn-fn", "item => item.toUpperCase()");
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("done");
    expect(await outputLines(page)).toEqual(["TO BE", "OR NOT"]);
    expect(await page.getByTestId(`count-${map}`).textContent()).toBe("2 items");

    // A syntax error shows on the node at once; a function that throws fails the run on that step and item.
    await select(page, map!);
    await typeInto(page, "fn-fn", "item => item *");
    await expect.poll(() => page.getByTestId(`problem-${map}`).count()).toBe(1);
    await typeInto(page, "fn-fn", "item => item.nope()");
    await clickCanvasBackground(page);
    await expect.poll(() => page.getByTestId(`problem-${map}`).count()).toBe(0);
    expect(await runAndWait(page)).toBe("failed");
    const error = await page.getByTestId(`error-${map}`).textContent();
    expect(error).toContain("nope");
    expect(error).toContain('"to be"');

    // Undo (Ctrl+Z on the canvas) brings the working function back: the two broken versions were
    // typed into one field, one or two undo steps apart (keystrokes within a second are one step).
    let undos = 0;
    let fnText: string | null = null;
    while (undos < 2 && fnText !== "item => item.toUpperCase()") {
      await clickCanvasBackground(page);
      await page.keyboard.press("ControlOrMeta+z");
      undos += 1;
      await select(page, map!);
      fnText = await page.getByTestId("fn-fn").textContent();
    }
    expect(fnText).toBe("item => item.toUpperCase()");

    // Reload: the draft is still there.
    await page.waitForTimeout(800);
    await page.reload();
    await node(page, map!).waitFor({ timeout: 20_000 });
    await select(page, map!);
    expect(await page.getByTestId("fn-fn").textContent()).toBe("item => item.toUpperCase()");

    // Export: the downloaded file is a valid flow, and `eddy run` prints what the studio showed.
    await clickCanvasBackground(page);
    expect(await runAndWait(page)).toBe("done");
    const shown = await outputLines(page);
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.getByTestId("export").click()]);
    const file = join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    const text = readFileSync(file, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    const exported = JSON.parse(text);
    expect(validateFlow(exported)).toEqual([]);
    expect(exported.steps.map((step: { id: string }) => step.id).sort()).toEqual([input, map, capture].sort());
    writeFileSync(join(scratch, "flow.json"), text);
    const result = await eddy(["run", join(scratch, "flow.json")], { timeoutMs: 30_000 });
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual(shown);
    await context.close();
  });
});
