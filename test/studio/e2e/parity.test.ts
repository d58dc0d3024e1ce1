/**
 * Parity: for every example, the studio's simulated run in Chromium prints exactly what `eddy run`
 * prints and writes for the file the studio exports (sorted lines: standard output plus every
 * output file), on 1 and on 2 workers. The examples' samples are their data files' lines, so both
 * read the same items.
 */

import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useStudio } from "../../helpers/studioApp.js";
import { REPO, describeRun, eddy, exampleCopy, filesIn, lines, removeTemporaryDirectories } from "../../runner/cli.js";
import { openExample, outputLines, runAndWait } from "./ui.js";

const examples = readdirSync(join(REPO, "examples"))
  .filter((name) => name.endsWith(".json"))
  .map((name) => name.slice(0, -".json".length))
  .sort();

const studio = useStudio();


afterAll(async () => {
  removeTemporaryDirectories();
});

async function runnerOutput(flowText: string, name: string, workers: number): Promise<string[]> {
  const flow = exampleCopy(name);
  writeFileSync(flow, flowText);
  const result = await eddy(["run", flow, "-w", String(workers)], { timeoutMs: 60_000 });
  expect(result.code, describeRun(result)).toBe(0);
  const written = [...filesIn(join(dirname(flow), "out"), /./).values()].flatMap(lines);
  return [...lines(result.stdout), ...written].sort();
}

describe("simulated runs in the studio equal `eddy run` on the exported file", () => {
  it("covers every example", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of examples) {
    it(`${name}, on 1 and 2 workers`, { timeout: 120_000 }, async () => {
      const { page, context } = await studio.open();
      try {
        await openExample(page, name);
        await expect.poll(() => page.getByTestId("flow-name").textContent()).toContain(name);
        const [download] = await Promise.all([page.waitForEvent("download", { timeout: 20_000 }), page.getByTestId("export").click()]);
        const path = await download.path();
        const flowText = readFileSync(path, "utf8");
        for (const workers of [1, 2]) {
          await page.getByTestId("workers").selectOption(String(workers));
          expect(await runAndWait(page, 60_000)).toBe("done");
          const simulated = (await outputLines(page)).sort();
          expect(simulated.length).toBeGreaterThan(0);
          expect(simulated, `${name} on ${workers} workers`).toEqual(await runnerOutput(flowText, name, workers));
        }
      } finally {
        await context.close();
      }
    });
  }
});
