/**
 * `eddy run --fresh`: empties a file recovery store so that the run starts over. Only the store's
 * own partition files go (`worker-<i>.mdb`, LMDB's `worker-<i>.mdb-lock` and the `worker-<i>.creating` marker); anything else in the
 * directory, the store's lock included, stays. Call it only while holding the store's lock.
 */

import { rmSync } from "node:fs";
import { join } from "node:path";
import { PARTITION_FILE, storeFileNames } from "./fileStore.js";

/** A store's partition files and what belongs to them: the only files `--fresh` deletes. */
const PARTITION_OR_ITS_FILE = /^worker-\d+\.(mdb(-lock)?|creating)$/;

/**
 * Deletes the partition files in `dir` (those of the worker indexes `which` accepts: a process of a
 * cluster deletes only its own); returns how many partitions there were (0 for a missing directory).
 */
export function discardPartitions(dir: string, which: (workerIndex: number) => boolean = () => true): number {
  const files = storeFileNames(dir).filter((name) => PARTITION_OR_ITS_FILE.test(name) && which(Number(/^worker-(\d+)\./.exec(name)![1])));
  // The data files first: a run killed midway leaves fewer partitions, never a half-deleted one.
  for (const name of files.filter((name) => !name.endsWith("-lock"))) rmSync(join(dir, name), { force: true });
  for (const name of files.filter((name) => name.endsWith("-lock"))) rmSync(join(dir, name), { force: true });
  return files.filter((name) => PARTITION_FILE.test(name)).length;
}
