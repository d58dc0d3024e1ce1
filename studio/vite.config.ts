/**
 * Vite configuration of the studio: `npm start` serves it on 127.0.0.1:5173 only; `npm run
 * build:studio` writes the static site to dist/studio-app (the browser tests serve that).
 *
 * Both the dev server and `vite preview` send COOP and COEP headers, so that the page is
 * cross-origin isolated and may share a SharedArrayBuffer with its Web Worker: how Stop names the
 * step a call is stuck in (studio/ui/callWatch.ts). The studio loads nothing from other origins.
 * A static host without these headers still serves a working studio, with a less precise Stop.
 */

import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const studioRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** What makes the page cross-origin isolated (`crossOriginIsolated`, SharedArrayBuffer). */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;

export default defineConfig({
  root: studioRoot,
  base: "./",
  plugins: [react()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true, fs: { allow: [repoRoot] }, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  worker: { format: "es" },
  build: {
    outDir: fileURLToPath(new URL("../dist/studio-app", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
