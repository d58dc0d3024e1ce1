/**
 * "Did you mean": the closest known name within a distance, never the name itself nor an excluded
 * one (the step that names its upstream is never offered as its own upstream).
 */

import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "../../engine/closestName.js";

describe("closestName", () => {
  it("suggests the closest name within the distance, case ignored", () => {
    expect(closestName("cuont", ["count", "sum"], 2)).toBe("count");
    expect(closestName("Count", ["count", "sum"], 2)).toBe("count");
    expect(closestName("xyz", ["count", "sum"], 2)).toBeUndefined();
  });

  it("never suggests the name itself", () => {
    expect(closestName("count", ["count"], 2)).toBeUndefined();
    expect(closestName("count", ["count", "counts"], 2)).toBe("counts");
  });

  it("never suggests an excluded name, and falls back to the next closest", () => {
    expect(closestName("word", ["words", "lines"], 2, ["words"])).toBeUndefined();
    expect(closestName("word", ["words", "wordz"], 2, ["words"])).toBe("wordz");
  });

  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
