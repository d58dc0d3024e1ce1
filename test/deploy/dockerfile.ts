/**
 * A Dockerfile read into stages and instructions, enough for the deploy tests to follow the
 * image's last stage step by step (image.test.ts): `FROM image [AS name]` starts a stage; each
 * instruction is its keyword and the rest of its line (a `\` at a line's end continues it);
 * comments and blank lines are dropped.
 */

export interface Instruction {
  readonly keyword: string;
  readonly text: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** The stages of a Dockerfile, in order; throws on an instruction before the first FROM. */
export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const text = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(text);
      if (!match) throw new Error(`cannot read FROM ${text}`);
      stages.push({ from: match[1] as string, name: match[2], instructions: [] });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) throw new Error(`${keyword} comes before any FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), text });
  }
  return stages;
}
