/**
 * The studio as the browser tests use it: built with Vite (the same config as `npm start`) into a
 * fresh temporary directory, served on 127.0.0.1 by the static server with the COOP and COEP
 * headers `npm start` sends (a cross-origin isolated page), opened in Debian's Chromium. The same
 * build is also served without them (`open({ isolated: false })`), as a plain static host would.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.js";
import { startStaticServer, type StaticServer } from "./staticServer.js";
import { CROSS_ORIGIN_ISOLATION_HEADERS } from "../../studio/vite.config.js";

const CONFIG = fileURLToPath(new URL("../../studio/vite.config.ts", import.meta.url));

export interface StudioSession {
  readonly browser: Browser;
  /** Serves the studio with COOP and COEP (cross-origin isolated). */
  readonly server: StaticServer;
  /** Serves the same build without those headers. */
  readonly plainServer: StaticServer;
  /**
   * A new browser context (its own IndexedDB) with the studio open and loaded; cross-origin isolated
   * unless `isolated` is false; 1600×1000 CSS pixels at scale 1 unless `viewport` or
   * `deviceScaleFactor` say otherwise (a browser zoom of 200% on 1024×700 is 512×350 at scale 2).
   */
  open(options?: { context?: BrowserContext; isolated?: boolean; viewport?: { width: number; height: number }; deviceScaleFactor?: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startStudio(): Promise<StudioSession> {
  const dir = mkdtempSync(join(tmpdir(), "eddy-studio-"));
  await build({ configFile: CONFIG, logLevel: "warn", build: { outDir: dir, emptyOutDir: true, sourcemap: false } });
  const server = await startStaticServer(dir, { headers: CROSS_ORIGIN_ISOLATION_HEADERS });
  const plainServer = await startStaticServer(dir);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await Promise.all([server.close(), plainServer.close()]);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    server,
    plainServer,
    async open(options = {}) {
      const context =
        options.context ?? (await browser.newContext({ viewport: options.viewport ?? { width: 1600, height: 1000 }, deviceScaleFactor: options.deviceScaleFactor ?? 1, acceptDownloads: true }));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(`${(options.isolated === false ? plainServer : server).url}/index.html`);
      await page.getByTestId("studio").waitFor({ timeout: 20_000 });
      if (errors.length > 0) throw new Error(`The studio threw while loading: ${errors.join("; ")}`);
      return { context, page };
    },
    async close() {
      await browser.close();
      await server.close();
      await plainServer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: starts the studio before its tests and stops it after them. Call at the top
 * level of the file; the returned session is usable inside tests.
 */
export function useStudio(): Pick<StudioSession, "open" | "server"> {
  let session: StudioSession | undefined;
  beforeAll(async () => {
    session = await startStudio();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
  });
  const current = (): StudioSession => {
    if (!session) throw new Error("the studio is not started: call useStudio() at the top level of the test file");
    return session;
  };
  return {
    open: (options) => current().open(options),
    get server() {
      return current().server;
    },
  };
}
