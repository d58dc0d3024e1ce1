/**
 * A store that does not match the flow is refused with an error naming what differs; a resume
 * never guesses and never silently skips data (Bytewax 0.11 lost data in each of these cases).
 * The refusals every store gives are in refusalCases.ts; the file store's own ones are here.
 */

import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FileRecoveryConfig } from "../../engine/configs/recovery.js";
import { fileRecoveryStore } from "../../node-runner/recovery/fileStore.js";
import { rejectionOf } from "../helpers/entryPoints.js";
import { STORE_KINDS } from "../helpers/recoveryStores.js";
import { counting, describeRefusals, refusal, run } from "./refusalCases.js";

for (const kind of STORE_KINDS) describeRefusals(kind);

describe("refusals on the file store", () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it("refuses a store with a missing worker partition", async () => {
    const { config, cleanup: remove } = STORE_KINDS.find((kind) => kind.name === "file")!.fresh();
    cleanup = remove;
    await rejectionOf(run(counting("count", [], 6), config, 2));
    const dir = (config as FileRecoveryConfig).dbDir;
    rmSync(join(dir, "worker-1.mdb"));
    rmSync(join(dir, "worker-1.mdb-lock"), { force: true });
    const error = await refusal(run(counting("count", []), config, 2));
    expect(error.code).toBe("RECOVERY_MISSING_PARTITION");
    expect(error.message).toBe(
      `Recovery store ${fileRecoveryStore(dir).description} is missing the partition of worker 1 (it has only the partition of worker 0 of this run's 2 workers); resuming without it would lose data.`,
    );
  });

  it("refuses a truncated partition file instead of crashing or starting over", async () => {
    const { config, cleanup: remove } = STORE_KINDS.find((kind) => kind.name === "file")!.fresh();
    cleanup = remove;
    await rejectionOf(run(counting("count", [], 6), config, 1));
    const { readFileSync, writeFileSync } = await import("node:fs");
    const file = join((config as FileRecoveryConfig).dbDir, "worker-0.mdb");
    writeFileSync(file, readFileSync(file).subarray(0, 10_000));
    const error = await refusal(run(counting("count", []), config, 1));
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toMatch(/^Recovery file .*worker-0\.mdb is truncated: LMDB needs \d+ bytes, the file has 10000; refusing to use it\.$/);
  });

  it("refuses a damaged partition file instead of starting over", async () => {
    const { config, cleanup: remove } = STORE_KINDS.find((kind) => kind.name === "file")!.fresh();
    cleanup = remove;
    await rejectionOf(run(counting("count", [], 6), config, 1));
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join((config as FileRecoveryConfig).dbDir, "worker-0.mdb"), "this is not an LMDB file at all, just text".repeat(200));
    const error = await refusal(run(counting("count", []), config, 1));
    expect(error.code).toBe("RECOVERY_CORRUPT");
    expect(error.message).toContain("worker-0.mdb");
  });
});
