/**
 * The verifier's child process: `node verifyStoreChild.cjs DIR [INDEX...]` (verifyStoreChild.js of
 * tsc's build). Opens every partition file of the file store in DIR (or those of the worker
 * indexes given) read-only and loads it, which checks every record, the record count, the id
 * digest and the meta (fileStore.ts). It runs
 * in its own process because LMDB trusts its pages: a damaged page can abort native code, and that
 * must end this process, not the run.
 *
 * A sound file is then rewritten by LMDB's compacting copy (only the pages reachable from the
 * verified trees; no free pages, no free list) and the copies replace the originals once every
 * file is sound. A damaged free page or free list, which no read visits but a later write would,
 * is left behind this way. When anything is refused, no file is changed.
 *
 * Protocol on standard output, one line each: `checking PATH` before each file, then either
 * `ok` or `refused JSON` ({ code, message }). Exit 0 when every file is sound, 4 when refused.
 */

import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { open } from "lmdb";
import { EddyError } from "../../engine/host/index.js";
import { lmdbPartition, PAGE_SIZE, PARTITION_FILE, storeFileNames } from "./fileStore.js";

const COPY_SUFFIX = ".verified";

async function verify(dir: string, only: ReadonlySet<number> | undefined): Promise<void> {
  const names = storeFileNames(dir).filter((name) => only === undefined || only.has(Number(PARTITION_FILE.exec(name)?.[1])));
  const copies: Array<[copy: string, path: string]> = [];
  try {
    for (const name of names.filter((entry) => PARTITION_FILE.test(entry)).sort()) {
      const path = join(dir, name);
      // An empty file is a partition whose creation was interrupted: nothing to check.
      if (statSync(path).size === 0) continue;
      process.stdout.write(`checking ${path}\n`);
      const partition = await lmdbPartition(path, { readOnly: true });
      try {
        if ((await partition.load()) === undefined) continue;
      } finally {
        await partition.close();
      }
      const copy = `${path}${COPY_SUFFIX}`;
      rmSync(copy, { force: true });
      rmSync(`${copy}-lock`, { force: true });
      await compactCopy(path, copy);
      copies.push([copy, path]);
    }
  } catch (error) {
    for (const [copy] of copies) rmSync(copy, { force: true });
    throw error;
  }
  for (const [copy, path] of copies) renameSync(copy, path);
}

async function compactCopy(path: string, copy: string): Promise<void> {
  const env = open({ path, readOnly: true, pageSize: PAGE_SIZE });
  try {
    await env.backup(copy, true);
  } catch (error) {
    rmSync(copy, { force: true });
    throw new EddyError("RECOVERY_WRITE_FAILED", `Recovery file ${path} could not be copied to ${copy} after its check: ${(error as Error).message}`, { cause: error });
  } finally {
    await env.close();
  }
  // The copy is LMDB's own; check it like the original before it replaces it.
  const partition = await lmdbPartition(copy, { readOnly: true });
  try {
    await partition.load();
  } finally {
    await partition.close();
  }
  if (existsSync(`${copy}-lock`)) rmSync(`${copy}-lock`, { force: true });
}

const dir = resolve(process.argv[2] ?? ".");
const indexes = process.argv.slice(3).map(Number);
verify(dir, indexes.length > 0 ? new Set(indexes) : undefined).then(
  () => process.stdout.write("ok\n", () => process.exit(0)),
  (error: unknown) => {
    const own = error as { code?: unknown; message?: unknown };
    const refusal = { code: typeof own?.code === "string" ? own.code : "RECOVERY_CORRUPT", message: String(own?.message ?? error) };
    process.stdout.write(`refused ${JSON.stringify(refusal)}\n`, () => process.exit(4));
  },
);
