/**
 * Isomorphism in a real browser: the BUILT engine (dist/engine/api/*.js, bundled with its packages
 * by esbuild, as a browser app would) runs a word count inside a module Web Worker in headless
 * Chromium, and the very same word count (test/browser/fixtures/wordcount.js) runs in Node on the
 * unbundled dist/; the outputs must be equal.
 *
 * Needs `npm run build` (dist/) and Chromium at /usr/bin/chromium (bash scripts/install-chromium.sh).
 */
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium.js";
import { startStaticServer, type StaticServer } from "../helpers/staticServer.js";
import { bundleForBrowser, type BrowserBundle } from "../helpers/browserBundle.js";

type Output = [word: string, runningCount: number];

interface WorkerEnv {
  hasDocument: boolean;
  hasWorkerGlobalScope: boolean;
  isDedicatedWorker: boolean;
}

interface WorkerOutcome {
  ok: boolean;
  env?: WorkerEnv;
  results?: { runMain: Output[]; clusterMain3: Output[] };
  error?: string;
}

/** Shape of test/browser/fixtures/wordcount.js (plain JS, imported dynamically). */
interface WordCountModule {
  LINES: readonly string[];
  wordCount(workers: number): Promise<Output[]>;
}

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const FIXTURE_PAGE = "/index.html";
const WORD_COUNT_MODULE = new URL("./fixtures/wordcount.js", import.meta.url);
/** Bound on how long the page may take to get the worker's answer. */
const BROWSER_WAIT_MS = 20_000;
const TEST_TIMEOUT_MS = 60_000;

function sortedOutputs(out: readonly Output[]): Output[] {
  return [...out].sort(([wa, ca], [wb, cb]) => (wa < wb ? -1 : wa > wb ? 1 : ca - cb));
}

/** The final count per word: the largest running count seen for it. */
function finalCounts(out: readonly Output[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const [word, count] of out) counts.set(word, Math.max(counts.get(word) ?? 0, count));
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Word count computed without the engine, to check that both runtimes are also right. */
function expectedOutputs(lines: readonly string[]): Output[] {
  const counts = new Map<string, number>();
  const out: Output[] = [];
  for (const line of lines) {
    for (const word of line.toLowerCase().split(/\W+/).filter(Boolean)) {
      const count = (counts.get(word) ?? 0) + 1;
      counts.set(word, count);
      out.push([word, count]);
    }
  }
  return sortedOutputs(out);
}

describe("the built engine in a real browser", () => {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let bundle: BrowserBundle | undefined;
  /** Page errors, console errors/warnings, failed requests: shown when an assertion fails. */
  const diagnostics: string[] = [];
  let browserRun: Promise<WorkerOutcome> | undefined;
  let nodeRun: Promise<{ lines: readonly string[]; runMain: Output[]; clusterMain3: Output[] }> | undefined;

  const report = (what: string): string =>
    diagnostics.length === 0
      ? `${what} (no browser errors were reported)`
      : `${what}\nBrowser diagnostics:\n  ${diagnostics.join("\n  ")}`;

  beforeAll(async () => {
    bundle = await bundleForBrowser([`${FIXTURES}wordcount.worker.js`], [`${FIXTURES}index.html`]);
    server = await startStaticServer(bundle.dir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await server?.close();
      bundle?.remove();
    }
  });

  /** Opens the fixture page once; its module worker runs both word counts. */
  function runInBrowser(): Promise<WorkerOutcome> {
    browserRun ??= (async () => {
      if (!browser || !server) throw new Error("browser or static server did not start");
      const page = await browser.newPage();
      page.on("pageerror", (error) => diagnostics.push(`pageerror: ${error.stack ?? error.message}`));
      // Console messages from the page's workers are reported here too.
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") {
          diagnostics.push(`console.${message.type()}: ${message.text()}`);
        }
      });
      page.on("requestfailed", (request) =>
        diagnostics.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "unknown"})`),
      );
      page.on("response", (response) => {
        if (response.status() >= 400) diagnostics.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      try {
        const response = await page.goto(server.url + FIXTURE_PAGE);
        if (!response?.ok()) throw new Error(`loading ${FIXTURE_PAGE} gave HTTP ${response?.status()}`);
        try {
          await page.waitForFunction("window.__done === true", undefined, { timeout: BROWSER_WAIT_MS });
        } catch (error) {
          throw new Error(
            report(`the worker did not answer within ${BROWSER_WAIT_MS} ms: ${(error as Error).message}`),
          );
        }
        return (await page.evaluate("window.__outcome")) as WorkerOutcome;
      } finally {
        await page.close();
      }
    })();
    return browserRun;
  }

  /** Runs the same word count module in Node, importing the built files under dist/. */
  function runInNode() {
    nodeRun ??= (async () => {
      const mod = (await import(WORD_COUNT_MODULE.href)) as WordCountModule;
      return {
        lines: mod.LINES,
        runMain: await mod.wordCount(1),
        clusterMain3: await mod.wordCount(3),
      };
    })();
    return nodeRun;
  }

  async function browserResults(): Promise<NonNullable<WorkerOutcome["results"]>> {
    const outcome = await runInBrowser();
    expect(outcome.ok, report(`the word count failed in the worker: ${outcome.error ?? "(no error)"}`)).toBe(true);
    expect(outcome.results, report("the worker posted no results")).toBeDefined();
    return outcome.results!;
  }

  it("runs the word count inside a module Web Worker, not on the page", { timeout: TEST_TIMEOUT_MS }, async () => {
    const outcome = await runInBrowser();
    expect(outcome.env, report(`the worker reported no environment: ${outcome.error ?? ""}`)).toEqual({
      hasDocument: false,
      hasWorkerGlobalScope: true,
      isDedicatedWorker: true,
    });
  });

  for (const [name, key] of [
    ["runMain, 1 worker", "runMain"],
    ["clusterMain, 3 workers", "clusterMain3"],
  ] as const) {
    it(`runs the same word count in a browser Web Worker as in Node (${name})`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const inBrowser = (await browserResults())[key];
      const node = await runInNode();
      const inNode = node[key];

      expect(inNode.length, "the Node word count produced nothing").toBeGreaterThan(0);
      expect(inBrowser.length, report("the browser word count produced nothing")).toBeGreaterThan(0);

      expect(finalCounts(inBrowser), report("final counts per word differ between browser and Node")).toEqual(
        finalCounts(inNode),
      );
      expect(sortedOutputs(inBrowser), report("outputs differ between browser and Node")).toEqual(
        sortedOutputs(inNode),
      );
      // And both are the right answer, not merely the same wrong one.
      expect(sortedOutputs(inNode), "the Node word count is wrong").toEqual(expectedOutputs(node.lines));
    });
  }
});
