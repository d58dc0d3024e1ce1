/**
 * Issue 10, point 8: secrets never print. A value read from `{ "$env": NAME }` never appears on
 * standard error, whoever writes it (the main thread, or a worker thread's error): it reads
 * `$env NAME` instead. The real CLI, with paths that cannot be opened, so the errors name them.
 */

import { afterAll, describe, expect, it } from "vitest";
import { MIN_REDACTED_LENGTH, redactorFor } from "../../node-runner/errors/redact.js";
import { describeRun, eddy, flowFile, removeTemporaryDirectories } from "./cli.js";

afterAll(removeTemporaryDirectories);

const SECRET = "sk-SECRET123";

const listInput = { id: "numbers", op: "input", input: { type: "list", items: [1, 2, 3] } };
const stdoutCapture = (after: string) => ({ id: "out", op: "capture", after: [after], output: { type: "stdout" } });

describe("values from $env never print (real CLI)", () => {
  for (const workers of [1, 2]) {
    it(`a file input that cannot be opened, on ${workers} worker thread(s): the error names $env SECRET_PATH`, async () => {
      const flow = flowFile([{ id: "lines", op: "input", input: { type: "file", path: { $env: "SECRET_PATH" } } }, stdoutCapture("lines")]);
      const result = await eddy(["run", flow, "-w", String(workers)], { env: { SECRET_PATH: `/nonexistent/${SECRET}` }, timeoutMs: 60_000 });
      expect(result.code, describeRun(result)).toBe(3);
      expect(result.stderr).toContain("$env SECRET_PATH");
      expect(result.stderr + result.stdout).not.toContain("SECRET123");
    });
  }

  it("a file output that cannot be opened", async () => {
    const flow = flowFile([listInput, { id: "out", op: "capture", after: ["numbers"], output: { type: "file", path: { $env: "OUT_PATH" } } }]);
    const result = await eddy(["run", flow], { env: { OUT_PATH: `/dev/null/${SECRET}/out.txt` }, timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).not.toBe(0);
    expect(result.stderr).toContain("$env OUT_PATH");
    expect(result.stderr + result.stdout).not.toContain("SECRET123");
  });

  it("a recovery directory that cannot be made (exit 4)", async () => {
    const flow = flowFile([listInput, stdoutCapture("numbers")], { recovery: { type: "file", dir: { $env: "STATE_DIR" } } });
    const result = await eddy(["run", flow], { env: { STATE_DIR: `/dev/null/${SECRET}` }, timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(4);
    expect(result.stderr).toContain("$env STATE_DIR");
    expect(result.stderr + result.stdout).not.toContain("SECRET123");
  });
});

describe("$env where nothing resolves it (real CLI)", () => {
  it("eddy validate and eddy run refuse it inside list items, exit 2, with its path", async () => {
    const flow = flowFile([{ id: "numbers", op: "input", input: { type: "list", items: [1, { $env: "TOKEN" }] } }, stdoutCapture("numbers")]);
    const [validated, ran] = await Promise.all([eddy(["validate", flow], { timeoutMs: 60_000 }), eddy(["run", flow], { env: { TOKEN: SECRET }, timeoutMs: 60_000 })]);
    for (const result of [validated, ran]) {
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stderr).toMatch(/^\/steps\/0\/input\/items\/1 \(numbers\): .*\$env.* where none is resolved/m);
      expect(result.stdout).toBe("");
    }
  });
});

describe("redactorFor", () => {
  it("replaces each value, longest first, and each part of a comma-separated value", () => {
    const redact = redactorFor(["BROKERS", "TOKEN", "UNSET"], { BROKERS: "kafka-1:9092,kafka-2:9092", TOKEN: "kafka-1:9092-extra" });
    expect(redact("could not reach kafka-2:9092 nor kafka-1:9092-extra")).toBe("could not reach $env BROKERS nor $env TOKEN");
    expect(redact("brokers kafka-1:9092,kafka-2:9092")).toBe("brokers $env BROKERS");
  });

  it(`leaves values shorter than ${MIN_REDACTED_LENGTH} characters alone, so that "1" does not mangle messages`, () => {
    const redact = redactorFor(["N"], { N: "1" });
    expect(redact("Worker 1 failed on item 1")).toBe("Worker 1 failed on item 1");
  });
});
