/**
 * Vite configuration of the studio: `npm start` serves it on 127.0.0.1:5173 only; `npm run
 * build:studio` writes the static site to dist/studio-app (the browser tests serve that).
 */

import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const studioRoot = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: studioRoot,
  base: "./",
  plugins: [react()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true, fs: { allow: [repoRoot] } },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true },
  worker: { format: "es" },
  build: {
    outDir: fileURLToPath(new URL("../dist/studio-app", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
