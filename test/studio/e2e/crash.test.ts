/**
 * Crash and resume in the browser: the ticker example runs with recovery on (snapshots in
 * IndexedDB); "Crash" terminates the Web Worker mid-run, "Resume" starts a new one that resumes
 * from IndexedDB. Oracle, as for the runner's SIGKILL test: the output kept from before the crash
 * (epochs before the resume epoch) plus the resumed run's output equals an uninterrupted run's;
 * whatever the crashed run printed from the resume epoch on is printed again (at-least-once).
 */

import { describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { openExample, outputLines, outputRecords, runAndWait, waitForFinalStatus, type OutputRecord } from "./ui.js";

const studio = useStudio();

/** In the page: once the output shows `lines` lines, clicks Pause; true then, or when the run has ended. */
function pauseAtLines(lines: number): boolean {
  const status = document.querySelector("[data-testid=run-status]")?.textContent;
  if (status === "done" || status === "failed" || status === "stopped") return true;
  if (document.querySelectorAll("[data-testid=output] .line").length < lines) return false;
  const pause = document.querySelector<HTMLButtonElement>("[data-testid=pause]");
  if (pause === null || pause.disabled) return false;
  pause.click();
  return true;
}

function isLine(entry: OutputRecord | { marker: string }): entry is OutputRecord {
  return "text" in entry;
}

describe("a simulated run with recovery", () => {
  for (const workers of [1, 2]) {
    it(`resumes after a crash with the output an uninterrupted run gives (${workers} worker${workers > 1 ? "s" : ""})`, { timeout: 120_000 }, async () => {
      const { page, context } = await studio.open();
      try {
        await openExample(page, "ticker");
        await page.getByTestId("workers").selectOption(String(workers));
        await page.getByTestId("recovery").check();

        // The uninterrupted run first (Run starts fresh: it clears the stored state).
        expect(await runAndWait(page, 60_000)).toBe("done");
        const uninterrupted = (await outputLines(page)).sort();
        expect(uninterrupted.length).toBe(240);

        // Run again and crash after about a third of the ticks. The page pauses the run as soon as it
        // shows 80 lines (a paused run cannot end), then crashes it; should the run have ended before
        // the page saw 80 lines (a page starved under load), it runs again.
        for (let attempt = 1; ; attempt += 1) {
          await page.getByTestId("run").click();
          await page.waitForFunction(pauseAtLines, 80, { timeout: 60_000 });
          await page.waitForFunction(() => ["paused", "done", "failed", "stopped"].includes(document.querySelector("[data-testid=run-status]")?.textContent ?? ""), undefined, { timeout: 30_000 });
          if ((await page.getByTestId("run-status").textContent()) === "paused") break;
          expect(attempt, "the run ended before the page could pause it, three times").toBeLessThan(3);
          await waitForFinalStatus(page, 60_000);
        }
        await page.getByTestId("crash").click();
        expect(await page.getByTestId("run-status").textContent()).toBe("crashed");
        await page.waitForTimeout(300); // lets the page finish rendering the last update it took before the crash
        const beforeCrash = (await outputRecords(page)).filter(isLine);
        expect(beforeCrash.length).toBeGreaterThanOrEqual(80);
        expect(beforeCrash.length).toBeLessThan(240);
        await expect.poll(() => page.getByTestId("stored-state").textContent(), { timeout: 10_000 }).toMatch(/a resume starts at epoch \d+/);

        await page.getByTestId("resume").click();
        expect(await waitForFinalStatus(page, 60_000)).toBe("done");
        const resumedFrom = Number(/resumed from epoch (\d+)/.exec((await page.getByTestId("resumed-from").textContent()) ?? "")?.[1]);
        expect(resumedFrom).toBeGreaterThan(0);

        const records = await outputRecords(page);
        const crashMarker = records.findIndex((entry) => !isLine(entry) && entry.marker.includes("crashed"));
        const resumeMarker = records.findIndex((entry) => !isLine(entry) && entry.marker.includes("resumed from epoch"));
        expect(crashMarker).toBeGreaterThan(0);
        expect(resumeMarker).toBeGreaterThan(crashMarker);
        const before = records.slice(0, resumeMarker).filter(isLine);
        const after = records.slice(resumeMarker).filter(isLine);
        // Lines the worker sent just before it was killed may arrive after the crash marker; they are its output too.
        expect(before.slice(0, beforeCrash.length)).toEqual(beforeCrash);
        expect(after.every((record) => record.epoch >= resumedFrom)).toBe(true);

        const kept = before.filter((record) => record.epoch < resumedFrom).map((record) => record.text);
        expect([...kept, ...after.map((record) => record.text)].sort()).toEqual(uninterrupted);
        const replayed = new Set(after.map((record) => record.text));
        for (const record of before.filter((entry) => entry.epoch >= resumedFrom)) expect(replayed.has(record.text)).toBe(true);
      } finally {
        await context.close();
      }
    });
  }
});
