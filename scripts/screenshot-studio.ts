/**
 * Takes the README's screenshot of the studio (docs/studio.png): the word count example after a
 * simulated run, with its window step selected. Usage: `npx tsx scripts/screenshot-studio.ts`.
 */

import { fileURLToPath } from "node:url";
import { startStudio } from "../test/helpers/studioApp.js";

const target = fileURLToPath(new URL("../docs/studio.png", import.meta.url));
const studio = await startStudio();
try {
  const { page } = await studio.open();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId("fit-view").click();
  await page.getByTestId("run").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=run-status]")?.textContent === "done", undefined, { timeout: 20_000 });
  await page.getByTestId("node-count").locator(".id").click();
  await page.waitForTimeout(600);
  await page.screenshot({ path: target });
  console.log(`wrote ${target}`);
} finally {
  await studio.close();
}
