import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "engine/**/*.test.ts", "node-runner/**/*.test.ts"],
    // One real Kafka broker for the run, started in the background (test/helpers/kafka.ts waits for it).
    globalSetup: ["test/helpers/kafkaGlobalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
