/**
 * The functions that take the most time in a V8 CPU profile (`node --cpu-prof`, one
 * `.cpuprofile` per thread), by self time, with their share of the thread's samples:
 *
 *   npx tsx scripts/profile-top.ts PROFILE.cpuprofile [--top 30]
 *
 * `(idle)` is time the thread waited; the shares are of all samples, idle included, and the line
 * before the table gives the thread's busy time.
 */

import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const file = process.argv[2];
if (file === undefined) throw new Error("usage: npx tsx scripts/profile-top.ts PROFILE.cpuprofile [--top N]");
const topAt = process.argv.indexOf("--top");
const top = topAt === -1 ? 30 : Number(process.argv[topAt + 1]);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const names = new Map<number, string>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  names.set(node.id, `${functionName || "(anonymous)"} ${url ? `${basename(url)}:${lineNumber + 1}` : ""}`.trim());
}
const self = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  const name = names.get(profile.samples[i]!) ?? "?";
  self.set(name, (self.get(name) ?? 0) + delta);
  total += delta;
}
const idle = self.get("(idle)") ?? 0;
console.log(`${basename(file)}: ${(total / 1e6).toFixed(2)} s sampled, ${((total - idle) / 1e6).toFixed(2)} s busy`);
for (const [name, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * time) / total).toFixed(1).padStart(5)}%  ${(time / 1e3).toFixed(0).padStart(7)} ms  ${name}`);
}
