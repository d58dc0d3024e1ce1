/**
 * The RecoveryStore conformance suite (storeConformance.ts) against the IndexedDB store on a real
 * browser's IndexedDB: esbuild bundles fixtures/conformance.worker.ts (the suite + the store, from
 * source), headless Chromium opens fixtures/conformance.html, whose module Web Worker runs every
 * case and posts the results. One test per case, so a failure names the case.
 *
 * A second page, whose origin gets a small storage quota through the DevTools protocol
 * (Storage.overrideQuotaForOrigin), checks that a commit over the quota is refused as RECOVERY_QUOTA
 * and, its transaction aborted by the browser at commit time, leaves no trace.
 *
 * Needs Chromium at /usr/bin/chromium (bash scripts/install-chromium.sh).
 */
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleForBrowser, type BrowserBundle } from "../helpers/browserBundle.js";
import { launchChromium } from "../helpers/chromium.js";
import { startStaticServer, type StaticServer } from "../helpers/staticServer.js";
import type { CaseResult } from "./fixtures/conformance.worker.js";
import { LOCK_CASES } from "./fixtures/lockCases.js";
import { STORE_CONFORMANCE } from "./storeConformance.js";

interface Outcome {
  readonly results: readonly CaseResult[];
  readonly error?: string;
}

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const PAGE = "/conformance.html";
/** The storage quota given to the quota page's origin. */
const QUOTA_BYTES = 2 * 1024 * 1024;
/** Bound on how long the worker may take to run the whole suite. */
const BROWSER_WAIT_MS = 30_000;
const SETUP_TIMEOUT_MS = 90_000;

describe("RecoveryStore conformance: indexeddb (Chromium, module Web Worker)", () => {
  let bundle: BrowserBundle | undefined;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  /** Page errors, console errors/warnings, failed requests: shown when an assertion fails. */
  const diagnostics: string[] = [];
  let outcome: Outcome | undefined;
  /** Why there is no outcome (setup failed, the worker did not answer). */
  let failure: string | undefined;
  let quotaRun: Promise<Outcome> | undefined;

  const report = (what: string): string =>
    diagnostics.length === 0 ? `${what} (no browser errors were reported)` : `${what}\nBrowser diagnostics:\n  ${diagnostics.join("\n  ")}`;

  /** Opens the page (a fresh browser context, so fresh storage) and returns what its worker posted. */
  async function runInBrowser(query = "", quotaBytes?: number): Promise<Outcome> {
    if (!browser || !server) throw new Error("browser or static server did not start");
    const page = await browser.newPage();
    page.on("pageerror", (error) => diagnostics.push(`pageerror: ${error.stack ?? error.message}`));
    // Console messages from the page's workers are reported here too.
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") diagnostics.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on("requestfailed", (request) => diagnostics.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? "unknown"})`));
    page.on("response", (response) => {
      if (response.status() >= 400) diagnostics.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    try {
      if (quotaBytes !== undefined) {
        const devtools = await page.context().newCDPSession(page);
        await devtools.send("Storage.overrideQuotaForOrigin", { origin: server.url, quotaSize: quotaBytes });
      }
      const response = await page.goto(server.url + PAGE + query);
      if (!response?.ok()) throw new Error(`loading ${PAGE} gave HTTP ${response?.status()}`);
      try {
        await page.waitForFunction("window.__done === true", undefined, { timeout: BROWSER_WAIT_MS });
      } catch (error) {
        throw new Error(`the worker did not answer within ${BROWSER_WAIT_MS} ms: ${(error as Error).message}`);
      }
      return (await page.evaluate("window.__outcome")) as Outcome;
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    try {
      bundle = await bundleForBrowser([`${FIXTURES}conformance.worker.ts`], [`${FIXTURES}conformance.html`]);
      server = await startStaticServer(bundle.dir);
      browser = await launchChromium();
      outcome = await runInBrowser();
    } catch (error) {
      // Reported by every test below rather than as a hook failure, so each case shows why.
      failure = (error as Error).stack ?? String(error);
    }
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await server?.close();
      } finally {
        bundle?.remove();
      }
    }
  });

  function resultOf(name: string): CaseResult {
    expect(failure, report(`the browser run failed: ${failure}`)).toBeUndefined();
    expect(outcome?.error, report(`the worker failed: ${outcome?.error}`)).toBeUndefined();
    const result = outcome!.results.find((r) => r.name === name);
    expect(result, report(`the worker reported no result for this case (it reported ${outcome!.results.length})`)).toBeDefined();
    return result!;
  }

  it("the worker ran exactly the cases of the suite", () => {
    resultOf(STORE_CONFORMANCE[0]!.name);
    expect(outcome!.results.map((r) => r.name)).toEqual([...STORE_CONFORMANCE, ...LOCK_CASES].map((c) => c.name));
  });

  it.each([...STORE_CONFORMANCE, ...LOCK_CASES].map((c) => c.name))("[indexeddb (Chromium)] %s", (name) => {
    const result = resultOf(name);
    expect(result.ok, report(`failed in the browser:\n${result.error ?? "(no error reported)"}`)).toBe(true);
  });

  it("[indexeddb (Chromium)] a commit over the storage quota fails with RECOVERY_QUOTA and leaves no trace", { timeout: SETUP_TIMEOUT_MS }, async () => {
    expect(failure, report(`the browser run failed: ${failure}`)).toBeUndefined();
    quotaRun ??= runInBrowser(`?mode=quota&quota=${QUOTA_BYTES}`, QUOTA_BYTES);
    const quota = await quotaRun;
    expect(quota.error, report(`the worker failed: ${quota.error}`)).toBeUndefined();
    expect(quota.results.length, report("the worker ran no quota case")).toBeGreaterThan(0);
    for (const result of quota.results) {
      expect(result.ok, report(`${result.name}: failed in the browser:\n${result.error ?? "(no error reported)"}`)).toBe(true);
    }
  });
});
