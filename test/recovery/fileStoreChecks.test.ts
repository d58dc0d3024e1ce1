/**
 * Issue 10, point 4: the file store's own checks, each against one precise change made to a real
 * LMDB partition behind the store's back (with lmdb-js, as a damaged page would show it): a
 * record that went missing, a value whose bytes changed, a record copied under another id, a
 * summary whose bytes changed, and databases that can no longer be found (as through a damaged main
 * page: creating them again would write into it). Each load must refuse with RECOVERY_CORRUPT
 * naming the file, except while the partition's creation marker says it was being created.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { open } from "lmdb";
import { afterEach, describe, expect, it } from "vitest";
import { EddyError } from "../../engine/errors.js";
import { creatingMarkerOf, fileRecoveryStore, lmdbPartition } from "../../node-runner/recovery/fileStore.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store with one partition of three records; returns its file. */
async function written(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "eddy-filestore-checks-"));
  dirs.push(dir);
  const partition = await fileRecoveryStore(dir).open(0);
  await partition.commit({
    meta: { formatVersion: 1, workerCount: 1, workerIndex: 0, stepIds: ["inp", "sum"] },
    frontier: 3,
    records: [
      { stepId: "sum", key: "a", epoch: 1, value: new Uint8Array([1, 2, 3]) },
      { stepId: "sum", key: "b", epoch: 2, value: new Uint8Array([4, 5]) },
      { stepId: "inp", key: "0", epoch: 2, value: null },
    ],
  });
  await partition.close();
  return join(dir, "worker-0.mdb");
}

/** Changes the partition file with lmdb-js directly, as the store never would. */
async function tamper(file: string, change: (state: ReturnType<typeof openState>["state"], progress: ReturnType<typeof openState>["progress"]) => void): Promise<void> {
  const { root, state, progress } = openState(file);
  root.transactionSync(() => change(state, progress));
  await root.close();
}

function openState(file: string) {
  const root = open({ path: file, maxDbs: 4, compression: false, pageSize: 4096 });
  return { root, state: root.openDB<Buffer, [string, string, number]>({ name: "state", encoding: "binary" }), progress: root.openDB<Buffer, string>({ name: "progress", encoding: "binary" }) };
}

async function loadError(file: string): Promise<EddyError> {
  const partition = await fileRecoveryStore(join(file, "..")).open(0);
  try {
    await partition.load();
  } catch (error) {
    return error as EddyError;
  } finally {
    await partition.close();
  }
  throw new Error("the load did not refuse");
}

describe("the file store refuses a partition changed behind its back", () => {
  it("loads an unchanged partition", async () => {
    const file = await written();
    const partition = await fileRecoveryStore(join(file, "..")).open(0);
    const contents = await partition.load();
    await partition.close();
    expect(contents?.frontier).toBe(3);
    expect(contents?.records).toHaveLength(3);
  });

  it("a record that went missing (count and id digest)", async () => {
    const file = await written();
    await tamper(file, (state) => state.removeSync(["sum", "b", 2]));
    const error = await loadError(file);
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toContain(file);
    expect(error.message).toContain("should hold 3 records");
  });

  it("a value whose bytes changed (record checksum)", async () => {
    const file = await written();
    await tamper(file, (state) => {
      const value = Buffer.from(state.getBinary(["sum", "a", 1])!);
      value.writeUInt8(value.readUInt8(value.length - 1) ^ 0x40, value.length - 1);
      state.putSync(["sum", "a", 1], value);
    });
    const error = await loadError(file);
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toContain(file);
    expect(error.message).toContain('key "a", epoch 1');
  });

  it("a record copied under another id (the checksum covers step id, key and epoch)", async () => {
    const file = await written();
    await tamper(file, (state) => {
      const value = Buffer.from(state.getBinary(["sum", "a", 1])!);
      state.removeSync(["sum", "a", 1]);
      state.putSync(["sum", "a", 7], value);
    });
    const error = await loadError(file);
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toContain("epoch 7");
  });

  it("a summary whose frontier changed (summary checksum)", async () => {
    const file = await written();
    await tamper(file, (_state, progress) => {
      const summary = Buffer.from(progress.getBinary("summary")!);
      summary.writeUInt8(summary.readUInt8(10) ^ 0x01, 10);
      progress.putSync("summary", summary);
    });
    const error = await loadError(file);
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toContain("summary");
  });

  it("databases that cannot be found in a file that is not being created (the verifier's read-only load)", async () => {
    const file = await written();
    const root = open({ path: file, maxDbs: 4, compression: false, pageSize: 4096 });
    for (const name of ["meta", "progress", "state"]) root.openDB({ name, encoding: "binary" }).dropSync();
    await root.close();
    const partition = await lmdbPartition(file, { readOnly: true });
    const error = await partition.load().then(
      () => undefined,
      (thrown: unknown) => thrown as EddyError,
    );
    await partition.close();
    expect(error?.code).toBe("RECOVERY_CORRUPT");
    expect(error?.message).toContain(file);
    expect(error?.message).toContain("cannot be found");
    // The same file while its creation marker is there: a creation that was interrupted, nothing to load.
    writeFileSync(creatingMarkerOf(file), "");
    const creating = await lmdbPartition(file, { readOnly: true });
    await expect(creating.load()).resolves.toBeUndefined();
    await creating.close();
  });
});
