/**
 * The simulator in a real browser: studio/sim/webWorker.ts, bundled by esbuild, runs in a module Web
 * Worker in headless Chromium and is driven over comlink by a page, as the studio does. An example
 * flow gives its expected output; a run with recovery in the browser's IndexedDB is crashed
 * (Worker.terminate()) in the middle, and a new worker resumes it from what was committed.
 *
 * Needs Chromium at /usr/bin/chromium (bash scripts/install-chromium.sh).
 */

import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../helpers/chromium.js";
import { startStaticServer, type StaticServer } from "../../helpers/staticServer.js";
import type { OutputLine, SimulationSettings, SimulationUpdate, StoredState } from "../../../studio/sim/simulatorApi.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../../..");

interface PageRun {
  status: string;
  updates: SimulationUpdate[];
  output: OutputLine[];
  last: SimulationUpdate;
  error?: string;
}

describe("the simulator in a browser Web Worker", () => {
  let dir: string;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const diagnostics: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "eddy-sim-browser-"));
    await build({
      entryPoints: { worker: join(REPO, "studio/sim/webWorker.ts"), page: join(HERE, "fixtures/page.js") },
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      outdir: dir,
      logLevel: "silent",
    });
    copyFileSync(join(HERE, "fixtures/index.html"), join(dir, "index.html"));
    server = await startStaticServer(dir);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on("pageerror", (error) => diagnostics.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") diagnostics.push(`console.error: ${message.text()}`);
    });
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction("window.__ready === true", undefined, { timeout: 20_000 });
  }, 60_000);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const run = (flow: unknown, settings: SimulationSettings, crash?: { step: string; atCount: number }) =>
    page.evaluate(([flow, settings, crash]) => (window as unknown as { sim: { run: (...args: unknown[]) => Promise<unknown> } }).sim.run(flow, settings, crash), [flow, settings, crash] as const) as Promise<PageRun>;
  const call = <T>(method: string, ...args: unknown[]) =>
    page.evaluate(([method, args]) => (window as unknown as { sim: { call: (...args: unknown[]) => Promise<unknown> } }).sim.call(method, ...args), [method, args] as const) as Promise<T>;

  it("runs an example flow with its expected output", { timeout: 60_000 }, async () => {
    const flow: unknown = JSON.parse(readFileSync(join(REPO, "examples/wordcount.json"), "utf8"));
    const expected = readFileSync(join(REPO, "examples/expected/wordcount.txt"), "utf8").split("\n").filter(Boolean).sort();
    const result = await run(flow, { workers: 3, clock: { kind: "virtual", speed: Infinity }, recovery: false, dbName: "unused" });
    expect(result.status, diagnostics.join("\n")).toBe("done");
    expect(result.output.map((line) => line.line).sort()).toEqual(expected);
    expect(result.last.steps["words"]!.count).toBeGreaterThan(100);
  });

  it("resumes from IndexedDB after the worker is terminated in the middle of a run", { timeout: 60_000 }, async () => {
    const flow = {
      format: "eddy.flow",
      version: 1,
      steps: [
        { id: "numbers", op: "input", input: { type: "list", items: [] }, sample: { type: "list", items: Array.from({ length: 80 }, (_, i) => i), intervalMs: 100 } },
        { id: "keyed", op: "map", after: ["numbers"], fn: "n => [`k${n % 3}`, n]" },
        { id: "sum", op: "stateful_map", after: ["keyed"], builder: "() => 0", fn: "(sum, n) => [sum + n, `${n}:${sum + n}`]" },
        { id: "out", op: "capture", after: ["sum"], output: { type: "stdout" } },
      ],
      execution: { epoch: { type: "periodic", length: 500 } },
    };
    const settings = (speed: number): SimulationSettings => ({ workers: 2, clock: { kind: "virtual", speed }, recovery: true, dbName: "crash-test", updateIntervalMs: 20 });
    const uninterrupted = await run(flow, { ...settings(Infinity), recovery: false });
    const all = uninterrupted.output.map((line) => line.line);
    expect(all).toHaveLength(80);

    await call("clearState", "crash-test");
    const crashed = await run(flow, settings(20), { step: "numbers", atCount: 40 });
    expect(crashed.status, diagnostics.join("\n")).toBe("crashed");
    const stored = await call<StoredState>("inspectState", "crash-test", 2);
    expect(stored).toMatchObject({ exists: true, workers: 2 });
    expect(stored.resumeEpoch).toBeGreaterThan(0);

    const resumed = await run(flow, settings(Infinity));
    expect(resumed.status, diagnostics.join("\n")).toBe("done");
    expect(resumed.last.resumedFrom).toBe(stored.resumeEpoch);
    // The resumed run starts after the committed epochs, with the state they left: every line it
    // writes is a line of the uninterrupted run (the sums would differ otherwise), none twice.
    const lines = resumed.output.map((line) => line.line);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(80);
    expect(new Set(lines).size).toBe(lines.length);
    for (const line of lines) expect(all).toContain(line);
    const seenBefore = crashed.output.filter((line) => line.epoch < resumed.last.resumedFrom!).map((line) => line.line);
    for (const line of seenBefore) expect(lines).not.toContain(line);

    await call("clearState", "crash-test");
    expect(await call<StoredState>("inspectState", "crash-test", 2)).toEqual({ exists: false });
  });
});
