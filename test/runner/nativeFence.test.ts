/**
 * The fence around native calls (node-runner/threads/nativeFence.ts), with a real worker thread:
 * once the main thread closes the fence, a thread inside a call is seen inside until it returns, a
 * thread that reaches the fence afterwards never enters, and a thread parked at the fence ends when
 * terminated.
 */

import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { closeFence, createFenceBuffer, isInside, nativeGuard } from "../../node-runner/threads/nativeFence.js";

/**
 * The fence module as JavaScript (it imports nothing), for the thread to import as a data: URL
 * (registering tsx in the thread would cost most of a second).
 */
const FENCE_SOURCE = readFileSync(new URL("../../node-runner/threads/nativeFence.ts", import.meta.url), "utf8");
const FENCE = `data:text/javascript;base64,${Buffer.from(transformSync(FENCE_SOURCE, { loader: "ts", format: "esm" }).code).toString("base64")}`;

/**
 * Worker 1 of 2: enters a call that holds until `hold[0]` is notified, says "returned", then tries
 * a second call that would set `hold[1]` to 1.
 */
const THREAD = `
const { workerData, parentPort } = await import("node:worker_threads");
const { nativeGuard } = await import(workerData.fenceModule);
const guard = nativeGuard(workerData.fence, 1);
const hold = new Int32Array(workerData.hold);
guard.run(() => {
  parentPort.postMessage("inside");
  Atomics.wait(hold, 0, 0);
});
parentPort.postMessage("returned");
guard.run(() => Atomics.store(hold, 1, 1));
parentPort.postMessage("entered after the fence closed");
`;

function nextMessage(worker: Worker): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no message from the thread within 30 s")), 30_000);
    const failed = (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    worker.once("error", failed);
    worker.once("message", (message: string) => {
      clearTimeout(timer);
      worker.off("error", failed);
      resolve(message);
    });
  });
}

describe("native fence", () => {
  it("a closed fence waits for the call inside, lets no new call in, and a parked thread ends when terminated", { timeout: 60_000 }, async () => {
    const fence = createFenceBuffer(2);
    const hold = new SharedArrayBuffer(8);
    const worker = new Worker(`(async () => {${THREAD}})()`, { eval: true, workerData: { fence, hold, fenceModule: FENCE } });
    try {
      expect(await nextMessage(worker)).toBe("inside");
      expect(isInside(fence, 1)).toBe(true);
      expect(isInside(fence, 0)).toBe(false);
      closeFence(fence);
      // Closing does not interrupt a call already inside: it is still there.
      expect(isInside(fence, 1)).toBe(true);
      const returned = nextMessage(worker);
      // Set, then notify: the thread may not be waiting yet, and then it must not start to.
      Atomics.store(new Int32Array(hold), 0, 1);
      Atomics.notify(new Int32Array(hold), 0);
      expect(await returned).toBe("returned");
      // The thread tries its second call now; it parks at the fence instead of entering.
      let entered = false;
      worker.on("message", () => (entered = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(isInside(fence, 1)).toBe(false);
      expect(Atomics.load(new Int32Array(hold), 1)).toBe(0);
      expect(entered).toBe(false);
      const exit = new Promise<number>((resolve) => worker.once("exit", resolve));
      await worker.terminate();
      expect(await exit).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  it("counts a thread inside native work that spans turns (loading an addon) until its promise settles, fulfilled or rejected", async () => {
    const fence = createFenceBuffer(1);
    const guard = nativeGuard(fence, 0);
    let finish!: (value: string) => void;
    const loading = guard.runAsync(() => new Promise<string>((resolve) => (finish = resolve)));
    await Promise.resolve();
    expect(isInside(fence, 0)).toBe(true);
    finish("loaded");
    expect(await loading).toBe("loaded");
    expect(isInside(fence, 0)).toBe(false);
    const failing = guard.runAsync(() => Promise.reject(new Error("no addon")));
    expect(isInside(fence, 0)).toBe(true);
    await expect(failing).rejects.toThrow("no addon");
    expect(isInside(fence, 0)).toBe(false);
  });
});
