/** Typing a closing bracket over the one auto-closing put on the next line (studio/state/brackets.ts). */

import { describe, expect, it } from "vitest";
import { bracketBalance, typeOverClosing } from "../../../studio/state/brackets.js";

/** Types `typed` where "|" is in `withCursor`, as the editor would with typeOverClosing: the resulting text with "|". */
function type(withCursor: string, typed: string): string {
  const cursor = withCursor.indexOf("|");
  const text = withCursor.replace("|", "");
  const over = typeOverClosing(text, cursor, typed);
  if (!over) return `${text.slice(0, cursor)}${typed}|${text.slice(cursor)}`;
  const kept = text.slice(0, over.deleteFrom) + text.slice(over.deleteTo);
  return `${kept.slice(0, over.cursor)}|${kept.slice(over.cursor)}`;
}

describe("typeOverClosing", () => {
  it("steps over the brace on the next line and removes the blank line: balanced code", () => {
    expect(type("x => {\n  return x;\n  |\n}", "}")).toBe("x => {\n  return x;\n}|");
    expect(type("[\n  1,\n  |\n]", "]")).toBe("[\n  1,\n]|");
    expect(type("f(\n  a\n|\n)", ")")).toBe("f(\n  a\n)|");
  });

  it("steps over a brace later on the same line when only whitespace is before and between", () => {
    expect(type("{\n  a\n  |  }", "}")).toBe("{\n  a\n    }|");
  });

  it("inserts when the block is still open (one more brace is needed)", () => {
    expect(type("x => {\n  if (x) {\n    y();\n  |\n}", "}")).toBe("x => {\n  if (x) {\n    y();\n  }|\n}");
  });

  it("inserts after other text on the line, or when something other than whitespace comes before the brace", () => {
    expect(type("{\n  a|\n}", "}")).toBe("{\n  a}|\n}");
    expect(type("{\n  |b\n}", "}")).toBe("{\n  }|b\n}");
    expect(type("{\n  |\n]", "}")).toBe("{\n  }|\n]");
  });

  it("only for closing brackets", () => {
    expect(typeOverClosing("{\n  \n}", 4, "{")).toBeUndefined();
    expect(typeOverClosing("{\n  \n}", 4, "a")).toBeUndefined();
  });

  it("on a blank first line, removes the line break after it", () => {
    expect(type("  |\n}", "}")).toBe("}|");
  });
});

describe("bracketBalance", () => {
  it("ignores brackets in strings, template literals and comments", () => {
    expect(bracketBalance('{ "}" \'}\' `}` // }\n /* } */', "{", "}")).toBe(1);
    expect(bracketBalance('{ "a\\"}" }', "{", "}")).toBe(0);
    expect(bracketBalance("(a) (", "(", ")")).toBe(1);
  });
});
