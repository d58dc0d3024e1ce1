/**
 * Measures how smoothly the studio pans a 200-step flow while a simulated run updates every step:
 * builds the studio, opens it in Debian's Chromium (headless, software rendering), imports a
 * generated flow (10 branches of an input and 19 steps), starts a paced run, drags the canvas for
 * a few seconds with real mouse events and records every animation frame. Prints frame-time
 * figures with and without the run. Usage: `npx tsx scripts/measure-pan.ts`.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startStudio } from "../test/helpers/studioApp.js";

const BRANCHES = 10;
const STEPS_PER_BRANCH = 20;
const PAN_MS = 4000;

function bigFlow(): unknown {
  const steps: unknown[] = [];
  const positions: Record<string, { x: number; y: number }> = {};
  for (let branch = 0; branch < BRANCHES; branch++) {
    let previous = `in${branch}`;
    steps.push({ id: previous, op: "input", input: { type: "list", items: [] }, sample: { type: "list", items: Array.from({ length: 20_000 }, (_, i) => i), intervalMs: 1 } });
    positions[previous] = { x: 0, y: branch * 120 };
    for (let step = 1; step < STEPS_PER_BRANCH; step++) {
      const id = `s${branch}_${step}`;
      const last = step === STEPS_PER_BRANCH - 1;
      steps.push(last ? { id, op: "capture", after: [previous], output: { type: "stdout" } } : { id, op: "map", after: [previous], fn: "x => x + 1" });
      positions[id] = { x: step * 260, y: branch * 120 };
      previous = id;
    }
  }
  return { format: "eddy.flow", version: 1, name: "pan-200", steps, ui: { positions } };
}

interface FrameStats {
  frames: number;
  fps: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  over50Ms: number;
}

async function panAndMeasure(page: Page): Promise<FrameStats> {
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  await page.evaluate(`{
    const times = [];
    window.__frames = times;
    const tick = (time) => { times.push(time); if (times.length < 100000) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  }`);
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  const start = Date.now();
  let direction = 1;
  while (Date.now() - start < PAN_MS) {
    const y = pane.y + pane.height / 2;
    const from = pane.x + pane.width / 2 - direction * 250;
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move(from + direction * 500, y + direction * 40, { steps: 30 });
    await page.mouse.up();
    direction = -direction;
  }
  const times = await page.evaluate(() => {
    const frames = (window as unknown as { __frames: number[] }).__frames;
    const copy = frames.slice();
    frames.length = 100_000; // stops the loop
    return copy;
  });
  const gaps = times.slice(1).map((time, index) => time - times[index]!).sort((a, b) => a - b);
  const total = times[times.length - 1]! - times[0]!;
  return {
    frames: times.length,
    fps: Math.round((times.length - 1) / (total / 1000)),
    medianMs: Math.round(gaps[Math.floor(gaps.length / 2)]! * 10) / 10,
    p95Ms: Math.round(gaps[Math.floor(gaps.length * 0.95)]! * 10) / 10,
    maxMs: Math.round(gaps[gaps.length - 1]! * 10) / 10,
    over50Ms: gaps.filter((gap) => gap > 50).length,
  };
}

const dir = mkdtempSync(join(tmpdir(), "eddy-pan-"));
const file = join(dir, "pan-200.json");
writeFileSync(file, JSON.stringify(bigFlow(), null, 2));
const studio = await startStudio();
try {
  const { page } = await studio.open();
  await page.getByTestId("import-file").setInputFiles(file);
  await page.waitForFunction(() => document.querySelector("[data-testid=studio]")?.getAttribute("data-steps") === "200", undefined, { timeout: 20_000 });
  await page.getByTestId("fit-view").click();
  await page.waitForTimeout(500);
  const visible = await page.locator(".react-flow__node").count();
  const idle = await panAndMeasure(page);
  await page.getByTestId("speed").selectOption("1");
  await page.getByTestId("run").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=run-status]")?.textContent === "running", undefined, { timeout: 20_000 });
  await page.waitForTimeout(1000);
  const before = await page.getByTestId("count-in0").textContent();
  const running = await panAndMeasure(page);
  const after = await page.getByTestId("count-in0").textContent();
  const status = await page.getByTestId("run-status").textContent();
  console.log(`200 steps (${visible} nodes rendered), pan for ${PAN_MS / 1000} s with mouse drags, headless Chromium, software rendering`);
  console.log(`no run:        ${JSON.stringify(idle)}`);
  console.log(`while running: ${JSON.stringify(running)} (input in0 went from ${before} to ${after}; status ${status})`);
} finally {
  await studio.close();
  rmSync(dir, { recursive: true, force: true });
}
