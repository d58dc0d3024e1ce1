import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "engine/**/*.test.ts", "node-runner/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
