import { configDefaults, defineConfig } from "vitest/config";

/** Test files that use the real Kafka broker: only a run that includes one starts it. */
const KAFKA_TESTS = ["test/kafka/**/*.test.ts", "**/*.kafka.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "eddy",
          include: ["test/**/*.test.ts", "engine/**/*.test.ts", "node-runner/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...KAFKA_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: "kafka",
          include: KAFKA_TESTS,
          exclude: [...configDefaults.exclude],
          // One real broker for the run, started in the background (test/helpers/kafka.ts waits for it).
          globalSetup: ["test/helpers/kafkaGlobalSetup.ts"],
        },
      },
    ],
  },
});
