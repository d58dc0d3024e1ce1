/**
 * `-w N` runs N worker threads: each worker reports the thread it started on (`-v`), each thread
 * has a function context of its own, and each worker writes its own file (`out.<i>.jsonl`).
 */

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, eddy, filesIn, lines, removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

describe("eddy run -w 4", () => {
  it("runs each of the 4 workers on a thread of its own", { timeout: 40_000 }, async () => {
    const flow = join(temporaryDirectory(), "threads.json");
    writeFileSync(
      flow,
      JSON.stringify({
        format: "eddy.flow",
        version: 1,
        steps: [
          { id: "numbers", op: "input", input: { type: "list", items: Array.from({ length: 40 }, (_, i) => i) } },
          {
            id: "where",
            op: "capture",
            after: ["numbers"],
            output: {
              type: "function",
              fn: [
                "(workerIndex, workerCount) => {",
                "  // Each thread compiles the flow in a vm context of its own: a worker sees only itself here.",
                "  globalThis.workersHere = [...(globalThis.workersHere ?? []), workerIndex];",
                "  const here = globalThis.workersHere;",
                "  let first = true;",
                "  return item => {",
                "    if (first) console.log(JSON.stringify({ workerIndex, workerCount, here }));",
                "    first = false;",
                "  };",
                "}",
              ],
            },
          },
          { id: "out", op: "capture", after: ["numbers"], output: { type: "file", path: "out/numbers.jsonl" } },
        ],
      }),
    );
    const result = await eddy(["run", flow, "-w", "4", "--verbose"], { timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);

    const started = [...result.stderr.matchAll(/^eddy: worker (\d) started on thread (\d+)/gm)].map((match) => [Number(match[1]), Number(match[2])] as const);
    expect(started.map(([worker]) => worker).sort()).toEqual([0, 1, 2, 3]);
    const threadIds = new Set(started.map(([, thread]) => thread));
    expect(threadIds.size).toBe(4);
    expect(threadIds.has(0)).toBe(false); // 0 is the main thread

    const contexts = lines(result.stderr)
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { workerIndex: number; workerCount: number; here: number[] })
      .sort((a, b) => a.workerIndex - b.workerIndex);
    expect(contexts).toEqual([0, 1, 2, 3].map((workerIndex) => ({ workerIndex, workerCount: 4, here: [workerIndex] })));

    const files = filesIn(join(dirname(flow), "out"), /./);
    expect([...files.keys()]).toEqual(["numbers.0.jsonl", "numbers.1.jsonl", "numbers.2.jsonl", "numbers.3.jsonl"]);
    [...files.values()].forEach((text, worker) => expect(lines(text)).toEqual(Array.from({ length: 10 }, (_, i) => String(worker + 4 * i))));
  });
});
