/** Durations as typed in the studio's forms: milliseconds, or numbers with units. */

import { describe, expect, it } from "vitest";
import { describeDuration, parseDuration } from "../../../studio/state/duration.js";

describe("parseDuration", () => {
  it.each([
    ["250", 250],
    [" 10000 ", 10_000],
    ["0", 0],
    ["500ms", 500],
    ["10s", 10_000],
    ["10 s", 10_000],
    ["2m", 120_000],
    ["1.5h", 5_400_000],
    ["1d", 86_400_000],
    ["1m30s", 90_000],
    ["1m 30s", 90_000],
    ["2S", 2000],
    ["1.0005s", 1001],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it("reads a negative plain number (the validator then says it must not be negative)", () => {
    expect(parseDuration("-5")).toEqual({ ok: true, ms: -5 });
  });

  it.each(["", "ten", "10 seconds", "s", "10x", "1m-30s", "10s5"])("refuses %j, saying what it takes", (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("500ms, 10s, 2m, 1h");
  });
});

describe("describeDuration", () => {
  it.each([
    [250, "250 ms"],
    [1000, "1 s"],
    [1500, "1.5 s"],
    [90_000, "1.5 min"],
    [3_600_000, "1 h"],
    [10_000, "10 s"],
  ])("describes %d ms as %j", (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});
