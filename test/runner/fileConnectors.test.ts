/**
 * The `file` input and output adapters on their own: line splitting, distribution over workers,
 * resuming from a saved position, per-worker output files, and cutting the output back on resume.
 */

import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileInputConfig } from "../../engine/configs/inputs.js";
import { FileOutputConfig } from "../../engine/configs/outputs.js";
import { DONE, PENDING, type InputReader } from "../../engine/ports/source.js";
import { createFileReader } from "../../node-runner/connectors/fileInput.js";
import { createFileWriter, workerFilePath } from "../../node-runner/connectors/fileOutput.js";
import { removeTemporaryDirectories, temporaryDirectory } from "./cli.js";

afterAll(removeTemporaryDirectories);

function fileWith(content: string | Buffer): string {
  const path = join(temporaryDirectory(), "input.txt");
  writeFileSync(path, content);
  return path;
}

const OUTPUT_CONTEXT = { stepId: "out", workerIndex: 0, workerCount: 1, writeStdout: () => {}, recording: false, failedOn: (error: unknown) => error };

function reader(path: string, workerIndex = 0, workerCount = 1, resumeState?: unknown): InputReader {
  return createFileReader(new FileInputConfig(path), { stepId: "lines", workerIndex, workerCount, resumeState, wake: () => {}, testingEpochs: false });
}

/** Every item the reader gives, polling `max` at a time. */
function drain(input: InputReader, max = 1024): string[] {
  const items: string[] = [];
  for (let polls = 0; polls < 100_000; polls++) {
    const result = input.poll(max);
    if (result === DONE) return items;
    if (result !== PENDING) items.push(...(result as string[]));
  }
  throw new Error("the reader never ended");
}

describe("the file input", () => {
  it("gives one item per line, without line endings; a final newline makes no empty item", () => {
    expect(drain(reader(fileWith("a\nb\r\n\nlast\n")))).toEqual(["a", "b", "", "last"]);
    expect(drain(reader(fileWith("a\nno newline at the end")))).toEqual(["a", "no newline at the end"]);
    expect(drain(reader(fileWith("")))).toEqual([]);
    expect(drain(reader(fileWith("\n")))).toEqual([""]);
  });

  it("drops a UTF-8 byte order mark and keeps multi-byte characters whole", () => {
    const text = "déjà vu\n— to sleep —\n😀\n";
    expect(drain(reader(fileWith(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))))).toEqual(["déjà vu", "— to sleep —", "😀"]);
  });

  it("reads lines longer than its chunks, and returns at most `max` lines a poll", () => {
    const long = "x".repeat(200_000);
    const path = fileWith(`${long}\nshort\n${long}y\n`);
    expect(drain(reader(path))).toEqual([long, "short", `${long}y`]);
    const input = reader(fileWith(Array.from({ length: 10 }, (_, i) => `line ${i}`).join("\n")));
    expect(input.poll(3)).toEqual(["line 0", "line 1", "line 2"]);
    expect(input.poll(3)).toEqual(["line 3", "line 4", "line 5"]);
  });

  it("gives worker i of n the lines i, i + n, ...", () => {
    const path = fileWith(Array.from({ length: 11 }, (_, i) => `${i}`).join("\n") + "\n");
    expect(drain(reader(path, 0, 3))).toEqual(["0", "3", "6", "9"]);
    expect(drain(reader(path, 1, 3))).toEqual(["1", "4", "7", "10"]);
    expect(drain(reader(path, 2, 3))).toEqual(["2", "5", "8"]);
  });

  it("resumes after the last line it gave, from the saved byte offset and line", () => {
    const path = fileWith(Array.from({ length: 1000 }, (_, i) => `line ${i}`).join("\r\n"));
    for (const [workerIndex, workerCount] of [
      [0, 1],
      [1, 3],
    ] as const) {
      const all = drain(reader(path, workerIndex, workerCount));
      const first = reader(path, workerIndex, workerCount);
      const head = [...(first.poll(7) as string[]), ...(first.poll(50) as string[])];
      const saved = first.snapshot();
      expect(saved).toEqual({ offset: expect.any(Number), line: expect.any(Number) });
      const rest = drain(reader(path, workerIndex, workerCount, structuredClone(saved)));
      expect([...head, ...rest]).toEqual(all);
    }
  });

  it("fails clearly on a missing file, and on a file shorter than the saved position", () => {
    expect(() => reader(join(temporaryDirectory(), "nope.txt"))).toThrow(/Step "lines" \(input\), file .*nope\.txt, worker 0: cannot open the input file/);
    const path = fileWith("a\nb\n");
    expect(() => reader(path, 0, 1, { offset: 100, line: 7 })).toThrow(/has 4 bytes, fewer than the saved position 100/);
    expect(() => reader(path, 0, 1, "garbage")).toThrow(/not a file position/);
  });
});

describe("the file output", () => {
  it("names one file per worker: `.i` before the extension", () => {
    expect(workerFilePath("/d/out.jsonl", 0, 1)).toBe("/d/out.jsonl");
    expect(workerFilePath("/d/out.jsonl", 2, 4)).toBe("/d/out.2.jsonl");
    expect(workerFilePath("/d/out", 1, 2)).toBe("/d/out.1");
    expect(workerFilePath("/d/a.b/out.tar.gz", 1, 2)).toBe("/d/a.b/out.tar.1.gz");
  });

  it("writes JSON lines (strings as JSON strings), starting the file empty on a fresh run", () => {
    const path = join(temporaryDirectory(), "sub/dir/out.jsonl");
    const writer = createFileWriter(new FileOutputConfig(path), OUTPUT_CONTEXT);
    writer.write(0, ["text", 1, { a: [1, null] }]);
    writer.closeEpoch(0);
    expect(readFileSync(path, "utf8")).toBe('"text"\n1\n{"a":[1,null]}\n');
    expect(writer.snapshot!()).toBe(Buffer.byteLength('"text"\n1\n{"a":[1,null]}\n'));

    const again = createFileWriter(new FileOutputConfig(path), OUTPUT_CONTEXT);
    again.closeEpoch(0);
    expect(readFileSync(path, "utf8")).toBe("");
  });

  it("cuts the file back to the saved length on resume, before writing", () => {
    const path = join(temporaryDirectory(), "out.jsonl");
    writeFileSync(path, '"committed"\n"not committed"\n');
    const writer = createFileWriter(new FileOutputConfig(path), OUTPUT_CONTEXT);
    writer.restore!(Buffer.byteLength('"committed"\n'));
    writer.write(5, ["again"]);
    writer.closeEpoch(5);
    expect(readFileSync(path, "utf8")).toBe('"committed"\n"again"\n');
  });

  it("refuses a file shorter than the saved length, and items that are not JSON", () => {
    const path = join(temporaryDirectory(), "out.jsonl");
    writeFileSync(path, "1\n2\n");
    truncateSync(path, 2);
    const writer = createFileWriter(new FileOutputConfig(path), OUTPUT_CONTEXT);
    writer.restore!(4);
    expect(() => writer.write(1, [3])).toThrow(/has 2 bytes, fewer than the 4 the resumed run had written/);

    const other = join(temporaryDirectory(), "out.jsonl");
    const strict = createFileWriter(new FileOutputConfig(other), OUTPUT_CONTEXT);
    expect(() => strict.write(0, [1, () => 2])).toThrow(/Step "out" \(capture\): items written to a file must be JSON-serializable/);
    expect(() => strict.write(0, [10n])).toThrow(/JSON-serializable/);
    expect(existsSync(other)).toBe(false);
  });
});
