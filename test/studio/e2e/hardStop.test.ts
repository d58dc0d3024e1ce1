/**
 * Stop on a step stuck in an endless call, in Chromium: a map that never returns on its third item
 * blocks the studio's Web Worker, so Stop cannot reach an epoch boundary; a few seconds later the
 * worker is ended and the run shows as stopped. Served with COOP and COEP (as `npm start` does), the
 * page shares call counters with its worker: the marker names the step, its kind and function, and
 * how long the call had run, and a warning shows while a call runs on. Served without them (a plain
 * static host), the marker gives the likely cause only.
 *
 * Every wait is on something observable, bounded generously: the map says on a BroadcastChannel
 * that it enters its endless loop, and Stop is clicked only then (a Stop before it would stop the
 * run cleanly).
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { outputLines, waitForFinalStatus } from "./ui.js";

const studio = useStudio();

/** Where the stuck map says it is entering its loop. */
const CHANNEL = "eddy-test-stuck";

const STUCK_FLOW = {
  format: "eddy.flow",
  version: 1,
  name: "stuck",
  steps: [
    { id: "numbers", op: "input", input: { type: "list", items: [1, 2, 3, 4] }, sample: { type: "list", items: [1, 2, 3, 4], intervalMs: 300 } },
    { id: "slow", op: "map", after: ["numbers"], fn: `x => { if (x === 3) { new BroadcastChannel("${CHANNEL}").postMessage("looping"); while (true) {} } return x; }` },
    { id: "out", op: "capture", after: ["slow"], output: { type: "stdout" } },
  ],
};

/**
 * Imports the stuck flow, sets the virtual clock to 1× (the items come 300 ms apart), runs it and
 * waits until the map is in its endless loop, after its first two items were output.
 */
async function runUntilStuck(page: Page): Promise<void> {
  await page.getByTestId("import-file").setInputFiles({ name: "stuck.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(STUCK_FLOW)) });
  await expect.poll(() => page.getByTestId("flow-name").textContent(), { timeout: 20_000 }).toContain("stuck");
  expect(await page.getByTestId("problems").locator("li").count()).toBe(0);
  await page.getByTestId("speed").selectOption("1");
  await listenForLoop(page);
  await page.getByTestId("run").click();
  await waitForLoop(page);
  await expect.poll(() => outputLines(page), { timeout: 20_000 }).toEqual(["1", "2"]);
}

async function listenForLoop(page: Page): Promise<void> {
  await page.evaluate((name) => {
    const flags = window as unknown as { looping: boolean; loopChannel: BroadcastChannel };
    flags.looping = false;
    flags.loopChannel = new BroadcastChannel(name);
    flags.loopChannel.onmessage = () => (flags.looping = true);
  }, CHANNEL);
}

async function waitForLoop(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { looping: boolean }).looping, undefined, { timeout: 30_000 });
}

async function markers(page: Page): Promise<string[]> {
  return page.getByTestId("output-marker").allTextContents();
}

describe("Stop on a step stuck in a call", () => {
  it("on a cross-origin isolated page: ends the worker and names the step and how long its call had run; warns while a call runs on", { timeout: 90_000 }, async () => {
    const { page, context } = await studio.open();
    try {
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await runUntilStuck(page);
      await page.getByTestId("stop").click();
      expect(await waitForFinalStatus(page, 30_000)).toBe("stopped");
      const hardStops = (await markers(page)).filter((text) => text.includes("stopped hard"));
      expect(hardStops).toHaveLength(1);
      const named = /stopped hard: step "slow" \(map fn\) has been in one call for (\d+\.\d) s \(an endless loop\?\); the worker was ended/.exec(hardStops[0]!);
      expect(named, hardStops[0]).not.toBeNull();
      // Named only after a call of at least NAMED_AFTER_MS (1 s); Stop waited 3 s.
      expect(Number(named![1])).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId("stuck-call").count()).toBe(0);
      expect(await outputLines(page)).toEqual(["1", "2"]);

      // The studio goes on with a new worker; while the call runs on, the run panel says so.
      await listenForLoop(page);
      await page.getByTestId("run").click();
      await waitForLoop(page);
      const warning = page.getByTestId("stuck-call");
      await warning.waitFor({ timeout: 30_000 });
      expect(await warning.textContent()).toMatch(/^step "slow" \(map fn\) has been in one call for \d+\.\d s; it may never return \(Stop ends it\)$/);
      await page.getByTestId("crash").click();
      expect(await page.getByTestId("run-status").textContent()).toBe("crashed");
      expect(await warning.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("on a page that is not cross-origin isolated: ends the worker with the generic marker", { timeout: 90_000 }, async () => {
    const { page, context } = await studio.open({ isolated: false });
    try {
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      await runUntilStuck(page);
      await page.getByTestId("stop").click();
      expect(await waitForFinalStatus(page, 30_000)).toBe("stopped");
      const hardStops = (await markers(page)).filter((text) => text.includes("stopped hard"));
      expect(hardStops).toHaveLength(1);
      expect(hardStops[0]).toMatch(/stopped hard: no epoch boundary within 3 s of Stop; a step is stuck in a call that does not return \(an endless loop\?\), so the worker was ended/);
      expect(await page.getByTestId("stuck-call").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
