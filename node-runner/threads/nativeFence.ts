/**
 * Ending a worker thread safely. `worker.terminate()` stops a thread's JavaScript wherever it is;
 * when the thread is inside a native call (an LMDB open or commit of the file store, or loading the
 * LMDB addon itself, whose registration throws into a terminating V8), the native code then calls
 * back into a terminating V8 and the process aborts (SIGABRT) or hangs when it exits.
 *
 * So native calls go through a fence shared by the main thread and its workers: a worker counts
 * itself in and out of each native call (two atomic adds), and the main thread, before terminating
 * the workers, closes the fence and waits until no worker is inside. A worker that reaches the
 * closed fence parks in `Atomics.wait` (JavaScript, where termination is safe) instead of entering.
 * The order (the worker counts itself in, then reads the gate; the main thread closes the gate,
 * then reads the counts) leaves no window in which both miss each other.
 *
 * ```ts
 * const fence = createFenceBuffer(2);           // main thread, shared with the threads
 * const guard = nativeGuard(fence, 0);          // in worker 0
 * guard.run(() => lmdbOpen(path));
 * closeFence(fence);                           // main thread, before ending the threads
 * while (isInside(fence, 0)) await sleep(2);
 * await worker.terminate();
 * ```
 */

/** Int32 cells: [gate, depth of worker 0, depth of worker 1, ...]; the gate is 1 once closed. */
const GATE = 0;

/** Runs native calls inside the fence. The default guard (no fence) just runs them. */
export interface NativeGuard {
  run<T>(call: () => T): T;
  /** The same for native work that spans turns (loading a native module): inside until the promise settles. */
  runAsync<T>(call: () => Promise<T>): Promise<T>;
}

export const UNGUARDED: NativeGuard = { run: (call) => call(), runAsync: (call) => call() };

export function createFenceBuffer(workerCount: number): SharedArrayBuffer {
  return new SharedArrayBuffer((1 + workerCount) * Int32Array.BYTES_PER_ELEMENT);
}

/** The guard of worker `workerIndex` over the shared `fence`. */
export function nativeGuard(fence: SharedArrayBuffer, workerIndex: number): NativeGuard {
  const cells = new Int32Array(fence);
  const own = 1 + workerIndex;
  const enter = () => {
    Atomics.add(cells, own, 1);
    if (Atomics.load(cells, GATE) !== 0) {
      Atomics.sub(cells, own, 1);
      // The thread is being ended: wait here, in JavaScript, for the termination (never woken).
      for (;;) Atomics.wait(cells, GATE, 1);
    }
  };
  return {
    run(call) {
      enter();
      try {
        return call();
      } finally {
        Atomics.sub(cells, own, 1);
      }
    },
    async runAsync(call) {
      enter();
      try {
        return await call();
      } finally {
        Atomics.sub(cells, own, 1);
      }
    },
  };
}

/** Closes the fence: from now on no worker enters a native call. */
export function closeFence(fence: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(fence), GATE, 1);
}

/** Whether worker `workerIndex` is inside a native call now. */
export function isInside(fence: SharedArrayBuffer, workerIndex: number): boolean {
  return Atomics.load(new Int32Array(fence), 1 + workerIndex) !== 0;
}
